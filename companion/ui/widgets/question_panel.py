"""The current question, large and readable.

What the interviewer must see at a glance — the question, what to say to the
participant after they answer, and what to do if they become distressed — comes first
and fits at 80×24; the interviewer-only context and the probes and prompts follow and
scroll (↑/↓), with a line saying there is more whenever there is.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from companion.actions import display_key, effective_keys
from companion.ui.widgets.question_text import (
    render_ask,
    render_context,
    render_distress,
    render_follow_ups,
    render_head,
    render_present,
)

MUST_SEE = ("#ask", "#present", "#distress")  # kept in view without scrolling


class QuestionPanel(Vertical, can_focus=False):
    """Composed with the current question drawn (see InterviewScreen.compose)."""

    def __init__(self, interview, **options) -> None:
        super().__init__(**options)
        self.interview = interview
        self._shown = interview.question

    def compose(self):
        boxes = {box_id: (text, shown) for box_id, text, shown in self.boxes(self.interview)}
        yield Static(boxes["#question-head"][0], id="question-head")
        with VerticalScroll(id="question-body", can_focus=False):
            for box_id, classes in (("#ask", ""), ("#present", "present"), ("#distress", "distress"),
                                    ("#context", "context"), ("#follow-ups", "")):
                text, shown = boxes[box_id]
                box = Static(text, id=box_id[1:], classes=classes)
                box.display = shown
                yield box
        more = Static(id="question-more")
        more.display = False  # shown by show_more once the text is laid out and overflows
        yield more

    def on_mount(self) -> None:
        body = self.query_one("#question-body", VerticalScroll)
        self.watch(body, "scroll_y", lambda _: self.show_more(), init=False)
        self.watch(body, "max_scroll_y", lambda _: self.show_more(), init=False)
        self.call_after_refresh(self.show_more)

    def boxes(self, interview):
        """(box, its text, whether it is shown) for every part of the question."""
        yield "#question-head", render_head(interview), True
        yield "#ask", render_ask(interview), True
        for box_id, label, text in (
            ("#present", "Say after they answer — ", render_present(interview)),
            ("#distress", "⚠ Distress — ", render_distress(interview)),
            ("#context", "Interviewer only, not read aloud — ", render_context(interview)),
        ):
            yield box_id, Text.assemble((label, "bold"), text), bool(text)
        question = interview.question
        # The typed command first: it reaches the app from every laptop keyboard.
        probe_key, prompt_key = self.key_for("q.probe", "F4"), self.key_for("q.prompt", "ctrl+t")
        yield ("#follow-ups", render_follow_ups(interview, f"/pr or {probe_key}", f"/pt or {prompt_key}"),
               bool(question and (question.probes or question.prompts)))

    def refresh_from(self, interview) -> None:
        for box_id, text, shown in self.boxes(interview):
            box = self.query_one(box_id, Static)
            box.update(text)
            box.display = shown
        if interview.question is not self._shown:
            self._shown = interview.question
            self.query_one("#question-body", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self.show_more)

    def key_for(self, action_id: str, default: str) -> str:
        """The first key of ``action_id`` as a person reads it, the user's keymap applied."""
        keymap = getattr(getattr(self.app, "settings", None), "keymap", None) or {}
        keys = effective_keys(keymap).get(action_id)
        return display_key(keys[0]) if keys else default
        # Textual applies the user's keymap to a copy of the bindings as it looks keys up;
        # the screen's own bindings keep the default keys.
        moved = getattr(getattr(self.app, "settings", None), "keymap", {}).get(binding_id)
        for binding in (b for group in bindings for b in group):
            if binding.id == binding_id:
                if moved:
                    binding = binding.with_key(moved.split(",")[0].strip())
                return self.app.get_key_display(binding)
        return default

    def scroll_by(self, lines: int) -> None:
        body = self.query_one("#question-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    def show_more(self) -> None:
        """Say when part of the question's text is out of sight, and where."""
        body = self.query_one("#question-body", VerticalScroll)
        more = self.query_one("#question-more", Static)
        # The line itself takes a row from the body: content that overflows by one row only
        # because the line is there would fit without it. Judged so, there is one answer for
        # each question, whatever the question before it left showing.
        overflow = body.max_scroll_y - (1 if more.display else 0) > 0
        below, above = body.max_scroll_y - body.scroll_y, body.scroll_y
        if overflow and below > 0:
            more.update(Text(f"▼ more below ({round(below)} lines) — ↓ scrolls", style="bold"))
        elif overflow:
            more.update(Text("▲ more above — ↑ scrolls back", style="dim"))
        more.display = overflow
