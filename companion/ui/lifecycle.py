"""The app's life from the command line: run it, end it cleanly on a signal, be loud on a crash.

A terminal closed, a lid shut, an SSH session dropped or ``kill`` all end the app the
same way: keys already typed are handled first (a note sent just before is saved),
the app exits and gives the terminal back, then every session still open is closed as
interrupted — its events fsync'd, its recording stopped and finalised — so it can be
resumed, and the process exits with 128 + the signal's number. A crash does the same
and then prints its traceback and where the crash log is, with a non-zero status.
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
    from companion.ui.app import CompanionApp
    from companion.ui.signals import held_signals
    from companion.ui.terminal import screen_only_for_textual

    app = CompanionApp(settings, request)
    with screen_only_for_textual():
        app.run()
    with held_signals():  # a second signal must not cut the closing short
        closed = close_live_sessions(app)
    return report(app, closed)


def close_live_sessions(app) -> list[str]:
    """Close every session the app still has open as interrupted (resumable); their names."""
    closed = []
    for session in list(getattr(app, "live_sessions", [])):
        interview = session.interview
        if interview is None or interview.ended:
            continue
        try:
            interview.finish(status="interrupted")
        except Exception as error:  # noqa: BLE001 - say it; the log on disk is still readable
            print(f"companion: session {interview.writer.name} could not be closed: {error}", file=sys.stderr)
            continue
        closed.append(interview.writer.name)
    return closed


def report(app, closed: list[str]) -> int:
    """What happened, on stderr once the terminal is back; the exit status."""
    for name in closed:
        print(f"companion: session {name} is saved and can be resumed: companion interview --resume {name}",
              file=sys.stderr)
    crash = getattr(app, "crash", None)
    if crash is not None:
        text = "".join(traceback.format_exception(crash))
        print(text, file=sys.stderr, end="")
        log = write_crash_log(text)
        where = f" The traceback is also in {log}." if log else ""
        print(f"companion: the app crashed (a bug, not something you did).{where}", file=sys.stderr)
        return CRASH_STATUS
    message = getattr(app, "exit_message", None)
    if message:
        print(f"companion: {message}", file=sys.stderr)
    number = getattr(app, "stopped_by", None)
    if number is not None:
        print(f"companion: stopped by {signal.Signals(number).name}.", file=sys.stderr)
    return app.return_code or 0


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
