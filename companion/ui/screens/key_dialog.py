"""The study's key, asked for when an encrypted session is opened: the key file and its
passphrase. The key is opened (scrypt, about a second) in a worker, never on the UI thread."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from companion.errors import CompanionError


class KeyFileInput(Input):
    """The key file's field. Keys can arrive in one burst (a paste, a fast typist, SSH), and the
    focus moves to the passphrase only after all of them reached this field: what follows an
    Enter here belongs to the passphrase, and a second Enter submits it."""

    handed_over = False  # an Enter was pressed here: later keys go to the passphrase
    enter_after = False  # and an Enter followed them

    def on_focus(self) -> None:
        self.handed_over = self.enter_after = False

    async def _on_key(self, event: events.Key) -> None:
        if not self.handed_over:
            self.handed_over = event.key == "enter"
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        passphrase = self.screen.query_one("#passphrase", Input)
        if event.key == "enter":
            self.enter_after = True
        elif event.is_printable and event.character:
            passphrase.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            passphrase.action_delete_left()


class KeyDialog(ModalScreen):
    """Dismisses with the opened Keyring, or None when the user gives up (Esc)."""

    CSS_PATH = "key_dialog.tcss"
    AUTO_FOCUS = "#key-file"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="key.cancel")]

    def __init__(self, why: str):
        """``why``: one sentence, e.g. "Session PR11/… is encrypted." """
        super().__init__()
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(id="key-dialog"):
            yield Static("The study's key", classes="section-title")
            yield Static(Text(f"{self.why} Give the study's private key file and its passphrase; "
                              "this opening is written to the store's audit log."))
            yield KeyFileInput(id="key-file", placeholder="the private key file, e.g. ~/study.key")
            yield Input(id="passphrase", password=True, placeholder="its passphrase")
            yield Static("", id="key-error")
            yield Static("Enter opens the session; Esc cancels.", classes="hint")

    @on(Input.Submitted, "#key-file")
    def next_field(self) -> None:
        field, passphrase = self.query_one("#key-file", KeyFileInput), self.query_one("#passphrase", Input)
        passphrase.cursor_position = len(passphrase.value)
        passphrase.focus()
        if field.enter_after:  # the passphrase and its Enter came in the same burst
            field.enter_after = False
            self.submit(field.value, passphrase.value)

    @on(Input.Submitted, "#passphrase")
    def submitted(self, event: Input.Submitted) -> None:
        self.submit(self.query_one("#key-file", Input).value, event.value)

    def submit(self, path: str, passphrase: str) -> None:
        if not path.strip():
            self.query_one("#key-file", Input).focus()
            return
        self.query_one("#key-error", Static).update(Text("Opening the key…"))
        self.open_key(path.strip(), passphrase)

    @work(thread=True, exclusive=True, group="key", exit_on_error=False)
    def open_key(self, path: str, passphrase: str) -> None:
        from pathlib import Path

        from companion.crypto.keyring import Keyring

        try:
            keyring = Keyring.load(Path(path).expanduser(), passphrase)
        except CompanionError as error:
            self.app.call_from_thread(self.refused, str(error))
            return
        self.app.call_from_thread(self.dismiss, keyring)

    def refused(self, message: str) -> None:
        self.query_one("#key-error", Static).update(Text(message))
        passphrase = self.query_one("#passphrase", Input)
        passphrase.value = ""
        passphrase.focus()
