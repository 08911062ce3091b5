"""SIGTERM, SIGHUP and SIGINT end the app cleanly (see ui/lifecycle.py for what follows)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from contextlib import contextmanager

from companion.ui import session_flow

SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")  # SIGHUP does not exist on Windows: looked up by name
DRAIN_SECONDS = 0.3  # keys already in the terminal (a note's Enter) are handled before the exit
EXIT_GRACE_SECONDS = 5.0  # for Textual to give the terminal back, when there is still one
EDITOR_SIGNAL_SECONDS = 0.5  # after the editor: a ctrl+c pressed in it is still on its way


def install_signal_handlers(app) -> None:
    """End cleanly on SIGTERM, SIGHUP and SIGINT (called on the app's event loop)."""
    loop = asyncio.get_running_loop()
    for name in SIGNALS:
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            loop.add_signal_handler(number, stop_on_signal, app, number)
        except (NotImplementedError, RuntimeError, ValueError):
            return  # Windows' event loop has no signal handlers: Ctrl+C arrives there as a key


def stop_on_signal(app, number: int) -> None:
    if getattr(app, "stopped_by", None) is not None:
        return
    if number == getattr(signal, "SIGINT", None) and getattr(app, "sigint_is_the_editors", False):
        return  # ctrl+c pressed in the guide editor (ctrl_c_to_the_editor)
    app.stopped_by = number
    app.set_timer(DRAIN_SECONDS, lambda: close_then_exit(app, number))


def close_then_exit(app, number: int) -> None:
    """Close the open sessions first — after a SIGHUP the terminal is gone and Textual may never
    finish its own exit — then exit; if the exit hangs, leave anyway: everything is saved."""

    def work() -> None:
        app.closed_on_signal = session_flow.close_all(app)  # a second signal finds stopped_by set
        threading.Timer(EXIT_GRACE_SECONDS, os._exit, (128 + number,)).start()
        app.call_from_thread(app.exit, return_code=128 + number)

    threading.Thread(target=work, name="companion-signal-close", daemon=True).start()


@contextmanager
def held_signals():
    """Ignore the signals that stop the app while the sessions are being closed."""
    saved = {}
    for name in SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            try:
                saved[number] = signal.signal(number, signal.SIG_IGN)
            except (OSError, ValueError):
                pass
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


@contextmanager
def ctrl_c_to_the_editor(app):
    """While an editor has the terminal (ctrl+g), ctrl+c is the editor's: the terminal sends
    SIGINT to both, and it ended the interview. The app's handler (a handler, unlike SIG_IGN,
    is not inherited: the editor still gets ctrl+c) lets it go until the loop, blocked while
    the editor ran, has taken the signals that came meanwhile."""
    app.sigint_is_the_editors = True
    try:
        yield
    finally:
        asyncio.get_running_loop().call_later(EDITOR_SIGNAL_SECONDS, setattr, app, "sigint_is_the_editors", False)
