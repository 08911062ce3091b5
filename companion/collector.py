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
