"""Values the recorder hands out: its state and a finished segment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

Kind = Literal["idle", "recording", "paused", "clock-mode", "fault", "stopped"]

# on_event(type, t, fields): called from the recorder's own threads for
# "recording.gap" (start, length, reason), "recording.state" (state, reason) and
# "recording.overflow" (count); the caller appends them to the event log.
EventSink = Callable[[str, float, dict], None]

SILENCE_DBFS = -120.0  # the meter's floor: digital silence, or no audio at all


@dataclass(frozen=True)
class RecorderState:
    kind: Kind
    reason: str = ""


@dataclass(frozen=True)
class SegmentInfo:
    """One stretch of audio on the session timeline.

    ``start`` is its offset on the timeline; ``frames``/``rate`` what the file holds;
    ``end`` the timeline offset when it stopped — later than start + frames/rate when
    the tail ran in clock mode after a fault, so the next segment must start at ``end``.
    """

    path: Path | None
    start: float
    frames: int
    rate: int
    end: float
    index: int | None = None

    @property
    def duration(self) -> float:
        return self.frames / self.rate if self.rate else 0.0
