"""The study's key, asked for when an encrypted session is opened: the key file and its
passphrase. The key is opened (scrypt, about a second) in a worker, never on the UI thread."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from companion.errors import CompanionError


class KeyDialog(ModalScreen):
    """Dismisses with the opened Keyring, or None when the user gives up (Esc)."""

    CSS_PATH = "key_dialog.tcss"
    AUTO_FOCUS = "#key-file"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="key.cancel")]

    def __init__(self, ref: str, key_file: str = ""):
        super().__init__()
        self.ref = ref
        self.key_file = key_file

    def compose(self) -> ComposeResult:
        with Vertical(id="key-dialog"):
            yield Static("The study's key", classes="section-title")
            yield Static(Text(f"Session {self.ref} is encrypted. Give the study's private key file and its "
                              "passphrase to read it; this opening is written to the store's audit log."))
            yield Input(self.key_file, id="key-file", placeholder="the private key file, e.g. ~/study.key")
            yield Input(id="passphrase", password=True, placeholder="its passphrase")
            yield Static("", id="key-error")
            yield Static("Enter opens the session; Esc cancels.", classes="hint")

    @on(Input.Submitted, "#key-file")
    def next_field(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def submitted(self) -> None:
        path = self.query_one("#key-file", Input).value.strip()
        if not path:
            self.query_one("#key-file", Input).focus()
            return
        self.query_one("#key-error", Static).update(Text("Opening the key…"))
        self.open_key(path, self.query_one("#passphrase", Input).value)

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
