"""Peak and RMS in dBFS of int16 audio, for the level meter (computed off the callback)."""

from __future__ import annotations

import math

from companion.audio.state import SILENCE_DBFS

FULL_SCALE = 32768.0


def to_dbfs(value: float) -> float:
    if value <= 0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20.0 * math.log10(value / FULL_SCALE))


def levels(blocks: list[bytes]) -> tuple[float, float]:
    """(peak, rms) in dBFS; a full-scale sine reads 0 dBFS peak and -3.01 dBFS RMS."""
    import numpy as np

    if not blocks:
        return SILENCE_DBFS, SILENCE_DBFS
    samples = np.frombuffer(b"".join(blocks), dtype="<i2").astype(np.float64)
    if samples.size == 0:
        return SILENCE_DBFS, SILENCE_DBFS
    peak = float(np.max(np.abs(samples)))
    rms = math.sqrt(float(np.dot(samples, samples)) / samples.size)
    return to_dbfs(peak), to_dbfs(rms)
