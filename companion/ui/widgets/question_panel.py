"""The current question, large and readable.

What the interviewer must see at a glance — the question, what to say to the
participant after they answer, and what to do if they become distressed — comes first
and fits at 80×24; the interviewer-only context and the probes and prompts follow and
scroll (↑/↓), with a line saying there is more whenever there is.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical, VerticalScroll
from textual.dom import NoScreen
from textual.widgets import Static

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
    def compose(self):
        yield Static(id="question-head")
        with VerticalScroll(id="question-body", can_focus=False):
            yield Static(id="ask")
            yield Static(id="present", classes="present")
            yield Static(id="distress", classes="distress")
            yield Static(id="context", classes="context")
            yield Static(id="follow-ups")
        more = Static(id="question-more")
        more.display = False  # shown by show_more once the text is laid out and overflows
        yield more

    def on_mount(self) -> None:
        body = self.query_one("#question-body", VerticalScroll)
        self.watch(body, "scroll_y", lambda _: self.show_more(), init=False)
        self.watch(body, "max_scroll_y", lambda _: self.show_more(), init=False)

    def refresh_from(self, interview) -> None:
        self.query_one("#question-head", Static).update(render_head(interview))
        self.query_one("#ask", Static).update(render_ask(interview))
        for box_id, label, text in (
            ("#present", "Say after they answer — ", render_present(interview)),
            ("#distress", "⚠ Distress — ", render_distress(interview)),
            ("#context", "Interviewer only, not read aloud — ", render_context(interview)),
        ):
            box = self.query_one(box_id, Static)
            box.update(Text.assemble((label, "bold"), text))
            box.display = bool(text)
        question = interview.question
        box = self.query_one("#follow-ups", Static)
        # The typed command first: it reaches the app from every laptop keyboard.
        probe_key, prompt_key = self.key_for("q.probe", "F4"), self.key_for("q.prompt", "ctrl+t")
        box.update(render_follow_ups(interview, f"/pr or {probe_key}", f"/pt or {prompt_key}"))
        box.display = bool(question and (question.probes or question.prompts))
        if interview.question is not getattr(self, "_shown", None):
            self._shown = interview.question
            self.query_one("#question-body", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self.show_more)

    def key_for(self, binding_id: str, default: str) -> str:
        """The key the screen binds to ``binding_id`` now (a user's keymap may have moved it)."""
        try:
            bindings = self.screen._bindings.key_to_bindings.values()
        except (NoScreen, AttributeError):  # not on a screen yet: the default key
            return default
        for binding in (b for group in bindings for b in group):
            if binding.id == binding_id:
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
