"""The cyclic garbage collector paused for a burst of short-lived objects.

A cold listing reads hundreds of thousands of log lines into dicts; an export of a long
session makes tens of thousands of XML elements, rows and lines. None of them hold reference
cycles, so reference counting frees every one. The collector would still walk them every 700
allocations, and walk everything alive on each fuller pass: about a tenth of a cold listing
(bench/bench_study.py) and of writing every format of a 3-hour session (bench/bench_export.py).
Nothing is kept from collection: what is made while paused is freed as it is dropped, and
the collector runs again when the block ends. The same reasoning as companion/ui/long_lived.py,
for a burst instead of the process's life.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from collections.abc import Iterator

_paused_for_startup = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the block (left as found when something else paused it)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pause_for_startup() -> None:
    """Pause the collector while a command that opens the app loads it: importing Textual and
    the app makes tens of thousands of objects that live as long as the process, and the
    collector walked them some hundred times (14 ms) before the first screen, finding nothing.
    The app ends the pause as it freezes them (ui/long_lived.py); the command, whatever happens."""
    global _paused_for_startup
    if gc.isenabled():
        gc.disable()
        _paused_for_startup = True


def end_startup_pause() -> None:
    global _paused_for_startup
    if _paused_for_startup:
        _paused_for_startup = False
        gc.enable()
