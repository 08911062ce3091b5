"""The notes taken on the current question, each with its audio time and whether it is saved."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from companion.timefmt import clock

# The panel shows a dozen lines; rendering more after every Enter only delays the next save.
SHOWN = 30
COMPACT_ROWS = 3  # a panel this short shows one line a note
NO_NOTES = "No notes on this question yet. Type below; Enter saves."

STATUS = {"saving": "saving…", "saved": "saved", "failed": "NOT SAVED — kept, retried by itself (ctrl+r: now)"}


def render_notes(interview, compact: bool = False) -> Text:
    """Each note with its time and whether it is saved. ``compact``: one line a note, its
    state before its words, for a panel of two or three rows (80×24), where a wrapped note
    showed only its last line and no time."""
    question = interview.question.id if interview.question else None
    notes = [n for n in interview.notes if n.question == question]
    text = Text()
    if not notes:
        text.append(NO_NOTES, style="dim italic")
    if len(notes) > SHOWN:
        text.append(f"… {len(notes) - SHOWN} earlier notes on this question (all saved in the review)\n", style="dim")
    for note in notes[-SHOWN:]:
        text.append_text(note_line(note, compact)).append("\n")
    text.rstrip()  # no empty last line: scrolled to the end, the panel shows the last note
    return text


def note_line(note, compact: bool) -> Text:
    """Time, words, tags, flags, state; compact: time, state and flags first, then the words
    (cut at the panel's edge, a line break shown as ↵)."""
    state = Text(f"[{STATUS[note.status]}]", style="bold reverse" if note.status == "failed" else "dim")
    flags = [Text(f"⚑ {kind}", style="bold") for kind in note.flags]
    words = Text()
    if note.during_break:
        words.append("(break) ", style="italic")
    words.append(note.text.replace("\n", " ↵ ") if compact else note.text)
    if note.codes:
        words.append("  #" + " #".join(note.codes), style="italic")
    line = Text().append(f"{clock(note.t):>8} ", style="bold")
    if compact:
        return line.append_text(Text(" ").join([state, *flags, words]))
    for flag in flags:
        words.append("  ").append_text(flag)
    return line.append_text(words).append("  ").append_text(state)


class NotesLog(VerticalScroll, can_focus=False):
    """Composed with the notes shown (see InterviewScreen.compose)."""

    def __init__(self, interview, **options) -> None:
        super().__init__(**options)
        self.interview = interview

    compact = False  # one line a note: the panel is too short for wrapped ones (see render_notes)

    def compose(self):
        self.shown = render_notes(self.interview)
        yield Static(self.shown, id="notes-text")

    def on_mount(self) -> None:
        self.scroll_end(animate=False)

    def on_resize(self) -> None:
        compact = self.scrollable_content_region.height <= COMPACT_ROWS
        if compact != self.compact:
            self.compact = compact
            self.refresh_from(self.interview)

    def refresh_from(self, interview) -> None:
        # Only when what is shown changes: the first resize comes just after the screen's
        # first layout, and a change then (even to the same text) lays the whole screen out
        # again a frame later. With no notes the line wraps whatever the panel's height
        # (two rows at 80×24), as the screen first shows it: one line a note is for notes.
        text = render_notes(interview, self.compact)
        if text != self.shown:
            self.shown = text
            self.set_class(self.compact and text.plain != NO_NOTES, "-compact")
            self.query_one("#notes-text", Static).update(text)
        self.scroll_end(animate=False)
