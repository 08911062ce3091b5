"""Resuming an interrupted interview: the log continues, a new audio segment starts,
and the timeline carries on from where it stopped."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from companion.errors import CompanionError


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
                    Option(Text(f"{s.participant}  {s.session}  {s.guide_title}  ({s.notes} notes)"), id=f"{s.participant}/{s.session}")
                    for s in self.sessions
                ],
                id="sessions",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sessions", OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        resume_in_background(self.app, event.option.id)


def resume_in_background(app, ref: str) -> None:
    def work() -> None:
        from companion.interview import Interview
        from companion.ui.screens.consent import show_interview
        from companion.ui.screens.new_interview import on_recorder_event

        try:
            record = app.store().open(ref)
            writer = app.store().resume(ref)
        except CompanionError as error:
            app.call_from_thread(app.notify, str(error), severity="error", timeout=10)
            return
        holder: dict = {}
        interview = Interview(writer, None, writer.guide)
        interview.restore(record.events)
        permitted = interview.recording_permitted()
        reason = "" if permitted else "the participant declined recording."
        interview.recorder = app.make_recorder(
            not permitted, reason, lambda type, t, fields: on_recorder_event(holder, type, t, fields)
        )
        holder["interview"] = interview
        interview.start(permitted)
        app.call_from_thread(leave_resume_list, app)
        app.call_from_thread(show_interview, app, interview, holder)

    app.run_worker(work, thread=True, group="session", name="resume-session")


def leave_resume_list(app) -> None:
    if isinstance(app.screen, ResumeScreen):
        app.pop_screen()
