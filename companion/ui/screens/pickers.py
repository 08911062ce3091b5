"""Small modal screens used during an interview: jump, probe, prompt, flag, safeguarding, confirm
(the tag picker is in code_picker.py).

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
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from companion.timefmt import clock
from companion.ui.widgets.burst_input import BurstInput


class Picker(ModalScreen):
    CSS_PATH = "pickers.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel")]


class JumpScreen(Picker):
    """Type part of a question; Enter jumps to the highlighted one.

    Up and down are bindings, not key handlers, so the filter runs them in key order."""

    BINDINGS = Picker.BINDINGS + [
        Binding("down", "move('down')", show=False),
        Binding("up", "move('up')", show=False),
    ]

    def __init__(self, interview):
        super().__init__()
        self.interview = interview

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Jump to a question — type words from it", classes="section-title")
            yield BurstInput(id="filter", placeholder="e.g. diagnosis")
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

    def action_move(self, way: str) -> None:
        """Up and down move through the matches while the filter keeps focus."""
        matches = self.query_one("#matches", OptionList)
        matches.action_cursor_down() if way == "down" else matches.action_cursor_up()


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
    """One question — pause for a break now? — and an optional short note (``text``: typed after /sg)."""

    def __init__(self, text: str = ""):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Safeguarding concern", classes="section-title")
            yield BurstInput(self.text, id="text", placeholder="optional short note (Enter to continue)")
            yield Label("Pause for a break now?", id="break-question")
            with Horizontal(classes="buttons"):
                yield Button(Text("Yes, pause  [y]"), id="yes", variant="warning")
                yield Button(Text("No, carry on  [n]"), id="no")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.query_one("#break-question", Label).update("Pause for a break now? Answer y or n.")  # it is asked now
        self.query_one("#yes", Button).focus()
        # Typed on behind the Enter, before the question could be seen ("yes he was hurt",
        # "she was upset"): its y or space would answer it. It goes to the note line after.
        self.app.key_gate.set_aside()

    def on_unmount(self) -> None:
        self.app.call_later(self.app.key_gate.put_back)

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


class LeaveChecklistScreen(Picker):
    """Leaving the consent checklist: keep the session to resume, or discard it — the way out
    of a mistyped participant ID, which would otherwise stay in the store under that ID (and
    withdrawing the ID would take a real participant's sessions with it)."""

    def __init__(self, participant: str):
        super().__init__()
        self.participant = participant

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Leave the checklist for {self.participant}? Nothing has been recorded yet. "
                             "Keep the session to resume it later, or discard it if the ID is wrong."))
            with Horizontal(classes="buttons"):
                yield Button(Text("Keep  [k]"), id="keep", variant="primary")
                yield Button(Text("Discard  [d]"), id="discard", variant="error")
                yield Button(Text("Stay  [Esc]"), id="stay")

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "stay" else event.button.id)

    def on_key(self, event) -> None:
        if event.character in ("k", "d"):
            event.stop()
            self.dismiss({"k": "keep", "d": "discard"}[event.character])
