"""Starting an interview: which guide, which participant ID (never a name), whose initials."""

from __future__ import annotations

import re

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from companion.errors import CompanionError
from companion.guide.model import Guide
from companion.store.ids import same_number_held
from companion.ui.widgets.key_button import KeyButton
from companion.ui.widgets.key_footer import KeyFooter
from companion.ui.widgets.burst_input import BurstInput
from companion.ui import session_flow

INITIALS = re.compile(r"[A-Za-z]{1,4}")


class NewInterviewScreen(Screen):
    CSS_PATH = "new_interview.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="new.back"),
    ]

    def __init__(self, guides: list[Guide]):
        super().__init__()
        self.guides = guides

    def compose(self) -> ComposeResult:
        yield Header()
        # Scrolls when the terminal is short (80×24 with an error under the ID): the field
        # taking the focus is scrolled into view, and Enter and Esc do what the buttons do.
        with VerticalScroll(id="form", can_focus=False):
            yield Label("Guide", classes="section-title")
            yield OptionList(
                *[Option(Text(f"{g.title}  ({g.audience})"), id=g.id) for g in self.guides], id="guide-list"
            )
            yield Label("Participant ID — an ID, never a name", classes="section-title")
            # Not selected on focus: the character that moved the focus here is already in it.
            yield BurstInput(id="participant", placeholder="a participant ID", select_on_focus=False)
            yield Static("", id="participant-help", classes="hint")
            yield Label("Interviewer initials (optional)", classes="section-title")
            yield BurstInput(id="initials", placeholder="e.g. JS", max_length=4)
            with Horizontal(id="buttons"):
                yield KeyButton(Text("Continue to consent  [Enter]"), id="continue", classes="-go", disabled=True)
                yield KeyButton(Text("Back  [Esc]"), id="back")
        yield KeyFooter()

    def on_mount(self) -> None:
        guide_list = self.query_one("#guide-list", OptionList)
        if self.guides:
            guide_list.highlighted = 0
        guide_list.focus()
        self.held: dict[str, int] = {}  # the IDs the store holds and their sessions, read off the UI thread
        self.validate()
        self.load_held()

    @work(thread=True, exclusive=True, group="new-held", exit_on_error=False)
    def load_held(self) -> None:
        from companion.store.layout import held_sessions, participant_folders

        root = self.app.settings.sessions
        try:
            held = held_sessions(root, participant_folders(root))
        except CompanionError:
            return  # an unreadable store is told where a session is created in it
        self.app.call_from_thread(self.held_read, held)

    def held_read(self, held: dict[str, int]) -> None:
        self.held = held
        if self.is_attached and not getattr(self, "starting", False):  # still the form being filled in
            self.validate()

    @property
    def guide(self) -> Guide | None:
        index = self.query_one("#guide-list", OptionList).highlighted
        return self.guides[index] if index is not None and self.guides else None

    @on(OptionList.OptionHighlighted)
    @on(Input.Changed)
    def validate(self) -> None:
        """Check the ID as it is typed, against the chosen guide's rule."""
        guide, text = self.guide, self.query_one("#participant", Input).value
        help_line = self.query_one("#participant-help", Static)
        problem = participant_problem(self.app, guide, text)
        rule = guide.participant_id if guide else None
        example = f"IDs for this guide look like {rule.example} ({rule.prefix} then digits)." if rule else ""
        self.query_one("#participant", Input).placeholder = f"e.g. {rule.example}" if rule else "a participant ID"
        if not text:
            help_line.update(Text(example))
            help_line.set_class(False, "problem")
        else:
            help_line.update(Text((self.other_guide(text) or problem) if problem else self.valid(text)))
            help_line.set_class(bool(problem), "problem")
        initials = self.query_one("#initials", Input).value
        initials_ok = not initials or INITIALS.fullmatch(initials)
        self.query_one("#continue", KeyButton).disabled = bool(problem or not text or not guide or not initials_ok)

    def valid(self, text: str) -> str:
        """A valid ID; and, when the store holds its number with other zeros (C09 for C9), that
        ID: one person filed under two IDs would be missed by a withdrawal of either."""
        twins, named = same_number_held(text, self.held)
        if twins:
            verb = "is" if len(twins) == 1 else "are"
            return f"✓ {text} is a valid ID, but {named} {verb} held: if this is the same person, type {twins[0]}."
        return f"✓ {text} is a valid ID."

    def other_guide(self, text: str) -> str:
        """An ID that fits another guide (PR61 typed with the carer guide highlighted): say which."""
        fits = [g for g in self.guides if g is not self.guide and not participant_problem(self.app, g, text)]
        return f"{text} is an ID for the {fits[0].title} guide: choose it above (shift+tab)." if fits else ""

    def on_key(self, event) -> None:
        """An ID typed while the guide list has focus goes into the ID field, from its first
        character (the list takes no letters: "n C07" lost the ID; the C came before the focus)."""
        if (self.focused in (None, self.query_one("#guide-list")) and event.character
                and event.character.isprintable() and not event.character.isspace()):
            event.stop()
            field = self.query_one("#participant", Input)
            field.focus()
            field.cursor_position = len(field.value)
            field.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected, "#guide-list")
    def guide_chosen(self) -> None:
        self.query_one("#participant", Input).focus()

    @on(Input.Submitted, "#participant")
    def participant_entered(self) -> None:
        self.query_one("#initials", Input).focus()

    @on(Input.Submitted, "#initials")
    @on(KeyButton.Pressed, "#continue")
    def start(self) -> None:
        if getattr(self, "starting", False):
            return  # Enter twice must not create two sessions
        self.validate()
        if self.query_one("#continue", KeyButton).disabled:
            field, words = self.what_is_wrong()
            self.app.notify(words, severity="warning")
            self.query_one(field).focus()  # back to the field that needs fixing
            return
        participant = self.query_one("#participant", Input).value
        initials = self.query_one("#initials", Input).value or None
        self.starting = True
        self.query_one("#continue", KeyButton).disabled = True
        # Ticks typed behind the Enter are for the checklist, which releases them (key_gate.py).
        self.app.key_gate.hold(wanted=lambda: self.starting and self in self.app.screen_stack)
        begin_session(self.app, self.guide, participant, initials.upper() if initials else None)

    def what_is_wrong(self) -> tuple[str, str]:
        """The field that keeps the form from going on, and what to do there."""
        participant = self.query_one("#participant", Input).value
        if self.guide and participant and not participant_problem(self.app, self.guide, participant):
            return "#initials", "Initials are one to four letters, or none."
        return "#participant", "Choose a guide and type a valid participant ID first."

    @on(KeyButton.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()


def participant_problem(app, guide: Guide | None, text: str) -> str:
    if guide is None or not text:
        return ""
    try:
        app.store().check_participant(guide, text)
    except CompanionError as error:
        return str(error)
    return ""


def begin_session(app, guide: Guide, participant: str, initials: str | None) -> None:
    """Create the session and open the microphone off the UI thread, then show the consent checklist.
    Asked for on the command line, the checklist is shown at once, while the session is created.
    From the form, the checklist waits (a failure must find the form still there to fix) — and
    the form is the one that asked, decided now: the interviewer may go back meanwhile, and
    even open another form."""
    form = app.screen if isinstance(app.screen, NewInterviewScreen) else None

    def failed(message: str) -> None:
        if form is None:  # asked for on the command line
            session_flow.fail_start(app, message)
            return
        app.notify(message, severity="error", timeout=10)
        app.call_later(app.key_gate.release, drop=True)  # typed for a checklist that did not open
        if form in app.screen_stack:
            form.starting = False
            form.validate()

    def show_consent(session: session_flow.LiveSession) -> None:
        from companion.ui.screens.consent import ConsentScreen

        if form is not None and form not in app.screen_stack:  # gone back: keep it for later, say so
            name = session.interview.writer.name
            session_flow.close(app, session.interview, "interrupted", done=lambda: app.notify(
                f"Session {name} was created after you went back; it is kept at its consent "
                "checklist: resume it, or discard it there (Esc, d).", timeout=15))
            return
        while form is not None and form in app.screen_stack:
            app.pop_screen()  # the form is done with (and help opened over it): consent replaces it
        app.push_screen(ConsentScreen(session))

    session_flow.begin(app, guide, participant, initials, then=show_consent, failed=failed,
                       ready=consent_ready if form is None else None)


def consent_ready(session: session_flow.LiveSession) -> None:
    from companion.ui.screens.consent import consent_ready

    consent_ready(session)
