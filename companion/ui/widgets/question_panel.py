"""The current question, large and readable: lead-in, question, probes, sub-prompts, and the
interviewer-only context set visibly apart (it is never read aloud)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


def render_question(interview) -> Text:
    stage, question = interview.stage, interview.question
    text = Text()
    if question is None:
        text.append("No question yet — PgDn shows the first.", style="italic")
        return text
    number = interview.current + 1
    text.append(f"{stage.title} · question {number} of {len(interview.flat)}", style="dim")
    state = interview.coverage.get(question.id)
    if state:
        text.append(f"  [{state}]", style="bold")
    text.append("\n\n")
    if stage.intro and stage.questions[0] is question:
        text.append(f"{stage.intro}\n\n", style="italic")
    if question.lead_in:
        text.append(f"{question.lead_in}\n\n", style="italic")
    text.append(f"{question.ask}\n", style="bold")
    covered = interview.probes.get(question.id, set())
    if question.probes:
        text.append("\nProbes (F4 ticks one)\n", style="underline")
        for i, probe in enumerate(question.probes):
            box = "[x]" if i in covered else "[ ]"
            text.append(f" {box} {i + 1}. {probe}\n", style="dim" if i in covered else "")
    if question.prompts:
        text.append("\nPrompts\n", style="underline")
        for prompt in question.prompts:
            text.append(f"  ◦ {prompt}\n")
    return text


def render_context(interview) -> str:
    """Interviewer-only text: stage note and question context."""
    stage, question = interview.stage, interview.question
    parts = [p for p in ((stage.note if stage else ""), (question.context if question else "")) if p]
    return "\n".join(parts)


class QuestionPanel(VerticalScroll, can_focus=False):
    def compose(self):
        yield Static(id="question-text")
        yield Static(id="context", classes="context")

    def refresh_from(self, interview) -> None:
        self.query_one("#question-text", Static).update(render_question(interview))
        context = render_context(interview)
        box = self.query_one("#context", Static)
        box.update(Text(f"Interviewer only — not read aloud:\n{context}") if context else "")
        box.display = bool(context)
        self.scroll_home(animate=False)
