"""The tag picker: tick and untick a note's codes from the codebook, filtered as you type.

Space ticks or unticks the highlighted code. The filter never gets a space — codes are one
word and the filter matches word by word — and the space is taken by the filter itself, in
key order: Textual drops a screen's bindings for printable keys while an Input has focus,
so a binding would never see it. Enter applies exactly the ticked set; only on a note with
no codes, before anything is ticked, does it tag the highlighted code, and the line above
the list says so before it happens.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from companion.timefmt import clock
from companion.ui.screens.pickers import Picker
from companion.ui.widgets.burst_input import BurstInput
from companion.ui.widgets.checklist import Checklist


class CodeFilter(BurstInput):
    """The filter: space posts Tick instead of being typed. A message, not a call, so that in
    a burst it reaches the screen after the Changed of the letters typed before it: the list
    is filtered for them by the time the tick looks at its highlight."""

    class Tick(Message):
        pass

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "space":
            event.stop()
            event.prevent_default()
            self.post_message(self.Tick())
            return
        await super()._on_key(event)


class CodeScreen(Picker):
    """Dismisses with the note's new codes in codebook order, or None when nothing changes."""

    DEFAULT_CSS = """
    /* The filter keeps focus, so the list would show its highlight blurred, barely seen:
       the code space ticks and Enter applies must be plain to see. */
    CodeScreen #codes > .option-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """
    BINDINGS = Picker.BINDINGS + [
        Binding("down", "move('down')", show=False),
        Binding("up", "move('up')", show=False),
    ]

    def __init__(self, codebook, note):
        super().__init__()
        self.codebook = codebook
        self.labels = {code.id: code.label for code in codebook}
        self.note = note
        self.had: set[str] = set(note.codes)
        self.chosen: set[str] = set(note.codes)
        self.touched = False  # anything ticked or unticked here: Enter then means the ticked set
        self.wanted: str | None = None  # the code the highlight stays on while it is listed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Tag the note at {clock(self.note.t)}: “{self.note.text[:60]}”"), classes="section-title")
            yield CodeFilter(id="filter", placeholder="filter · ↑↓ move · space ticks/unticks · Enter applies")
            yield Static("", id="apply-hint", classes="hint")
            yield Checklist(id="codes")

    def on_mount(self) -> None:
        self.filter("")
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def filter(self, text: str) -> None:
        """List the codes with every typed word. The best matches are the codes whose name has the
        words (typing "family" means family, not a code whose description mentions families).
        The highlight stays on the code the interviewer moved to or ticked while it is among
        them, and otherwise goes to the first of them."""
        codes = self.query_one("#codes", SelectionList)
        codes.clear_options()
        words = text.lower().split()
        listed, named = [], []
        for code in self.codebook:
            name = f"{code.id} {code.label}".lower()
            if all(w in f"{name} {code.description.lower()}" for w in words):
                indent = "  " * code.id.count(".")
                codes.add_option(Selection(Text(f"{indent}{code.label}  ({code.id})"), code.id, code.id in self.chosen))
                listed.append(code.id)
                if all(w in name for w in words):
                    named.append(code.id)
        if listed:
            best = named or listed
            codes.highlighted = listed.index(self.wanted if self.wanted in best else best[0])
        self.show_hint()

    @on(SelectionList.SelectionToggled)
    def toggled(self, event: SelectionList.SelectionToggled) -> None:
        """A tick made on the list itself (a click, or space once it has focus)."""
        code = event.selection.value
        self.tick(code, code in event.selection_list.selected)

    @on(SelectionList.SelectionHighlighted)
    def highlighted(self) -> None:
        self.show_hint()

    def highlighted_code(self) -> str | None:
        codes = self.query_one("#codes", SelectionList)
        if codes.highlighted is None or not codes.option_count:
            return None
        return codes.get_option_at_index(codes.highlighted).value

    def result(self) -> set[str] | None:
        """What Enter applies now: the ticked set, or the highlighted code on an untagged note
        before anything is ticked; None when that changes nothing."""
        if not self.touched and not self.had:
            highlighted = self.highlighted_code()
            return {highlighted} if highlighted else None
        return None if self.chosen == self.had else set(self.chosen)

    def show_hint(self) -> None:
        """Say what Enter will do before it is pressed."""
        result = self.result()
        if self.unmatched():
            words = f"No code matches “{self.unmatched()}”: Backspace to change it, Esc to close."
        elif result is None:
            words = "Enter closes: the note's codes stay as they are." if self.had else "No code matches: Enter closes without tagging."
        elif not result:
            words = "Nothing ticked: Enter removes the note's codes."
        elif not self.touched and not self.had:
            [code] = result
            words = f"Enter tags it {self.labels[code]} (space ticks several)."
        else:
            words = "Enter tags it " + ", ".join(c for c in self.in_order(result)) + "."
        self.query_one("#apply-hint", Static).update(Text(words))

    def in_order(self, codes: set[str]) -> list[str]:
        order = [c.id for c in self.codebook]
        return sorted(codes, key=order.index)

    def action_move(self, way: str) -> None:
        """Up and down move through the list while the filter keeps focus."""
        codes = self.query_one("#codes", SelectionList)
        codes.action_cursor_down() if way == "down" else codes.action_cursor_up()
        self.wanted = self.highlighted_code()

    @on(Input.Submitted, "#filter")
    def submitted(self) -> None:
        self.action_apply()

    @on(CodeFilter.Tick)
    def action_toggle(self) -> None:
        code = self.highlighted_code()
        if code is not None:
            self.tick(code, code not in self.chosen)

    def tick(self, code: str, on: bool) -> None:
        """Ticked now, not when the list's Toggled message comes round: an Enter right behind
        the space, in the same burst, applies it."""
        self.chosen = self.chosen | {code} if on else self.chosen - {code}
        self.wanted, self.touched = code, True
        codes = self.query_one("#codes", SelectionList)
        codes.select(code) if on else codes.deselect(code)
        self.show_hint()

    def unmatched(self) -> str:
        """Words typed that match no code (a note typed on behind F5?): kept in view, not closed on."""
        text = self.query_one("#filter", Input).value.strip()
        return text if text and not self.query_one("#codes", SelectionList).option_count else ""

    def action_apply(self) -> None:
        if self.unmatched():
            self.show_hint()
            return  # Enter would close and the typed words would be gone without a trace
        result = self.result()
        self.dismiss(None if result is None else self.in_order(result))
