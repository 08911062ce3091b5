"""Keep C libraries from writing over the screen.

PortAudio and ALSA print straight to file descriptor 2 when a device faults, and
Textual draws on that same terminal. While the app runs, Textual gets its own copy
of the terminal and descriptor 2 points at /dev/null; the recorder reports faults
through its state, so nothing is lost that the screen does not already say.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def screen_only_for_textual() -> Iterator[None]:
    if not (sys.__stderr__ and sys.__stderr__.isatty()):
        yield
        return
    original = sys.__stderr__
    sys.stderr.flush()
    screen_fd = os.dup(2)
    null_fd = os.open(os.devnull, os.O_WRONLY)
    sys.__stderr__ = os.fdopen(screen_fd, "w", encoding=original.encoding, errors=original.errors)
    os.dup2(null_fd, 2)
    os.close(null_fd)
    try:
        yield
    finally:
        try:
            sys.__stderr__.flush()
        except OSError:
            pass  # the terminal is gone (hung up): nothing more can reach it
        os.dup2(screen_fd, 2)
        try:
            sys.__stderr__.close()
        except OSError:
            pass
        sys.__stderr__ = original
