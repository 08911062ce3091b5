"""The note line and its command list.

Enter saves the note typed before it. A line that starts with ``/`` is a command, as in
chat tools: the list above the line shows the commands it may mean, ↑/↓ choose, Enter runs
the highlighted one, Esc cancels, and ``//`` starts a note with a literal slash. Commands
run the same actions as the keys (companion/actions.py), at their place in the key order.
"""

from __future__ import annotations

from typing import Awaitable, Callable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from companion.actions import Action, display_key, effective_keys, match_commands
from companion.ui.widgets.burst_input import BurstInput
from companion.ui.widgets.note_paste import MultiLinePaste, note_text


class CommandList(OptionList, can_focus=False):
    """The commands a '/' line may mean; shown only while one is typed."""

    def show_for(self, text: str, keymap: dict[str, str]) -> None:
        self.matches: list[Action] = match_commands(text) if is_command(text) else []
        self.clear_options()
        keys = effective_keys(keymap)
        for action in self.matches:
            shown = ", ".join(display_key(k) for k in keys[action.id]) or "no key"
            self.add_option(Option(Text(f"{action.command:<4} {action.description}  ({shown})")))
        self.display = is_command(text)
        if self.matches:
            self.highlighted = 0

    def chosen(self) -> Action | None:
        if not getattr(self, "matches", None) or self.highlighted is None:
            return None
        return self.matches[self.highlighted]


def is_command(text: str) -> bool:
    return text.startswith("/") and not text.startswith("//")


class NoteInput(MultiLinePaste, BurstInput):
    """The interview's note line: a paste of several lines stays one note (note_paste.py)."""

    BINDINGS = [
        Binding("escape", "cancel_command", "Cancel the command", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    def __init__(
        self,
        commands: CommandList,
        on_typing: Callable[[], None],
        on_note: Callable[[str], None],
        on_command: Callable[[Action, str], Awaitable[None]],
        **kwargs,
    ):
        """``on_typing()`` when a line is begun; ``on_note(text)``; ``on_command(action, words)``."""
        super().__init__(on_enter=self.entered, **kwargs)
        self.commands = commands
        self.on_typing, self.on_note, self.on_command = on_typing, on_note, on_command

    def watch_value(self, old: str, value: str) -> None:
        # Runs as each key is typed, in order: a note's moment is when its first key lands.
        if value and not old:
            self.on_typing()
        line = value.lstrip()  # a command typed after spaces is a command too
        if is_command(line) or self.commands.display:
            self.commands.show_for(line, getattr(self.app.settings, "keymap", {}))

    def check_action(self, action: str, parameters) -> bool | None:
        """↑/↓ choose a command while the list shows; otherwise they go on to the screen
        (which scrolls the question)."""
        if action in ("move", "cancel_command"):
            return self.commands.display
        return True

    async def entered(self, value: str) -> None:
        typed = note_text(value)
        text = typed.strip()
        if not text:
            self.value = ""  # a line of spaces saves nothing, and is not the next note's start
            return
        if not is_command(text):
            self.value = ""  # a note is kept as typed, spaces and all; // begins one with a slash
            self.on_note(typed.replace("//", "/", 1) if text.startswith("//") else typed)
            return
        action = self.commands.chosen()
        if action is None:
            self.app.notify(f"No command {text.split()[0]}: type / to see them all.", severity="warning", timeout=4)
            return
        words = text.partition(" ")[2].strip()
        if words and not action.takes_text:  # the words would go nowhere: keep them, say so
            self.app.notify(f"{action.command} takes no words, so the line is kept: remove {action.command} "
                            "to save it as a note.", severity="warning", timeout=6)
            return
        self.value = ""
        await self.on_command(action, words)

    def action_cancel_command(self) -> None:
        if is_command(self.value.lstrip()):
            self.value = ""

    def action_move(self, delta: int) -> None:
        count = self.commands.option_count
        if self.commands.display and count:
            self.commands.highlighted = max(0, min((self.commands.highlighted or 0) + delta, count - 1))
