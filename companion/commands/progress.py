"""A progress bar on stderr for long copies and decryptions: drawn only on a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label, self.done = max(0, int(total)), label, 0
        self.stream = stream or sys.stderr
        self.live = self.total > 0 and hasattr(self.stream, "isatty") and self.stream.isatty()
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        return self

    def advance(self, amount: int) -> None:
        self.done += amount
        now = time.monotonic()
        if self.live and now - self._drawn >= 0.1:
            self._drawn = now
            self._draw()

    def _draw(self) -> None:
        share = min(1.0, self.done / self.total) if self.total else 1.0
        filled = int(share * 30)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
                          f"{self.done / 1e6:.1f}/{self.total / 1e6:.1f} MB")
        self.stream.flush()

    def __exit__(self, *exc) -> None:
        if self.live:
            self.done = self.total if exc[0] is None else self.done
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
