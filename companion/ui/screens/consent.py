"""The consent checklist: the guide's preamble read through and ticked; recording starts only after it."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from companion.ui.bindings import by_id, keys_of
from companion.ui import session_flow
from companion.ui.steady_screen import SteadyScreen
from companion.ui.widgets.key_button import KeyButton
from companion.ui.widgets.key_footer import KeyFooter
from companion.ui.widgets.checklist import Checklist
from companion.ui.widgets.steady_header import SteadyHeader


class ConsentScreen(SteadyScreen):
    CSS_PATH = "consent.tcss"
    AUTO_FOCUS = "#items"
    BINDINGS = by_id("consent.start", "consent.norecord", "consent.leave")

    def __init__(self, session: session_flow.LiveSession):
        super().__init__()
        self.session = session
        self.interview = session.interview

    def compose(self) -> ComposeResult:
        guide = self.interview.guide
        yield SteadyHeader()
        with Vertical(id="consent"):
            yield Static(Text(f"{self.interview.writer.participant} · {guide.title}"), id="who")
            same_number = Static("", id="same-number", classes="problem")
            same_number.display = False  # shown once the session exists, if the store holds such IDs
            yield same_number
            yield Static("Read each item with the participant and tick it (space). Required items are marked.", classes="hint")
            with Vertical(id="list-area"):
                yield Checklist(
                    *[Selection(Text(consent_label(item)), item.id, self.interview.consent.get(item.id, False))
                      for item in guide.preamble],
                    id="items",
                )
            # Made showing what they show: a change made as the screen mounts is a second
            # layout, and each class or state changed then styles a widget again.
            self._reading = self.reading(0)
            yield Static(Text(self._reading), id="reading")
            self._microphone = self.microphone()
            yield Static(Text(self._microphone), id="microphone")
            gate = self.gate()
            yield Static(Text(gate.text), id="missing", classes="problem" if gate.missing else "")
            with Horizontal(id="buttons"):
                yield KeyButton(Text(f"Start recording  [{keys_of(self.app, 'consent.start')}]"), id="record",
                                classes="-go", disabled=gate.missing)
                yield KeyButton(Text(f"Start without recording  [{keys_of(self.app, 'consent.norecord')}]"),
                                id="norecord", disabled=not gate.may_start)
        yield KeyFooter()

    def on_mount(self) -> None:
        items = self.query_one("#items", SelectionList)
        items.focus()
        if items.option_count and items.highlighted is None:
            items.highlighted = 0
        # Ticks typed behind the form's Enter or the resume list's were held for this list.
        self.app.call_later(self.app.key_gate.release)

    def microphone(self) -> str:
        recorder = self.interview.recorder
        if recorder is None:  # shown while the session is created; ticks are kept meanwhile
            return "Microphone: opening…"
        if recorder.mode == "audio":
            return f"Microphone: {recorder.device_name} at {recorder.rate} Hz — ready."
        return f"No audio: {recorder.state.reason.rstrip('.')}. The interview will run in clock mode."

    def show_microphone(self) -> None:
        text = self.microphone()
        if text != self._microphone:  # in clock mode it was said from the start
            self._microphone = text
            self.query_one("#microphone", Static).update(Text(text))

    def session_ready(self) -> None:
        """The session exists and the microphone is open (session_flow.begin's ``ready``)."""
        self.show_microphone()
        twins, named = self.session.same_number
        if twins:  # a wrong ID is discarded here: Esc, then d
            participant, verb = self.interview.writer.participant, "is" if len(twins) == 1 else "are"
            line = self.query_one("#same-number", Static)
            line.update(Text(f"⚠ {named} {verb} held, the same number with other zeros: if {participant} is the "
                             f"same person, leave (Esc, then d to discard) and start again as {twins[0]}."))
            line.display = True

    @on(SelectionList.SelectionHighlighted)
    def highlighted(self) -> None:
        """The highlighted item in full, to read aloud: the list itself cuts long items.
        Read from the list itself, so the pane shows the first item before any key too."""
        text = self.reading(self.query_one("#items", SelectionList).highlighted)
        if text != self._reading:  # the list announces its first item again as it mounts
            self._reading = text
            self.query_one("#reading", Static).update(Text(text))

    def reading(self, index: int | None) -> str:
        preamble = self.interview.guide.preamble
        return f"Read aloud: {preamble[index].text}" if index is not None and index < len(preamble) else ""

    @on(SelectionList.SelectionToggled)
    def ticked(self, event: SelectionList.SelectionToggled) -> None:
        item = event.selection.value
        checked = item in event.selection_list.selected
        self.interview.tick_consent(item, checked)
        self.update_gate()

    def gate(self) -> Gate:
        missing = self.interview.missing_consent(for_recording=True)
        short = [m if len(m) <= 40 else m[:39] + "…" for m in missing]
        text = "Still to tick before recording: " + "; ".join(short) if missing else "Ready: recording may start."
        return Gate(bool(missing), self.interview.can_start(record=False), text)

    def update_gate(self) -> None:
        gate = self.gate()
        self.query_one("#record", KeyButton).disabled = gate.missing
        self.query_one("#norecord", KeyButton).disabled = not gate.may_start
        line = self.query_one("#missing", Static)
        line.update(Text(gate.text))
        line.set_class(gate.missing, "problem")

    @on(KeyButton.Pressed, "#record")
    def record_pressed(self) -> None:
        self.action_start(True)

    @on(KeyButton.Pressed, "#norecord")
    def norecord_pressed(self) -> None:
        self.action_start(False)

    def action_start(self, record: bool) -> None:
        if getattr(self, "starting", False):
            return  # a second key press while the recording opens must not start twice
        if not self.interview.can_start(record):
            # Keys typed behind the refused s or w (a note begun at once) must not tick the list.
            self.app.key_gate.drop_waiting()
            missing = "; ".join(self.interview.missing_consent(for_recording=record))
            self.app.notify(f"Tick these first: {missing}", severity="warning", timeout=6)
            return
        self.starting = True
        self.query_one("#record", KeyButton).disabled = True
        self.query_one("#norecord", KeyButton).disabled = True
        # What was ticked is what the start was given: keys that follow (a note typed before
        # the interview screen is up) must not tick or untick anything once it is under way.
        self.query_one("#items", SelectionList).disabled = True
        # What is typed from now on is for the interview screen's note line (key_gate.py).
        self.app.key_gate.hold(wanted=lambda: self.starting and self.is_attached)
        self.query_one("#missing", Static).update(Text("Starting… what you type now goes into the first note."))
        session_flow.start(self.session, record, then=self.show_interview, failed=self.start_failed)

    def start_failed(self, message: str) -> None:
        """Stay on the checklist, ticks kept, able to start again once the cause is fixed.
        (No message: the session could not be created, and the interviewer was told so.)
        Keys typed behind w or s were meant for a note that never opened: they must not
        tick the checklist now."""
        self.app.call_later(self.app.key_gate.release, drop=True)
        if not message:
            return
        self.app.notify(message, severity="error", timeout=15)
        self.starting = False
        items = self.query_one("#items", SelectionList)
        items.disabled = False
        items.focus()
        self.update_gate()

    def show_interview(self, session: session_flow.LiveSession) -> None:
        from companion.ui.screens.interview import open_interview

        open_interview(session, replacing=self.app.screen is self)

    def action_leave(self) -> None:
        """Leave before the start: keep the session (ticks kept, resumable) or discard it."""
        from companion.ui.screens.pickers import LeaveChecklistScreen

        if getattr(self, "starting", False):
            return  # the recording is opening: the interview screen comes next
        self.app.push_screen(LeaveChecklistScreen(self.interview.writer.participant), self.leave)

    def leave(self, choice: str | None) -> None:
        if choice is None or getattr(self, "starting", False):
            return  # stay
        self.starting = True
        if choice == "discard":
            session_flow.discard(self.app, self.interview, done=self.app.show_home, failed=self.leave_failed)
            return
        session_flow.close(
            self.app, self.interview, "interrupted", failed=self.leave_failed,
            done=lambda: self.app.show_home("The interview was left before it started; it can be resumed."),
        )

    def leave_failed(self) -> None:
        """It could not be closed (the interviewer was told why): still here, able to try again."""
        self.starting = False


class Gate(NamedTuple):
    """What may start: recording is held back while required items are unticked."""

    missing: bool  # a required item is unticked
    may_start: bool  # without recording
    text: str


def consent_ready(session: session_flow.LiveSession) -> None:
    """Tell the checklist shown for ``session`` that the session now exists."""
    for screen in session.app.screen_stack:
        if isinstance(screen, ConsentScreen) and screen.session is session:
            screen.session_ready()


def consent_label(item) -> str:
    return f"(required) {item.text}" if item.required else item.text
