"""Across sessions: which questions get covered, skipped or never reached, and which codes are used."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from companion.errors import CompanionError
from companion.ui.widgets.footer import Footer

STATE_COLUMNS = (("covered", "Covered"), ("skipped", "Skipped"), ("shown-not-marked", "Not marked"), ("not-reached", "Not reached"))


class ReportScreen(Screen):
    CSS_PATH = "report.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="report.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static("Reading every session…", classes="hint"), id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="report")
    def load(self) -> None:
        from companion.audit import audited
        from companion.crypto.errors import KeyRequired
        from companion.review.report import store_reports

        store = self.app.store()
        try:
            with audited(store.root, "report", []):
                reports, skipped = store_reports(store, keyring=self.app.keyring)
        except KeyRequired:
            self.app.call_from_thread(self.ask_for_key)
            return
        except CompanionError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.show, reports, store.notices + skipped)

    def ask_for_key(self) -> None:
        """Encrypted sessions: the study's key reads their codes (coverage alone needs none)."""
        from companion.ui.screens.key_dialog import KeyDialog

        def given(keyring) -> None:
            if keyring is not None:
                self.app.keyring = keyring
                self.load()

        self.app.push_screen(KeyDialog("The coverage report reads the codes of encrypted sessions."), given)

    def show(self, reports, skipped: list[str]) -> None:
        box = self.query_one("#report", VerticalScroll)
        box.remove_children()
        shown = [] if reports else [Static("No sessions in this store yet.")]
        for report in reports:
            shown += [Static(Text(f"{report.title} — {report.sessions} session(s)"), classes="section-title"),
                      question_table(report), Static("Codes by use", classes="section-title"), code_table(report)]
        shown += [Static(Text(line), classes="problem") for line in skipped]
        box.mount_all(shown)  # one mount, one layout: a mount per widget lays the screen out again each time


def question_table(report) -> DataTable:
    # The counts before the question's words: at 80 columns they are what must stay in view.
    table = DataTable(cursor_type="row", zebra_stripes=True)
    # A question never covered is marked in a column of its own, before the words it followed.
    table.add_columns("Stage", *(label for _, label in STATE_COLUMNS), "Never", "Question")
    for q in report.questions:
        never = Text("never", style="bold") if q.sessions and not q.counts["covered"] else ""
        optional = "(opt) " if q.optional else ""
        table.add_row(Text(q.stage), *(q.counts[state] for state, _ in STATE_COLUMNS), never, Text(f"{optional}{q.ask[:70]}"))
    return table


def code_table(report) -> DataTable:
    table = DataTable(cursor_type="row", zebra_stripes=True)
    table.add_columns("Code", "Notes", "Sessions", "Label")  # the counts in view at 80 columns
    for c in report.codes:
        table.add_row(Text(c.code), c.notes, c.sessions, Text(c.label))
    return table
