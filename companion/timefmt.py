"""Times on the audio timeline as people read them."""

from __future__ import annotations


def clock(seconds: float) -> str:
    """``12:34`` under an hour, ``1:02:03`` beyond; whole seconds, rounded down."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
