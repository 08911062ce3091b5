"""The guide outline: stages with progress, questions marked current / covered / skipped / untouched."""

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


def render_outline(interview, width: int) -> tuple[Text, int]:
    """The outline as text, and the line of the current question (to keep it in view)."""
    text, line, current_line, index = Text(), 0, 0, 0
    room = max(10, width - 4)
    for stage in interview.guide.stages:
        done, total = interview.stage_progress(stage)
        text.append(f"{stage.title[: room - 6]} {done}/{total}\n", style="bold")
        line += 1
        for question in stage.questions:
            state = question_state(interview, index, question.id)
            if state == "current":
                current_line = line
            words = question.ask.replace("\n", " ")
            label = words if len(words) <= room else words[: room - 1] + "…"
            style = "reverse" if state == "current" else ("dim" if state in ("covered", "skipped") else "")
            text.append(f" {MARKS[state]} {label}\n", style=style)
            line += 1
            index += 1
    return text, current_line


class GuideOutline(VerticalScroll, can_focus=False):
    def compose(self):
        yield Static(id="outline-text")

    def refresh_from(self, interview) -> None:
        text, current_line = render_outline(interview, self.size.width or 30)
        self.query_one("#outline-text", Static).update(text)
        self.scroll_to(y=max(0, current_line - 3), animate=False)
