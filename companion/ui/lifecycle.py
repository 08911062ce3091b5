"""The app's life from the command line: run it, end it cleanly on a signal, be loud on a crash.

A terminal closed, an SSH session dropped or ``kill`` all end the app the same way
(ui/signals.py): keys already typed are handled first (a note sent just before is saved),
every open session is closed as interrupted — its events fsync'd, its recording stopped
and finalised — so it can be resumed, the app gives the terminal back, and the process
exits with 128 + the signal's number. A crash closes the sessions once the terminal is
back, then prints its traceback and where the crash log is, with a non-zero status.
"""

from __future__ import annotations

import signal
import sys
import traceback
from datetime import datetime
from pathlib import Path

CRASH_STATUS = 70  # EX_SOFTWARE: the program itself failed


def run_app(settings, request=None) -> int:
    """Run the app in this terminal; returns the exit status."""
    from companion.ui import session_flow
    from companion.ui.app import CompanionApp
    from companion.ui.signals import held_signals
    from companion.ui.terminal import screen_only_for_textual

    app = CompanionApp(settings, request)
    try:
        with screen_only_for_textual():
            app.run()
    finally:  # even when the terminal went away under Textual: the sessions are closed
        with held_signals():  # a second signal must not cut the closing short
            closed = getattr(app, "closed_on_signal", []) + session_flow.close_all(app)
    return report(app, closed)


def report(app, closed: list[str]) -> int:
    """What happened, on stderr once the terminal is back; the exit status."""
    for name in closed:
        say(f"companion: session {name} is saved and can be resumed: companion interview --resume {name}")
    for problem in getattr(app, "close_errors", []):
        say(f"companion: session {problem} (it can still be resumed; what showed saved is on disk)")
    crash = getattr(app, "crash", None)
    if crash is not None:
        text = "".join(traceback.format_exception(crash))
        log = write_crash_log(text)
        where = f" The traceback is also in {log}." if log else ""
        say(text + f"companion: the app crashed (a bug, not something you did).{where}")
        return CRASH_STATUS
    message = getattr(app, "exit_message", None)
    if message:
        say(f"companion: {message}")
    number = getattr(app, "stopped_by", None)
    if number is not None:
        say(f"companion: stopped by {signal.Signals(number).name}.")
        return 128 + number
    return app.return_code or 0


def say(text: str) -> None:
    """A line on stderr; the terminal may be gone (SIGHUP), which must not turn into a crash."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def write_crash_log(text: str) -> Path | None:
    """The traceback in the user's state folder (no session content: no local variables)."""
    import platform

    import platformdirs

    import companion

    folder = platformdirs.user_state_path("companion") / "crash"
    path = folder / f"crash-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        header = f"companion {companion.__version__}, Python {platform.python_version()}, {platform.platform()}\n"
        path.write_text(header + text, encoding="utf-8")
    except OSError:
        return None
    return path
