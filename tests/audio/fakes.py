"""A fake PortAudio input stream for unit tests: driven by hand, or live in real time."""

from __future__ import annotations

import struct
import threading
import time
from dataclasses import dataclass


@dataclass
class Status:
    input_overflow: bool = False

    def __bool__(self) -> bool:
        return self.input_overflow


class Unreadable:
    """A block whose copy fails: a fault inside the callback."""

    def __bytes__(self) -> bytes:
        raise RuntimeError("buffer vanished")


def tone_block(frames: int, value: int = 1000) -> bytes:
    return struct.pack(f"<{frames}h", *([value, -value] * (frames // 2) + [value] * (frames % 2)))


class FakeStream:
    def __init__(self, device, samplerate, channels, dtype, blocksize, callback, owner=None):
        self.device, self.rate, self.blocksize, self.callback = device, samplerate, blocksize, callback
        self.owner = owner
        self.active = False
        self.closed = False
        self.delivering = True  # live streams: set False to go silent without a flag (unplug)
        self.value = 1000
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.owner and self.owner.fail_start:
            raise RuntimeError("device busy")
        self.active = True
        if self.owner and self.owner.live:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        period = self.blocksize / self.rate
        next_at = time.monotonic()
        while self.active and not self.closed:
            next_at += period
            time.sleep(max(0.0, next_at - time.monotonic()))
            if self.delivering and self.active:
                self.callback(tone_block(self.blocksize, self.value), self.blocksize, None, Status())

    def feed(self, frames: int | None = None, value: int = 1000, overflow: bool = False, data=None) -> None:
        frames = frames or self.blocksize
        block = tone_block(frames, value) if data is None else data
        self.callback(block, frames, None, Status(overflow))

    def stop(self) -> None:
        if self.owner and self.owner.hang_close:
            time.sleep(3600)
        self.active = False

    def close(self) -> None:
        self.active = False
        self.closed = True


class FakeDevice:
    """The stream factory: every stream it made, and switches for failures."""

    def __init__(self, live: bool = False):
        self.live = live
        self.streams: list[FakeStream] = []
        self.fail_open = 0  # the next N opens raise
        self.opens_refused = 0
        self.fail_start = False
        self.hang_close = False

    def __call__(self, **kwargs) -> FakeStream:
        if self.fail_open:
            self.fail_open -= 1
            self.opens_refused += 1
            raise RuntimeError("no such device")
        stream = FakeStream(owner=self, **kwargs)
        self.streams.append(stream)
        return stream

    @property
    def stream(self) -> FakeStream:
        return self.streams[-1]


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
