"""Correcting a note's text after the interview: the correction becomes a new event."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from companion.timefmt import clock
from companion.ui.screens.pickers import Picker
from companion.ui.widgets.burst_input import BurstInput
from companion.ui.widgets.note_paste import MultiLinePaste, note_text, shown


class CorrectScreen(Picker):
    def __init__(self, note):
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Correct the note at {clock(self.note.t)}", classes="section-title")
            if self.note.corrected:
                yield Static(Text(f"Originally: {self.note.original_text}"), classes="hint")
            # A note's line breaks (a multi-line paste) show as ↵ in the one-line field, as in
            # the note line; drawn raw they spilt over the screen behind.
            yield LinesInput(shown(self.note.text), id="text")
            yield Static("Enter saves the correction; Esc leaves the note as it is.", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = note_text(event.value).strip()
        self.dismiss(text or None)


class LinesInput(MultiLinePaste, BurstInput):
    """A one-line field for a text with line breaks (shown as ↵), pasted ones kept."""
