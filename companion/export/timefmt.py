"""Times as the exports print them. Every format rounds through whole milliseconds first,
so no format can print ``.1000`` and all of them agree with each other to the millisecond.

A long session prints tens of thousands of times: the zero-padded numbers come from tables
rather than format specifications (a third of the time; tests/export/test_shared_work.py
holds them to the plain definitions)."""

from __future__ import annotations

import math

_TWO = tuple(f"{i:02d}" for i in range(100))
_THREE = tuple(f"{i:03d}" for i in range(1000))


def to_ms(seconds: float) -> int:
    """Round half up to a whole millisecond (never negative)."""
    ms = math.floor(seconds * 1000 + 0.5)
    return ms if ms > 0 else 0


def clock(whole_seconds: int) -> str:
    """``HH:MM:SS`` (hours past 99 in as many digits as they need)."""
    m, s = divmod(whole_seconds, 60)
    h, m = divmod(m, 60)
    return f"{_TWO[h] if h < 100 else h}:{_TWO[m]}:{_TWO[s]}"


def milliseconds(ms: int) -> str:
    """``.mmm``: the milliseconds of a time in whole milliseconds."""
    return _THREE[ms % 1000]


def hms_ms(seconds: float, sep: str = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT, CSV) or with ``sep=","`` (SRT)."""
    s, ms = divmod(to_ms(seconds), 1000)
    return f"{clock(s)}{sep}{_THREE[ms]}"


def hms(seconds: float) -> str:
    """``HH:MM:SS`` for reading. Truncated, not rounded: jumping to the printed second
    lands at or before the moment, never after it."""
    return clock(to_ms(seconds) // 1000)


def hms_tenths(seconds: float) -> str:
    """``HH:MM:SS.s`` (NVivo timespans), rounded to the tenth with carry."""
    return tenths_clock((to_ms(seconds) + 50) // 100)


def tenths_clock(tenths: int) -> str:
    """``HH:MM:SS.s`` of a whole number of tenths of a second."""
    s, tenth = divmod(tenths, 10)
    return f"{clock(s)}.{tenth}"


def seconds_ms(seconds: float) -> str:
    """Seconds with exactly three decimals, from the rounded milliseconds (CSV)."""
    s, ms = divmod(to_ms(seconds), 1000)
    return f"{s}.{_THREE[ms]}"


def seconds_micro(seconds: float) -> str:
    """Seconds with six decimals (Audacity), of the same rounded milliseconds as every other format."""
    return seconds_ms(seconds) + "000"
