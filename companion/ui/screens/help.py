"""F1: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from companion.ui.screens.interview import InterviewScreen

NOTE_HELP = (
    "Typing goes into the note line, which keeps focus. A note's time is the moment you start typing; "
    "Enter saves it, and it shows 'saved' only once it is on disk. ctrl+p opens the command palette, "
    "which lists every action."
)


def key_table(screen: Screen) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description:
            table.add_row(binding.key.replace(",", " or "), binding.description)
    table.add_row("F1", "This help")
    table.add_row("ctrl+p", "Command palette: every action by name")
    return table


class HelpScreen(ModalScreen):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help", id="help.close")]

    def __init__(self, under: Screen):
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Keys", classes="section-title")
            yield Static(key_table(self.under))
            yield Static(NOTE_HELP if isinstance(self.under, InterviewScreen) else "", classes="hint")
            yield Static("Esc closes this help.", classes="hint")
