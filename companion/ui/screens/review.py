"""Reviewing sessions: the browser of every session in the store, and one session's view —
timeline, coverage, quotes, safeguarding — with playback from any note.

Everything shown is a fold of the event log (companion.review.fold); corrections are
written as new events, never over the original.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from companion.errors import CompanionError
from companion.timefmt import clock
from companion.ui.widgets.footer import Footer


def open_review(app, ref: str | None) -> None:
    """The browser; or, given ``ref``, that session at once, with the browser under it once the
    session is left (drawing the browser first kept a long session from taking keys sooner)."""
    from companion.ui.screens.session_view import warm_audio

    # Loading the sound library takes most of a second: begin now, so a note plays at once.
    app.run_worker(warm_audio, thread=True, group="warm-audio", exit_on_error=False)
    if ref:
        open_session(app, ref)
    else:
        app.push_screen(BrowserScreen())


def ensure_browser(app) -> None:
    """Where a session opened from the command line goes back to, or one that would not open."""
    if not any(isinstance(screen, BrowserScreen) for screen in app.screen_stack):
        app.push_screen(BrowserScreen())


def open_session(app, ref: str, settled=None) -> None:
    """Open a session's view off the UI thread; ``settled()`` once it is shown, refused or
    waiting for the study's key. Keys typed meanwhile wait for the view (key_gate.py)."""
    # Reading a long or encrypted session can take a moment: say so if it does.
    slow = app.set_timer(0.5, lambda: app.notify(f"Opening {ref}…", timeout=3))
    opening = [True]
    app.key_gate.hold(wanted=lambda: opening[0])

    def over() -> None:
        slow.stop()
        if settled is not None:
            settled()

    def refused() -> None:  # typed for a view that did not open: never into the passphrase field
        opening[0] = False
        app.call_later(app.key_gate.release, drop=True)
        over()

    def failed(message: str) -> None:
        refused()
        app.notify(message, severity="error", timeout=10)
        ensure_browser(app)

    def show(screen) -> None:
        app.push_screen(screen, lambda _: ensure_browser(app))  # it releases the keys as it mounts
        over()

    def key_needed() -> None:
        refused()
        ask_for_key(app, ref)

    def work_() -> None:
        from companion.audit import audited
        from companion.crypto.errors import KeyRequired
        from companion.review.fold import fold

        try:
            with audited(app.store().root, "review", [str(ref)]):
                record = app.store().open(ref, app.keyring)
        except KeyRequired:
            app.call_from_thread(key_needed)
            return
        except CompanionError as error:
            app.call_from_thread(failed, str(error))
            return
        view = fold(record.guide, record.events, record.meta)
        from companion.ui.screens.session_view import SessionScreen

        app.call_from_thread(show, SessionScreen(record, view))  # made here: its rows are worked out off the UI thread

    app.run_worker(work_, thread=True, group="review", name="open-session")


def ask_for_key(app, ref: str) -> None:
    """An encrypted session: the dialog asks for the study's key, then the session opens."""
    from companion.ui.screens.key_dialog import KeyDialog

    def given(keyring) -> None:
        if keyring is not None:
            app.keyring = keyring  # kept for this run of the app: one passphrase per sitting
            open_session(app, ref)
        else:
            ensure_browser(app)

    app.push_screen(KeyDialog(f"Session {ref} is encrypted."), given)


def status_words(summary) -> str:
    """Status in words, so due and interrupted sessions stand out without colour."""
    words = [summary.status]
    if summary.due:
        words.append("DUE FOR DESTRUCTION")
    return ", ".join(words)


class BrowserScreen(Screen):
    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#sessions"
    BINDINGS = [
        Binding("escape", "back", "Back", id="browser.back"),
        Binding("f3", "report", "Coverage report", id="browser.report"),
        Binding("ctrl+l", "reload", "Reload", id="browser.reload", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browser"):
            # Not selected on focus: the character that moved the focus here is already in it.
            yield Input(id="filter", placeholder="Filter: type a participant, guide, date or status",
                        select_on_focus=False)
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static("", id="count", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Participant", "Started", "Guide", "Duration", "Notes", "Flags", "⚠ Safeguarding", "Status", "Retain until")
        self.summaries = []
        self.loaded = False  # until the store's listing is shown
        self.opening = False  # a session is being opened: Enter again must not open it twice
        self.open_when_loaded = False  # Enter came before the listing did
        self.action_reload()
        table.focus()

    @work(thread=True, exclusive=True, group="browser")
    def action_reload(self) -> None:
        try:
            summaries = self.app.store().sessions()
        except CompanionError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.show, summaries)

    def show(self, summaries) -> None:
        self.summaries = summaries
        self.loaded = True
        self.filter(self.query_one("#filter", Input).value)
        if self.open_when_loaded:
            self.open_when_loaded = False
            self.open_highlighted()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def filter(self, text: str) -> None:
        words = text.lower().split()
        table = self.query_one("#sessions", DataTable)
        table.clear()
        shown = 0
        # A participant's own ID typed in full lists their sessions first, so Enter opens theirs,
        # not PR11's for PR1.
        for s in sorted(self.summaries, key=lambda s: s.participant.lower() != text.strip().lower()):
            row = browser_row(s)
            if all(any(w in str(cell).lower() for cell in row) for w in words):
                table.add_row(*row, key=f"{s.participant}/{s.session}")
                shown += 1
        self.query_one("#count", Static).update(
            f"{shown} of {len(self.summaries)} sessions · Enter opens one · type to filter" if self.summaries
            else "No sessions in this store yet."
        )

    def on_key(self, event) -> None:
        """Typing anywhere filters, from its first character; the arrows keep moving through the table."""
        box = self.query_one("#filter", Input)
        if event.character and event.character.isprintable() and self.focused is not box:
            event.stop()
            box.focus()
            box.cursor_position = len(box.value)  # it goes on from what the filter holds
            box.insert_text_at_cursor(event.character)
        elif event.key in ("down", "up") and self.focused is box:
            self.query_one("#sessions", DataTable).focus()

    @on(DataTable.RowSelected, "#sessions")
    def chosen(self, event: DataTable.RowSelected) -> None:
        self.open(event.row_key.value)

    @on(Input.Submitted, "#filter")
    def open_highlighted(self) -> None:
        if not self.loaded:  # "v PR5 Enter" typed at once: open it once the listing is here
            self.open_when_loaded = True
            return
        table = self.query_one("#sessions", DataTable)
        if table.row_count:
            self.open(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)

    def open(self, ref: str) -> None:
        if self.opening:
            return  # Enter twice: one view, one line in the audit log
        self.opening = True
        open_session(self.app, ref, settled=self.opened)

    def opened(self) -> None:
        self.opening = False

    def action_back(self) -> None:
        self.app.show_home()

    def action_report(self) -> None:
        from companion.ui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen())


def browser_row(s) -> tuple:
    started = str(s.started or "")[:16].replace("T", " ")
    duration = clock(s.duration) if s.duration is not None else "—"
    safeguarding = Text(f"⚠ {s.safeguarding}", style="bold") if s.safeguarding else "0"
    return (Text(s.participant), started, Text(s.guide), duration, s.notes, s.flags, safeguarding, Text(status_words(s)), str(s.retain_until))
