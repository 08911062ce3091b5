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
    def compose(self):
        yield Static(id="outline-text")

    def refresh_from(self, interview) -> None:
        text, current_line = render_outline(interview)
        self.query_one("#outline-text", Static).update(text)
        self.scroll_to(y=max(0, current_line - 3), animate=False)
