"""The interview screen: status, outline, the current question, notes, and the note input.

The note input keeps focus. Every action has a typed command (a note line starting
with /, which reaches the app from any laptop keyboard) and keys that never collide with
typing, all from the action table in companion/actions.py, and is in the command
palette. A note's time is taken when typing starts and it shows as "saving…" until the
log reports it durable.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from companion.actions import BY_ID, INTERVIEW_ACTIONS, Action
from companion.ui.bindings import bindings, keymapped_extras
from companion.ui.widgets.key_footer import KeyFooter
from companion.ui.widgets.note_input import CommandList, NoteInput
from companion.ui import session_flow
from companion.ui.steady_screen import SteadyScreen
from companion.ui.widgets.notes_log import NotesLog
from companion.ui.widgets.outline import GuideOutline
from companion.ui.widgets.question_panel import QuestionPanel
from companion.ui.widgets.status_bar import StatusBar, audio_reason


NOTES_RETRY_SECONDS = 2.0


class InterviewScreen(SteadyScreen):
    CSS_PATH = "interview.tcss"
    AUTO_FOCUS = "#note"
    BINDINGS = bindings(*(a for a in INTERVIEW_ACTIONS if a.id != "help"))

    def __init__(self, interview):
        super().__init__()
        self.interview = interview
        self.note_start = None  # where the interview was when typing of this note began
        interview.on_saved = self.note_saved_from_any_thread

    def compose(self) -> ComposeResult:
        # Every part is made showing what it shows, not filled in as the screen mounts: each
        # change made then asked, once the screen had been laid out, for a second layout and
        # repaint of the whole screen just as it opened.
        keymapped_extras(self, INTERVIEW_ACTIONS, getattr(self.app.settings, "keymap", {}))
        if self.interview.current is None:
            self.interview.step(1)
        yield StatusBar(self.interview, id="status")
        self._reason = audio_reason(self.interview)
        reason = Static(Text(self._reason), id="audio-reason")
        reason.display = bool(self._reason)
        yield reason
        banner = Static("", id="banner")
        banner.display = False
        yield banner
        with Horizontal(id="body"):
            yield GuideOutline(self.interview, id="outline")
            with Vertical(id="main"):
                yield QuestionPanel(self.interview, id="question")
                yield NotesLog(self.interview, id="notes")
        commands = CommandList(id="commands")
        commands.display = False
        yield commands
        yield NoteInput(
            commands, self.typing, self.save_note, self.run_command,
            id="note", placeholder="Type a note (timed from its first key; Enter saves) · / for commands",
        )
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#note", NoteInput).focus()
        # Keys typed behind the checklist's w or s were held for this line (key_gate.py).
        self.app.call_later(self.app.key_gate.release)
        self.set_interval(0.1, self.refresh_status)
        self.set_interval(NOTES_RETRY_SECONDS, self.retry_unsaved)

    # --- refreshing -----------------------------------------------------------

    def refresh_all(self) -> None:
        self.refresh_status()
        self.query_one(GuideOutline).refresh_from(self.interview)
        self.query_one(QuestionPanel).refresh_from(self.interview)
        self.query_one(NotesLog).refresh_from(self.interview)

    def refresh_status(self) -> None:
        self.query_one(StatusBar).refresh_from(self.interview)
        reason = audio_reason(self.interview)
        line = self.query_one("#audio-reason", Static)
        if reason != self._reason:
            self._reason = reason
            line.update(Text(reason))
            line.display = bool(reason)

    def show_banner(self, message: str) -> None:
        banner = self.query_one("#banner", Static)
        banner.update(Text(message))
        banner.display = bool(message)

    # --- notes ------------------------------------------------------------------

    def typing(self) -> None:
        """The moment typing starts is the moment the participant said it: its time, question,
        stage and whether it was a break are taken then, not at Enter (called in key order)."""
        self.note_start = self.interview.begin_note()

    def save_note(self, text: str) -> None:
        self.interview.add_note(text, self.note_start)
        self.note_start = None
        self.query_one(NotesLog).refresh_from(self.interview)

    async def run_command(self, action: Action, words: str) -> None:
        """A typed command runs the action its keys run."""
        self.note_start = None
        if action.id == "q.jump" and words:
            self.jump_to(words)
        elif action.id in ("q.probe", "q.prompt") and words:
            self.tick_numbered(self.follow_up_kind(action.id == "q.probe"), words)
        elif action.id.startswith("flag.") and words:
            self.action_flag_now(action.id.removeprefix("flag."), words)
        else:
            await self.run_action(action.action)

    class NoteSaved(Message):
        """A note became durable, or failed; posted from the writer's thread."""

        def __init__(self, note) -> None:
            super().__init__()
            self.note = note

    def note_saved_from_any_thread(self, note) -> None:
        # post_message is thread-safe and returns at once: the writer never waits on the screen.
        self.post_message(self.NoteSaved(note))

    def on_interview_screen_note_saved(self, message: NoteSaved) -> None:
        self.note_saved(message.note)

    def note_saved(self, note) -> None:
        if note.status == "failed":
            self.show_banner(f"⚠ A note could not be saved: {note.error} It is kept here and tried again "
                             f"every {NOTES_RETRY_SECONDS:g} s (ctrl+r: now).")
        elif not self.interview.unsaved and self.query_one("#banner", Static).display:
            self.show_banner("")
            self.app.notify("Every note is saved now.", timeout=4)
        self.query_one(NotesLog).refresh_from(self.interview)

    def retry_unsaved(self) -> None:
        """Events kept after a failed write are written again by themselves once the disk has room."""
        if self.interview.unsaved and not self.interview.ended:
            self.interview.retry_failed()
            self.query_one(NotesLog).refresh_from(self.interview)

    def action_retry(self) -> None:
        if not self.interview.retry_failed():
            self.app.notify("Every note is saved.")
        self.query_one(NotesLog).refresh_from(self.interview)

    def action_retry_audio(self) -> None:
        retry = getattr(self.interview.recorder, "retry_now", None)
        if retry is not None and retry():
            self.app.notify("Trying the audio again now…", timeout=3)
        elif self.interview.recorder.mode == "audio":
            self.app.notify("The audio is working: nothing to retry.", timeout=3)
        else:
            self.app.notify("This interview runs without audio (clock mode): nothing to retry.", timeout=4)

    # --- moving through the guide -------------------------------------------------

    def action_step(self, delta: int) -> None:
        if self.interview.step(delta):
            self.refresh_all()

    def action_stage(self, delta: int) -> None:
        if self.interview.step_stage(delta):
            self.refresh_all()

    def action_mark(self, state: str) -> None:
        if self.interview.mark(state):
            self.app.notify(f"Question marked {state}.", timeout=2)
            self.refresh_all()

    def jump_to(self, words: str) -> None:
        """/j words: straight to the first question with those words."""
        found = self.interview.find(words)
        if not found:
            self.app.notify(f"No question has “{words}”.", severity="warning", timeout=4)
        elif self.interview.go_to(found[0]):
            self.refresh_all()

    def tick_numbered(self, kind: str, words: str) -> None:
        """/pr 2, /pt 2: tick the second probe or prompt."""
        question = self.interview.question
        count = len(getattr(question, f"{kind}s")) if question else 0
        command = BY_ID[f"q.{kind}"].command
        if not (words.isdigit() and 1 <= int(words) <= count):
            self.app.notify(f"This question has {count} {kind}s: {command} 1 to {command} {count}." if count
                            else f"This question has no {kind}s.", timeout=4)
        elif self.interview.cover_follow_up(kind, int(words) - 1):
            self.refresh_all()

    def action_jump(self) -> None:
        from companion.ui.screens.pickers import JumpScreen

        def chosen(index: int | None) -> None:
            if index is not None and self.interview.go_to(index):
                self.refresh_all()

        self.app.push_screen(JumpScreen(self.interview), chosen)

    def follow_up_kind(self, probe: bool) -> str:
        """A probe asked for where the question has only prompts ("Describe a time when…" has
        prompts where others have probes) means a prompt."""
        question = self.interview.question
        if probe and question is not None and not question.probes and question.prompts:
            return "prompt"
        return "probe" if probe else "prompt"

    def action_probe(self) -> None:
        self.tick_follow_up(self.follow_up_kind(True))

    def action_prompt(self) -> None:
        self.tick_follow_up("prompt")

    def tick_follow_up(self, kind: str) -> None:
        """Pick a probe or a prompt of the current question to tick as asked."""
        question = self.interview.question
        if question is None or not getattr(question, f"{kind}s"):
            self.app.notify(f"This question has no {kind}s.", timeout=3)
            return
        from companion.ui.screens.pickers import ProbeScreen, PromptScreen

        def chosen(index: int | None) -> None:
            if index is not None and self.interview.cover_follow_up(kind, index):
                self.refresh_all()

        self.app.push_screen((ProbeScreen if kind == "probe" else PromptScreen)(self.interview), chosen)

    def action_scroll_question(self, lines: int) -> None:
        self.query_one(QuestionPanel).scroll_by(lines)

    # --- tags and flags ---------------------------------------------------------

    def action_tag(self) -> None:
        note = self.interview.last_note
        if note is None:
            self.app.notify("Tags go on the last note: there is none yet.", timeout=4)
            return
        from companion.ui.screens.code_picker import CodeScreen

        def chosen(codes: list[str] | None) -> None:
            if codes is not None and self.interview.tag_last_note(codes):
                self.refresh_all()

        self.app.push_screen(CodeScreen(self.interview.guide.codebook, note), chosen)

    def action_flag(self) -> None:
        from companion.ui.screens.pickers import FlagScreen

        def chosen(result: tuple[str, bool] | None) -> None:
            if result is None:
                return
            kind, on_note = result
            if kind == "safeguarding":
                self.safeguarding(on_note)
            else:
                self.interview.flag(kind, on_note)
                self.app.notify(f"Flagged: {kind}.", timeout=2)
                self.refresh_all()

        self.app.push_screen(FlagScreen(self.interview.last_note), chosen)

    def action_flag_now(self, kind: str, text: str = "") -> None:
        """/q, /fu: flag the last note (or this moment when there is none), with the words typed
        after the command; /sg asks first, its short note filled with them."""
        on_note = self.interview.last_note is not None
        if kind == "safeguarding":
            self.safeguarding(on_note, text)
            return
        self.interview.flag(kind, on_note, text)
        self.app.notify(f"Flagged: {kind}{'' if on_note else ' (this moment)'}.", timeout=2)
        self.refresh_all()

    def safeguarding(self, on_note: bool, text: str = "") -> None:
        from companion.ui.screens.pickers import SafeguardingScreen

        def answered(result: tuple[bool, str] | None) -> None:
            if result is None:
                return
            take_break, text = result
            self.interview.flag("safeguarding", on_note, text)
            if take_break:
                self.interview.take_break()
            self.refresh_all()

        self.app.push_screen(SafeguardingScreen(text), answered)

    # --- recording --------------------------------------------------------------

    def action_toggle_break(self) -> None:
        if self.interview.on_break:
            self.interview.resume()
            self.app.notify("Resumed.", timeout=2)
        else:
            self.interview.take_break()
            self.app.notify("On a break: nothing is recorded until /b (or F7).", timeout=3)
        self.refresh_status()

    class RecorderEvent(Message):
        """A gap or fault, posted from the recorder's threads."""

        def __init__(self, type: str, fields: dict) -> None:
            super().__init__()
            self.type, self.fields = type, fields

    def on_interview_screen_recorder_event(self, message: RecorderEvent) -> None:
        self.recorder_event(message.type, message.fields)

    def recorder_event(self, type: str, fields: dict) -> None:
        """A gap or fault reported by the recorder: say it in one line; the interview carries on."""
        if type == "recording.gap":
            self.app.notify(f"Audio gap of {fields['length']:.1f} s: {fields['reason']}", severity="warning", timeout=8)
        elif type == "recording.state":
            self.app.notify(f"Audio: {fields['reason']}", severity="warning", timeout=8)
        self.refresh_status()

    # --- guide editing --------------------------------------------------------------

    def action_edit_guide(self) -> None:
        from companion.ui.guide_edit import edit_guide

        edit_guide(self)

    # --- ending -------------------------------------------------------------------------

    def action_end(self) -> None:
        from companion.ui.screens.end import EndScreen

        self.app.push_screen(EndScreen(self.interview))

    def action_leave(self) -> None:
        from companion.ui.screens.pickers import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                session_flow.close(self.app, self.interview, "interrupted", done=self.app.exit)

        unsaved = self.interview.unsaved
        state = (
            f"{unsaved} events are NOT saved yet (the disk failed); leaving tries once more to save them."
            if unsaved else "Everything is saved; it can be resumed from the home screen."
        )
        self.app.push_screen(ConfirmScreen(f"Leave the interview now? {state}"), answered)


def open_interview(session, replacing: bool = False) -> None:
    """Show a started interview; the recorder's events are shown on this screen from now on.
    ``replacing``: in place of the top screen (the consent checklist), so the screen below it
    is not shown and laid out again for the moment between the two."""
    screen = InterviewScreen(session.interview)
    session.screen = screen
    if replacing:
        session.app.switch_screen(screen)
    else:
        session.app.push_screen(screen)
