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
    """Take the session back. One left at the consent checklist goes back there (its ticks kept);
    one that had started carries on recording only if it was recording with permission."""

    def work() -> None:
        from companion.interview import Interview
        from companion.ui.screens.consent import holder_events, show_consent_again, show_interview, start_or_fall_back

        try:
            record = app.store().open(ref, sealed_ok=True)  # resuming never needs the private key
            writer = app.store().resume(ref)
        except CompanionError as error:
            app.call_from_thread(app.notify, str(error), severity="error", timeout=10)
            return
        holder: dict = {}
        interview = Interview(writer, None, writer.guide)
        interview.source_path = guide_file(app, writer.guide.id)
        interview.restore(record.events)
        sealed = sum(1 for e in record.events if e["type"] == "note" and "text" not in e)
        if sealed:
            app.call_from_thread(app.notify, f"{sealed} earlier notes — encrypted (the study key reads them in review).")
        holder["interview"] = interview
        app.call_from_thread(leave_resume_list, app)
        if not interview.was_started:
            interview.recorder = app.make_recorder(False, "", holder_events(holder))
            app.call_from_thread(show_consent_again, app, interview, holder)
            return
        permitted = interview.recording_permitted()
        reason = "" if permitted else "the participant declined recording."
        interview.recorder = app.make_recorder(not permitted, reason, holder_events(holder))
        start_or_fall_back(app, interview, holder, permitted)
        app.call_from_thread(show_interview, app, interview, holder)

    app.run_worker(work, thread=True, group="session", name="resume-session", exit_on_error=False)


def guide_file(app, guide_id: str):
    """The guide file to edit live: the one with this id in the guide folders — never the
    session's own copy, which is the record of what was asked."""
    from companion.guide.loader import find_guides

    for entry in find_guides(app.settings.guide_dirs):
        if entry.guide and entry.guide.id == guide_id:
            return entry.path
    return None


def leave_resume_list(app) -> None:
    if isinstance(app.screen, ResumeScreen):
        app.pop_screen()
