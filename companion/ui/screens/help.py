"""F1: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from companion.actions import INTERVIEW_ACTIONS, display_key, effective_keys
from companion.ui.screens.interview import InterviewScreen

NOTE_HELP = (
    "Typing goes into the note line, which keeps focus. A note's time is the moment you start typing; "
    "Enter saves it, and it shows 'saved' only once it is on disk. A line starting with / is a command "
    "(the middle column): the list above the line narrows as you type, Enter runs the highlighted one, "
    "Esc cancels, // starts a note with a slash. Keys can be changed with keymap: in the config file "
    "(`companion keys` lists them). ctrl+p opens the command palette, which lists every action."
)


def key_table(screen: Screen, keymap: dict[str, str]) -> Table:
    """The screen's keys as the keymap leaves them, with each action's typed command."""
    keys = effective_keys(keymap)
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(style="bold")
    table.add_column()
    actions = INTERVIEW_ACTIONS if isinstance(screen, InterviewScreen) else ()
    shown = {a.id for a in actions}
    for action in actions:
        table.add_row(_keys(keys[action.id]), action.command or "", action.description)
    for binding in getattr(screen, "BINDINGS", []):
        if isinstance(binding, Binding) and binding.description and binding.id not in shown:
            table.add_row(_keys(keys.get(binding.id, binding.key.split(","))), "", binding.tooltip or binding.description)
    if not isinstance(screen, InterviewScreen):
        table.add_row(_keys(keys["help"]), "", "This help")
    table.add_row("ctrl+p", "", "Command palette: every action by name")
    return table


def _keys(keys) -> str:
    return " or ".join(display_key(k) for k in keys) or "-"


class HelpScreen(ModalScreen):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close help", id="help.close")]

    def __init__(self, under: Screen):
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Keys and typed commands", classes="section-title")
            yield Static(key_table(self.under, getattr(self.app.settings, "keymap", {})))
            yield Static(NOTE_HELP if isinstance(self.under, InterviewScreen) else "", classes="hint")
            yield Static("Esc closes this help.", classes="hint")
