"""Clock mode: the session timeline from the monotonic clock when there is no audio.

Used when PortAudio is missing, there is no input device, the device cannot be
opened, the participant declined recording, or a faulted device could not be
reopened (then the recorder continues the same timeline with a MonotonicTimeline).
"""

from __future__ import annotations

import time
from pathlib import Path

from companion.audio.state import SILENCE_DBFS, EventSink, RecorderState, SegmentInfo


class MonotonicTimeline:
    """Seconds on the session timeline from the monotonic clock, excluding paused time."""

    def __init__(self, start: float = 0.0, clock=time.monotonic):
        """Held at ``start`` until ``run()`` or ``rebase()``."""
        self._clock = clock
        self._base = start  # timeline offset at _since
        self._since: float | None = None  # None while paused or not started

    def run(self, at: float | None = None) -> None:
        self._since = self._clock() if at is None else at

    def rebase(self, offset: float, at: float) -> None:
        """Continue from ``offset`` as of monotonic time ``at`` (taking over from audio)."""
        self._base, self._since = offset, at

    def hold(self) -> None:
        self._base = self.position()
        self._since = None

    def position(self) -> float:
        since = self._since
        if since is None:
            return self._base
        return self._base + max(0.0, self._clock() - since)


class ClockRecorder:
    """The recorder's interface with no audio: offsets from the monotonic clock."""

    mode = "clock"
    rate = 0
    device_name = None

    def __init__(self, reason: str, *, on_event: EventSink | None = None, clock=time.monotonic):
        self.reason = reason
        self._clock = clock
        self._timeline = MonotonicTimeline(0.0, clock)
        self._start = 0.0
        self.state = RecorderState("clock-mode", reason)
        self.level = (SILENCE_DBFS, SILENCE_DBFS)
        self.overflows = 0
        self._held = False

    def start(self, partial: Path | None = None, final: Path | None = None, timeline_start: float = 0.0,
              make_writer=None) -> None:
        self._start = timeline_start
        self._timeline = MonotonicTimeline(timeline_start, self._clock)
        if not self._held:  # paused before it started (resumed on a break): held until resume()
            self._timeline.run()

    def position(self) -> float:
        return self._timeline.position()

    def pause(self) -> None:
        self._timeline.hold()
        self._held = True

    def resume(self) -> None:
        self._timeline.run()
        self._held = False

    @property
    def paused(self) -> bool:
        return self._timeline._since is None

    def stop(self) -> SegmentInfo:
        end = self.position()
        self._timeline.hold()
        self.state = RecorderState("stopped", self.reason)
        return SegmentInfo(path=None, start=self._start, frames=0, rate=0, end=end)
