"""What the question panel says, as rich Text, part by part (no widgets here).

Reading order is the interview's: the stage's intro and the lead-in, the question, then
what to say once they answer (a counter-view), the distress cue, the interviewer-only
context, and last the probes and prompts to tick. The first three parts are what the
interviewer must see at a glance; the panel keeps them at the top.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text


def render_head(interview) -> Text:
    """One line: where this question is, its mark, and whether it is optional."""
    stage, question = interview.stage, interview.question
    text = Text(no_wrap=True, overflow="ellipsis")
    if question is None:
        return text
    text.append(f"{interview.current + 1}/{len(interview.flat)} · {stage.title}", style="dim")
    if question.optional:
        text.append("  optional", style="italic")
    state = interview.coverage.get(question.id)
    if state:
        text.append(f"  [{state}]", style="bold")
    return text


def render_ask(interview) -> Text:
    """The words said aloud before and as the question: intro, lead-in, the question."""
    stage, question = interview.stage, interview.question
    text = Text()
    if question is None:
        text.append("No question yet — PgDn shows the first.", style="italic")
        return text
    # Italic for what leads in, bold for the question: told apart without a blank row each.
    if stage.intro and stage.questions[0] is question:
        text.append(f"{stage.intro}\n", style="italic")
    if question.lead_in:
        text.append(f"{question.lead_in}\n", style="italic")
    text.append(question.ask, style="bold")
    return text


def render_present(interview) -> str:
    question = interview.question
    return question.present if question else ""


def render_distress(interview) -> str:
    """The question's own distress cue, else its stage's: one, never both."""
    stage, question = interview.stage, interview.question
    return stage.distress_for(question) if question else ""


def render_context(interview) -> str:
    """Interviewer-only text: the stage note and the question's context, each once."""
    stage, question = interview.stage, interview.question
    parts = [p for p in ((stage.note if stage else ""), (question.context if question else "")) if p]
    return "\n".join(dict.fromkeys(parts))  # the same reminder in both places is shown once


def render_follow_ups(interview, probe_key: str = "F4", prompt_key: str = "ctrl+t"):
    """Probes and prompts, each with its box ticked once asked; long ones wrap under their text."""
    question = interview.question
    parts: list = []
    if question is None:
        return Group()
    for title, items, ticked, key in (
        ("Probes", question.probes, interview.probes.get(question.id, set()), probe_key),
        ("Prompts", question.prompts, interview.prompts.get(question.id, set()), prompt_key),
    ):
        if not items:
            continue
        if parts:
            parts.append(Text(""))
        parts.append(Text(f"{title} ({key} ticks one)", style="underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for i, item in enumerate(items):
            done = i in ticked
            style = "dim" if done else ""
            grid.add_row(Text(f"{'[x]' if done else '[ ]'} {i + 1}.", style=style), Text(item, style=style))
        parts.append(grid)
    return Group(*parts)
