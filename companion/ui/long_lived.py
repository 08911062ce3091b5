"""What the process loaded before its first app is kept for the process's life.

Textual, Rich and the app's own modules are tens of thousands of objects that are never
garbage; Python's collector walks all of them on each full collection, and a full
collection that lands as a screen opens delays it by 50–100 ms on a laptop. Freezing them
once (gc.freeze, made for this) leaves the collector only what was made since. Once per
process: a second freeze would also keep the garbage of an app that has ended. The
collector, paused while they were made (collector.pause_for_startup), runs again from here.
"""

from __future__ import annotations

import gc

from companion.collector import end_startup_pause

_frozen = False


def freeze_once() -> None:
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    end_startup_pause()
