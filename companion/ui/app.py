"""The Textual app: home, new interview, consent, interview, end, review.

The app owns the settings (where the store and guides are) and how a recorder
is made, so tests can inject a fake one. Disk and audio work runs in worker
threads; widgets are only touched on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from companion.guide.model import Guide
from companion.actions import BY_ID, display_key
from companion.ui.bindings import binding as make_binding
from companion.ui.key_gate import KeyGate, Probe, Settle
from companion.ui.long_lived import freeze_once


@dataclass
class Settings:
    sessions: Path
    guide_dirs: list[Path]
    device: str | int | None = None
    rate: int | None = None
    no_audio: bool = False
    preroll: float = 3.0  # seconds of audio played before a note in review
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys, from the config file
    notices: list[str] = field(default_factory=list)  # config-file problems, a stray ./sessions: shown once


@dataclass
class StartRequest:
    """What the command line asked for: straight into an interview or a review."""

    guide: Guide | None = None
    participant: str | None = None
    initials: str | None = None
    review: str | None = None  # "" for the browser, or a session reference
    resume: str | None = None
    keyring: object = None  # the study's key, opened by the command line (--key)


def default_recorder_factory(settings: Settings) -> Callable:
    def make(no_audio: bool, reason: str, on_event):
        if no_audio or settings.no_audio:  # the clock alone: none of the sound modules loaded
            from companion.audio.clock import ClockRecorder

            return ClockRecorder(reason or "audio was turned off with --no-audio", on_event=on_event)
        from companion.audio.recorder import open_recorder
        from companion.errors import CompanionError

        try:
            return open_recorder(settings.device, settings.rate, on_event=on_event)
        except CompanionError as error:  # e.g. the device went away since the command line checked it
            return open_recorder(no_audio=True, reason=str(error), on_event=on_event)

    return make


class CompanionApp(App):
    TITLE = "companion"
    SUB_TITLE = "interview companion"
    CSS_PATH = "app.tcss"
    BINDINGS = [make_binding(BY_ID["help"], priority=True)]

    def __init__(self, settings: Settings, start: StartRequest | None = None, recorder_factory=None):
        freeze_once()  # see ui/long_lived.py
        super().__init__()
        self.settings = settings
        self.start_request = start or StartRequest()
        self.make_recorder = recorder_factory or default_recorder_factory(settings)
        self.key_gate = KeyGate(self)
        self.keyring = self.start_request.keyring  # the study's key, once given (encrypted sessions)
        self.live_sessions: list = []  # session_flow's LiveSessions: closed as interrupted at exit
        self.crash: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        """Kept so the traceback is printed once the terminal is restored (ui/lifecycle.py)."""
        self.crash = self.crash or error
        super()._handle_exception(error)

    def get_default_screen(self) -> Screen:
        from companion.ui.steady_screen import Backdrop

        return Backdrop(id="_default")

    def _load_screen_css(self, screen: Screen) -> None:
        """A new screen's CSS file without re-parsing every stylesheet (see ui/screen_css.py)."""
        from companion.ui.screen_css import add_screen_css

        if not add_screen_css(self, screen):
            super()._load_screen_css(screen)

    def on_mount(self) -> None:
        """Straight into what the command line asked for; the home screen comes after it."""
        from companion.ui.signals import install_signal_handlers

        if not self.is_headless:  # a real terminal (Pilot tests run headless in pytest's loop)
            install_signal_handlers(self)
        self.set_keymap(self.settings.keymap)
        for notice in self.settings.notices:
            self.notify(notice, severity="warning", timeout=15)
        request = self.start_request
        if request.guide and request.participant:
            from companion.ui.screens.new_interview import begin_session

            begin_session(self, request.guide, request.participant, request.initials)
        elif request.resume:
            from companion.ui.screens.home import resume_session

            resume_session(self, request.resume)
        elif request.review is not None:
            from companion.ui.screens.review import open_review

            open_review(self, request.review or None)
        else:
            self.show_home()

    def show_home(self, message: str = "") -> None:
        """Back to the home screen, below anything left open, with a line about what was done."""
        from companion.ui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen(message))
        elif message:
            self.screen.show_saved(message)

    def get_key_display(self, binding: Binding) -> str:
        """Keys written one way on every screen (Esc, F3), a keymap's own keys included."""
        key = binding.key.split(",")[0].strip()
        if binding.key_display or (display_key(key) == key and "+" not in key):
            return super().get_key_display(binding)  # its own display, or Textual's (q, ←)
        return display_key(key)  # ctrl+f, not Textual's ^f: as help and the buttons write it

    def notify(self, message: str, *, markup: bool = False, **options) -> None:
        """Toasts carry file paths, OS errors and guide text: never read them as markup."""
        super().notify(message, markup=markup, **options)

    # --- keys in order (see key_gate.py) ------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.key_gate.take(event)  # one at a time, each once the last has settled
            return
        await super().on_event(event)

    async def deliver_key(self, event: events.Key | events.Paste):
        """What Textual does with a key (or a paste) from the terminal: a priority binding runs
        it (None), else it goes to the focus (returned)."""
        if isinstance(event, events.Key) and await self._check_bindings(event.key, priority=True):
            return None
        target = self.focused or self.screen
        target._forward_event(event)
        return target

    async def on_probe(self, message: Probe) -> None:
        await self.key_gate.arrived(message)

    async def on_settle(self, message: Settle) -> None:
        await self.key_gate.arrived(message)

    def store(self):
        from companion.store import Store

        return Store(self.settings.sessions)

    async def action_quit(self) -> None:
        """Quitting mid-interview asks first, then closes the session as interrupted (resumable);
        at the consent checklist it asks as Esc does there (keep it, or discard a wrong ID)."""
        from companion.ui.screens.consent import ConsentScreen
        from companion.ui.screens.interview import InterviewScreen

        live = [s for s in self.screen_stack if isinstance(s, InterviewScreen) and not s.interview.ended]
        if live:
            live[-1].action_leave()
        elif isinstance(self.screen, ConsentScreen):
            self.screen.action_leave()
        else:
            self.exit()

    def action_help(self) -> None:
        from companion.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action the current screen has a key for is in the command palette too."""
        yield from super().get_system_commands(screen)
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                key = binding.key.split(",")[0]
                yield SystemCommand(
                    f"{binding.description} ({key})",
                    binding.tooltip or binding.description,
                    lambda action=binding.action: screen.run_action(action),
                )
