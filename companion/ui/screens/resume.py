"""Resuming an interrupted interview: the log continues, a new audio segment starts,
and the timeline carries on from where it stopped."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Label, OptionList
from textual.widgets.option_list import Option

from companion.ui import session_flow
from companion.ui.widgets.footer import Footer


class ResumeScreen(Screen):
    CSS_PATH = "resume.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="resume.back")]

    def __init__(self, sessions):
        super().__init__()
        self.sessions = sessions

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="resume"):
            yield Label("Interrupted interviews — Enter resumes", classes="section-title")
            yield OptionList(
                *[
                    Option(Text(f"{s.participant}  {s.session}  {s.guide}  ({s.notes} note{'' if s.notes == 1 else 's'})"),
                           id=f"{s.participant}/{s.session}")
                    for s in self.sessions
                ],
                id="sessions",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sessions", OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if getattr(self, "resuming", False):
            return  # Enter twice: the session is opening; a second opening would find it locked
        self.resuming = True
        # A note begun behind the Enter goes to the interview's note line (key_gate.py).
        self.app.key_gate.hold(wanted=lambda: self.resuming and self.is_attached)
        resume_in_background(self.app, event.option.id, failed=self.resume_failed)

    def resume_failed(self, message: str) -> None:
        self.app.notify(message, severity="error", timeout=10)
        self.resuming = False
        self.app.call_later(self.app.key_gate.release, drop=True)  # typed for a session that did not open


def resume_in_background(app, ref: str, failed=None) -> None:
    """Take the session back: to the consent checklist when it never started, else to the
    interview. ``failed(sentence)``: it could not be; without it, the app leaves with the sentence
    (asked for on the command line)."""

    def at_consent(session: session_flow.LiveSession) -> None:
        from companion.ui.screens.consent import ConsentScreen

        leave_resume_list(app)
        app.push_screen(ConsentScreen(session))

    def started(session: session_flow.LiveSession) -> None:
        from companion.ui.screens.interview import open_interview

        leave_resume_list(app)
        open_interview(session)
        if session.interview.on_break:
            app.notify("Resumed on the break: nothing is recorded until you type /b (or press F7).", severity="warning", timeout=15)

    session_flow.resume(app, ref, at_consent=at_consent, started=started,
                        failed=failed or (lambda message: session_flow.fail_start(app, message)))


def leave_resume_list(app) -> None:
    if isinstance(app.screen, ResumeScreen):
        app.pop_screen()
