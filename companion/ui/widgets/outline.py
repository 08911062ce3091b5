"""The guide outline: stages with progress, questions marked current / covered / skipped /
untouched, and optional questions marked (opt)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

# Marks carry the meaning in shape, not colour alone.
MARKS = {"current": "▶", "covered": "✓", "skipped": "–", "shown": "○", "untouched": "·"}


def question_state(interview, index: int, question_id: str) -> str:
    if index == interview.current:
        return "current"
    if question_id in interview.coverage:
        return interview.coverage[question_id]
    return "shown" if question_id in interview.shown else "untouched"


def render_outline(interview) -> tuple[Text, int]:
    """The outline as text (one line each, cut with an ellipsis), and the current question's line."""
    text = Text(no_wrap=True, overflow="ellipsis")
    line, current_line, index = 0, 0, 0
    for stage in interview.guide.stages:
        done, total = interview.stage_progress(stage)
        text.append(f"{done}/{total} {stage.title}\n", style="bold")
        line += 1
        for question in stage.questions:
            state = question_state(interview, index, question.id)
            if state == "current":
                current_line = line
            style = "reverse" if state == "current" else ("dim" if state in ("covered", "skipped") else "")
            text.append(f" {MARKS[state]} ", style=style)
            if question.optional:  # asked when time allows: marked in words, not colour alone
                text.append("(opt) ", style=f"{style} italic".strip())
            text.append(f"{' '.join(question.ask.split())}\n", style=style)
            line += 1
            index += 1
    return text, current_line


class GuideOutline(VerticalScroll, can_focus=False):
    """Composed with the outline drawn (see InterviewScreen.compose)."""

    def __init__(self, interview, **options) -> None:
        super().__init__(**options)
        self.interview = interview
        # A guide's outline is longer than the panel (six stages, some 40 lines, against the
        # 30 rows of a 120×40 terminal): its scrollbar is there from the first layout. Found
        # out in that layout instead, it asked for a second one of the whole interview screen
        # (and a full repaint, some 35 ms) just as the screen opened. A short outline still
        # loses the scrollbar as it is laid out.
        self.set_reactive(VerticalScroll.show_vertical_scrollbar, True)

    def compose(self):
        text, self._current_line = render_outline(self.interview)
        yield Static(text, id="outline-text")

    def on_mount(self) -> None:
        self.vertical_scrollbar.display = True  # made (hidden) only as the first layout finds it
        if self._current_line > 3:  # a resumed interview: its question in view once laid out
            self.call_after_refresh(self.scroll_to, y=self._current_line - 3, animate=False)

    def refresh_from(self, interview) -> None:
        text, current_line = render_outline(interview)
        self.query_one("#outline-text", Static).update(text)
        self.scroll_to(y=max(0, current_line - 3), animate=False)
