"""Times as the exports print them. Every format rounds through whole milliseconds first,
so no format can print ``.1000`` and all of them agree with each other to the millisecond."""

from __future__ import annotations

import math


def to_ms(seconds: float) -> int:
    """Round half up to a whole millisecond (never negative)."""
    ms = math.floor(seconds * 1000 + 0.5)
    return ms if ms > 0 else 0


def hms_ms(seconds: float, sep: str = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT, CSV) or with ``sep=","`` (SRT)."""
    ms = to_ms(seconds)
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def hms(seconds: float) -> str:
    """``HH:MM:SS`` for reading. Truncated, not rounded: jumping to the printed second
    lands at or before the moment, never after it."""
    m, s = divmod(to_ms(seconds) // 1000, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


def hms_tenths(seconds: float) -> str:
    """``HH:MM:SS.s`` (NVivo timespans), rounded to the tenth with carry."""
    return tenths_clock((to_ms(seconds) + 50) // 100)


def tenths_clock(tenths: int) -> str:
    """``HH:MM:SS.s`` of a whole number of tenths of a second."""
    s, tenth = divmod(tenths, 10)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{tenth}"


def seconds_ms(seconds: float) -> str:
    """Seconds with exactly three decimals, from the rounded milliseconds (CSV)."""
    ms = to_ms(seconds)
    return f"{ms // 1000}.{ms % 1000:03d}"


def seconds_micro(seconds: float) -> str:
    """Seconds with six decimals (Audacity), of the same rounded milliseconds as every other format."""
    ms = to_ms(seconds)
    return f"{ms // 1000}.{ms % 1000:03d}000"
