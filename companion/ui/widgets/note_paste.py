"""A paste of several lines into the note line arrives whole: one note, with its line breaks.

Textual's Input keeps only the first line of a paste. The note line is one line high, so
here a pasted line break shows as ↵ while the note is being written, and the note is
saved with real line breaks at Enter (the exports flatten them where a format needs one
line, e.g. Audacity labels).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

LINE_BREAK = "↵"


def shown(text: str) -> str:
    """Pasted text as the one-line field shows it: every kind of line break as ↵."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", LINE_BREAK)


def note_text(value: str) -> str:
    """The note the field holds, with its line breaks back."""
    return value.replace(LINE_BREAK, "\n")


class MultiLinePaste:
    """For an Input: a bracketed paste is inserted whole, at the cursor or over the selection."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler would insert the first line again
        if event.text:
            start, end = self.selection
            self.replace(shown(event.text), *sorted((start, end)))
        event.stop()


class NoteField(MultiLinePaste, Input):
    """The interview's note line."""
