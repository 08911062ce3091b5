"""SIGTERM, SIGHUP and SIGINT end the app cleanly (see ui/lifecycle.py for what follows)."""

from __future__ import annotations

import asyncio
import signal
from contextlib import contextmanager

SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")  # SIGHUP does not exist on Windows: looked up by name
DRAIN_SECONDS = 0.3  # keys already in the terminal (a note's Enter) are handled before the exit


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
    app.stopped_by = number
    app.set_timer(DRAIN_SECONDS, lambda: app.exit(return_code=128 + number))


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
