"""Small modal screens used during an interview: jump, probe, prompt, code, flag, safeguarding, confirm.

Each dismisses with its answer (or None when escaped), so the interview screen
stays the one place that writes events.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from companion.timefmt import clock
from companion.ui.widgets.checklist import Checklist


class Picker(ModalScreen):
    CSS_PATH = "pickers.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel")]


class JumpScreen(Picker):
    """Type part of a question; Enter jumps to the highlighted one."""

    def __init__(self, interview):
        super().__init__()
        self.interview = interview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Jump to a question — type words from it", classes="section-title")
            yield Input(id="filter", placeholder="e.g. diagnosis")
            yield OptionList(id="matches")

    def on_mount(self) -> None:
        self.filter("")

    @on(Input.Changed, "#filter")
    def changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def filter(self, text: str) -> None:
        matches = self.query_one("#matches", OptionList)
        matches.clear_options()
        for index in self.interview.find(text):
            stage, question = self.interview.flat[index]
            optional = "(opt) " if question.optional else ""
            matches.add_option(Option(Text(f"{index + 1:>2}. {optional}{question.ask}  ({stage.title})"), id=str(index)))
        if matches.option_count:
            matches.highlighted = 0

    @on(Input.Submitted, "#filter")
    def submitted(self) -> None:
        matches = self.query_one("#matches", OptionList)
        if matches.highlighted is not None:
            self.dismiss(int(matches.get_option_at_index(matches.highlighted).id))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def on_key(self, event) -> None:
        """Up and down move through the matches while the filter keeps focus."""
        if event.key in ("up", "down"):
            matches = self.query_one("#matches", OptionList)
            matches.action_cursor_down() if event.key == "down" else matches.action_cursor_up()
            event.stop()


class ProbeScreen(Picker):
    """Tick a probe as covered: its number, or Enter on the highlighted one."""

    KIND = "probe"

    def __init__(self, interview):
        super().__init__()
        self.interview = interview

    def items(self) -> tuple[str, ...]:
        return self.interview.question.probes

    def ticked(self) -> set[int]:
        return self.interview.probes.get(self.interview.question.id, set())

    def compose(self) -> ComposeResult:
        ticked = self.ticked()
        with Vertical(classes="dialog"):
            yield Label(f"Which {self.KIND} was asked? (number or Enter)", classes="section-title")
            yield OptionList(
                *[
                    Option(Text(f"{i + 1}. {'[x]' if i in ticked else '[ ]'} {item}"), id=str(i))
                    for i, item in enumerate(self.items())
                ],
                id="follow-ups",
            )

    def on_mount(self) -> None:
        self.query_one("#follow-ups", OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < len(self.items()):
                event.stop()
                self.dismiss(index)


class PromptScreen(ProbeScreen):
    """Tick a prompt (a sub-question of "Describe a time when…") as asked, as probes are."""

    KIND = "prompt"

    def items(self) -> tuple[str, ...]:
        return self.interview.question.prompts

    def ticked(self) -> set[int]:
        return self.interview.prompts.get(self.interview.question.id, set())


class CodeScreen(Picker):
    """Tag a note with codes from the codebook, filtered as you type.

    Space ticks the highlighted code (so filter words are typed without spaces);
    Enter applies — the highlighted code alone when none is ticked."""

    BINDINGS = Picker.BINDINGS + [
        Binding("enter", "apply", "Apply", id="codes.apply", priority=True),
        Binding("space", "toggle", "Tick", id="codes.tick", priority=True),
    ]

    def __init__(self, codebook, note):
        super().__init__()
        self.codebook = codebook
        self.note = note
        self.chosen: set[str] = set(note.codes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Tag the note at {clock(self.note.t)}: “{self.note.text[:60]}”"), classes="section-title")
            yield Input(id="filter", placeholder="type to filter · ↑↓ move · space ticks · Enter applies")
            yield Checklist(id="codes")

    def on_mount(self) -> None:
        self.filter("")
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def filter(self, text: str) -> None:
        codes = self.query_one("#codes", SelectionList)
        codes.clear_options()
        words = text.lower().split()
        for code in self.codebook:
            haystack = f"{code.id} {code.label} {code.description}".lower()
            if all(w in haystack for w in words):
                indent = "  " * code.id.count(".")
                codes.add_option(Selection(Text(f"{indent}{code.label}  ({code.id})"), code.id, code.id in self.chosen))
        if codes.option_count:
            codes.highlighted = 0

    @on(SelectionList.SelectionToggled)
    def toggled(self, event: SelectionList.SelectionToggled) -> None:
        self.chosen ^= {event.selection.value}

    def highlighted_code(self) -> str | None:
        codes = self.query_one("#codes", SelectionList)
        if codes.highlighted is None or not codes.option_count:
            return None
        return codes.get_option_at_index(codes.highlighted).value

    def on_key(self, event) -> None:
        """Up and down move through the list while the filter keeps focus."""
        if event.key in ("up", "down"):
            codes = self.query_one("#codes", SelectionList)
            codes.action_cursor_down() if event.key == "down" else codes.action_cursor_up()
            event.stop()

    def action_toggle(self) -> None:
        code = self.highlighted_code()
        if code is not None:
            self.query_one("#codes", SelectionList).toggle(code)

    def action_apply(self) -> None:
        if not self.chosen and self.highlighted_code():
            self.chosen = {self.highlighted_code()}
        order = [c.id for c in self.codebook]
        self.dismiss(sorted(self.chosen, key=order.index))


FLAG_CHOICES = [
    ("quote", "q", "Quote — worth quoting"),
    ("safeguarding", "s", "Safeguarding concern"),
    ("follow-up", "f", "Follow-up — come back to this"),
]


class FlagScreen(Picker):
    """Flag the last note or this moment: q, s or f; space toggles note/moment."""

    def __init__(self, last_note):
        super().__init__()
        self.last_note = last_note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Flag as…", classes="section-title")
            yield OptionList(*[Option(Text(f"[{key}] {label}"), id=kind) for kind, key, label in FLAG_CHOICES], id="kinds")
            note = self.last_note
            label = f"on the last note ({clock(note.t)}: “{note.text[:40]}”)" if note else "on the last note (none yet)"
            yield Checkbox(Text(label), value=note is not None, id="on-note", disabled=note is None)
            yield Static("Unticked, the flag marks this moment.", classes="hint")

    def on_mount(self) -> None:
        kinds = self.query_one("#kinds", OptionList)
        kinds.highlighted = 0
        kinds.focus()

    def choose(self, kind: str) -> None:
        self.dismiss((kind, self.query_one("#on-note", Checkbox).value))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    def on_key(self, event) -> None:
        keys = {key: kind for kind, key, _ in FLAG_CHOICES}
        if event.character in keys:
            event.stop()
            self.choose(keys[event.character])
        elif event.key == "space":
            event.stop()
            box = self.query_one("#on-note", Checkbox)
            if not box.disabled:
                box.toggle()


class SafeguardingScreen(Picker):
    """One question — pause for a break now? — and an optional short note."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Safeguarding concern", classes="section-title")
            yield Input(id="text", placeholder="optional short note (Enter to continue)")
            yield Label("Pause for a break now?")
            with Horizontal(classes="buttons"):
                yield Button(Text("Yes, pause  [y]"), id="yes", variant="warning")
                yield Button(Text("No, carry on  [n]"), id="no")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id == "yes", self.query_one("#text", Input).value.strip()))

    def on_key(self, event) -> None:
        if self.focused is not self.query_one("#text") and event.character in ("y", "n"):
            event.stop()
            self.dismiss((event.character == "y", self.query_one("#text", Input).value.strip()))


class ConfirmScreen(Picker):
    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question))
            with Horizontal(classes="buttons"):
                yield Button(Text("Yes  [y]"), id="yes", variant="primary")
                yield Button(Text("No  [n]"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def on_key(self, event) -> None:
        if event.character in ("y", "n"):
            event.stop()
            self.dismiss(event.character == "y")
