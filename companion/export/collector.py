"""The cyclic garbage collector paused while an export builds its text.

An export of a long session makes tens of thousands of short-lived objects — XML elements,
rows, lines — that hold no reference cycles, so reference counting frees every one of them.
The collector would still walk them every 700 allocations, and walk the session's events and
fold on each fuller pass: about a tenth of the time of writing every format of a 3-hour
session (bench/bench_export.py). Nothing is kept from collection: the objects made while paused
are freed as they are dropped, and the collector runs again when the export returns. The
same reasoning as companion/ui/long_lived.py, for a burst instead of the process's life.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


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
