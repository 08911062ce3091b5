"""The notes taken on the current question, each with its audio time and whether it is saved."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from companion.timefmt import clock

# The panel shows a dozen lines; rendering more after every Enter only delays the next save.
SHOWN = 30

STATUS = {"saving": "saving…", "saved": "saved", "failed": "NOT SAVED — kept, retried by itself (ctrl+r: now)"}


def render_notes(interview) -> Text:
    question = interview.question.id if interview.question else None
    notes = [n for n in interview.notes if n.question == question]
    text = Text()
    if not notes:
        text.append("No notes on this question yet. Type below; Enter saves.", style="dim italic")
    if len(notes) > SHOWN:
        text.append(f"… {len(notes) - SHOWN} earlier notes on this question (all saved in the review)\n", style="dim")
    for note in notes[-SHOWN:]:
        text.append(f"{clock(note.t):>8} ", style="bold")
        if note.during_break:
            text.append("(break) ", style="italic")
        text.append(note.text)
        if note.codes:
            text.append("  #" + " #".join(note.codes), style="italic")
        for kind in note.flags:
            text.append(f"  ⚑ {kind}", style="bold")
        style = "bold reverse" if note.status == "failed" else "dim"
        text.append(f"  [{STATUS[note.status]}]\n", style=style)
    return text


class NotesLog(VerticalScroll, can_focus=False):
    """Composed with the notes shown (see InterviewScreen.compose)."""

    def __init__(self, interview, **options) -> None:
        super().__init__(**options)
        self.interview = interview

    def compose(self):
        yield Static(render_notes(self.interview), id="notes-text")

    def on_mount(self) -> None:
        self.scroll_end(animate=False)

    def refresh_from(self, interview) -> None:
        self.query_one("#notes-text", Static).update(render_notes(interview))
        self.scroll_end(animate=False)
