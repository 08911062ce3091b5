"""Joining a session's audio segments into its one file, with a progress bar.

The join runs in a thread (seconds per recorded hour) and reports through ``call_from_thread``;
the screen dismisses itself with None when the one file is ready, or with the sentence that
says why not — the segments are then kept as they are, nothing is lost.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from companion.errors import CompanionError

STEPS = {"join": "Writing the one audio file", "verify": "Checking it against the recording"}


def percent(phase: str, done: int, total: int) -> int | None:
    """Writing is the first half of the work, reading it back the second."""
    if phase not in STEPS:
        return None
    return min(100, done * 50 // max(total, 1) + (50 if phase == "verify" else 0))


class JoiningScreen(ModalScreen[str | None]):
    CSS_PATH = "joining.tcss"

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = Path(folder)
        self.shown = -1

    def compose(self) -> ComposeResult:
        with Vertical(id="joining"):
            yield Static("Joining the recording into one audio file…", id="joining-title")
            yield ProgressBar(total=100, show_eta=False, id="joining-bar")
            yield Static("", id="joining-step")

    def on_mount(self) -> None:
        self.run_worker(self.work, thread=True, group="join", name="join-audio", exit_on_error=False)

    def work(self) -> None:
        from companion.audio.session_audio import session_audio

        try:
            session_audio(self.folder, self.progressed)
        except (CompanionError, OSError) as error:
            self.app.call_from_thread(self.dismiss, f"{error}")
            return
        self.app.call_from_thread(self.dismiss, None)

    def progressed(self, phase: str, done: int, total: int) -> None:
        """The join's thread: only a changed percentage reaches the screen."""
        value = percent(phase, done, total)
        if value is not None and value != self.shown:
            self.shown = value
            self.app.call_from_thread(self.show, STEPS[phase], value)

    def show(self, step: str, value: int) -> None:
        self.query_one(ProgressBar).update(progress=value)
        self.query_one("#joining-step", Static).update(step)
