"""Ending: the closing items, then what was covered and what was not, and the flags —
all before the recording stops. Confirming stops it, finalises the session and goes home."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from companion.timefmt import clock
from companion.ui.bindings import by_id, keys_of
from companion.ui import session_flow
from companion.ui.widgets.checklist import Checklist
from companion.ui.widgets.key_button import KeyButton
from companion.ui.widgets.status_bar import StatusBar
from companion.ui.widgets.footer import Footer


def render_summary(interview) -> Text:
    """Flags first (they matter most before stopping), then the core questions not covered,
    stage by stage, then the optional ones apart: an optional question not reached is no gap."""
    text = Text()
    text.append(f"Notes: {len(interview.notes)}   Flags: {len(interview.flags)}\n", style="bold")
    for flag in interview.flags:
        about = f"“{flag.note.text[:70]}”" if flag.note else "a moment"
        extra = f" — {flag.text}" if flag.text else ""
        text.append(f"   ⚑ {clock(flag.t)} {flag.kind}: {about}{extra}\n")
    notes = [item for item in interview.guide.closing if item.note]
    if notes:  # the guide's reminders for the closing (the debrief, the contacts sheet)
        text.append("\nFor the closing (not read aloud)\n", style="bold")
        for item in notes:
            text.append(f"   · {item.id}: ", style="italic")
            text.append(f"{item.note}\n")
    for optional, title in ((False, "Core questions"), (True, "Optional questions")):
        asked = [(s, q) for s, q in interview.flat if q.optional == optional]
        if not asked:
            continue
        done = sum(1 for _, q in asked if interview.coverage.get(q.id) == "covered")
        text.append(f"\n{title}: {done} of {len(asked)} covered\n", style="bold")
        stage = None
        for question_stage, question in asked:
            state = interview.coverage.get(question.id)
            if state == "covered":
                continue
            if question_stage is not stage:
                stage = question_stage
                text.append(f"  {stage.title}\n", style="italic")
            why = state or ("shown, not marked" if question.id in interview.shown else "not reached")
            kind = "optional" if optional else "core"
            text.append(f"   – ({kind}, {why}) {question.ask}\n", style="dim" if optional else "")
    return text


def summary_title(interview) -> str:
    """What is true of the recording while the summary is read: nothing is recorded in clock mode."""
    if interview.recorder.mode != "audio":
        return "Summary — clock mode: nothing is being recorded"
    if interview.on_break:
        return "Summary — on a break: not recording"
    return "Summary — still recording"


def finish_words(interview) -> str:
    """The finish button says what it will do: there is no recording to stop in clock mode."""
    return "Stop recording and finish" if interview.recorder.mode == "audio" else "Finish the session"


class EndScreen(Screen):
    CSS_PATH = "end.tcss"
    AUTO_FOCUS = "#closing"
    BINDINGS = by_id("end.finish", "end.back")

    def __init__(self, interview):
        super().__init__()
        self.interview = interview

    def compose(self) -> ComposeResult:
        yield StatusBar(self.interview, id="status")
        with Vertical(id="end"):
            yield Static("Closing — say these, and tick them (space); Tab: the summary", classes="section-title")
            yield Checklist(
                *[Selection(Text(item.text), item.id, item.id in self.interview.closing) for item in self.interview.guide.closing],
                id="closing",
            )
            self._reading = self.reading(0)
            yield Static(Text(self._reading), id="reading")
            yield Static(summary_title(self.interview), id="summary-title", classes="section-title")
            with VerticalScroll(id="summary-box"):
                yield Static(render_summary(self.interview), id="summary")
            with Horizontal(id="buttons"):
                yield KeyButton(Text(f"{finish_words(self.interview)}  [{keys_of(self.app, 'end.finish')}]"),
                                id="finish", classes="-stop")
                yield KeyButton(Text(f"Back to the interview  [{keys_of(self.app, 'end.back')}]"), id="back")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(StatusBar).refresh_from(self.interview)
        self.set_interval(0.25, lambda: self.query_one(StatusBar).refresh_from(self.interview))
        self.query_one("#closing", SelectionList).focus()

    def reading(self, index: int | None) -> str:
        """The highlighted item in full, to say: the list cuts long items (some run to three lines)."""
        closing = self.interview.guide.closing
        return f"Say: {closing[index].text}" if index is not None and index < len(closing) else ""

    @on(SelectionList.SelectionHighlighted)
    def highlighted(self) -> None:
        text = self.reading(self.query_one("#closing", SelectionList).highlighted)
        if text != self._reading:
            self._reading = text
            self.query_one("#reading", Static).update(Text(text))

    @on(SelectionList.SelectionToggled)
    def ticked(self, event: SelectionList.SelectionToggled) -> None:
        item = event.selection.value
        checked = item in event.selection_list.selected
        if checked != (item in self.interview.closing):
            self.interview.tick_closing(item, checked)

    @on(KeyButton.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()

    @on(KeyButton.Pressed, "#finish")
    def finish_pressed(self) -> None:
        self.action_finish()

    def action_finish(self) -> None:
        if getattr(self, "closing", False):
            return  # Finish twice must not close twice, nor say "saved" before it is
        self.closing = True
        self.query_one("#finish", KeyButton).disabled = True
        path = self.interview.writer.path
        session_flow.close(
            self.app, self.interview, "complete", done=lambda: join_then_home(self.app, path), failed=self.close_failed,
        )

    def close_failed(self) -> None:
        """Stay here, still able to finish once the disk is fixed."""
        self.closing = False
        self.query_one("#finish", KeyButton).disabled = False


def join_then_home(app, path) -> None:
    """The session is closed: its audio segments become one file (a progress bar), then home."""
    from companion.ui.screens.joining import JoiningScreen

    def joined(problem: str | None) -> None:
        kept = f" Its audio is kept as recorded, in segments: {problem}" if problem else ""
        go_home(app, f"Session saved in {path}.{kept}")

    app.push_screen(JoiningScreen(path), joined)


def go_home(app, message: str) -> None:
    app.show_home(message)
    app.notify(message, timeout=10)
