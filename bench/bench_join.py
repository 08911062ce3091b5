"""Joining a resumed session's segments into one file, and compressing it, per recorded hour.

Baseline, measured side by side: a plain copy of the same WAV bytes (shutil.copyfile), the
least any join must do. The join also reads the result back to verify it, so about three
passes over the audio is its floor. Figures are medians; "per_hour" figures scale the time
of the recorded minutes to one hour.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from companion.audio.join import join_session
from companion.audio.session_audio import session_audio
from companion.export.compressed import write_compressed
from companion.store import meta as metafile

TITLE = "Join: segments into one verified audio.wav, and flac/opus, per recorded hour (48 kHz)"
RATE = 48000


def make_segments(folder: Path, minutes: float, pieces: int = 2) -> None:
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1)
    frames = int(minutes * 60 * RATE / pieces)
    segments = []
    for index in range(1, pieces + 1):
        samples = (rng.normal(0, 2000, frames)).astype("<i2")
        with wave.open(str(folder / f"audio-{index:02d}.wav"), "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(RATE)
            w.writeframes(samples.tobytes())
        start = (index - 1) * (frames / RATE + 1.0)  # a second of clock-mode tail between runs
        segments.append({"index": index, "file": f"audio-{index:02d}.wav", "start": start, "frames": frames, "rate": RATE})
    metafile.write(folder, {"participant": "PR1", "audio": {"mode": "audio", "rate": RATE}, "segments": segments})


def median_of(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        prepare = work()
        started = time.perf_counter()
        prepare()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(quick: bool) -> dict:
    minutes = 1.0 if quick else 20.0
    repeat = 3 if quick else 5
    encodes = 1 if quick else 3  # Opus encodes at about 20x real time here: minutes per hour
    with tempfile.TemporaryDirectory(prefix="i10-bench-") as tmp:
        tmp = Path(tmp)
        make_segments(tmp / "source", minutes)
        wavs = sorted((tmp / "source").glob("audio-*.wav"))
        counter = iter(range(10_000))

        def copy():
            target = tmp / f"copy-{next(counter)}"
            target.mkdir()
            return lambda: [shutil.copyfile(w, target / w.name) for w in wavs]

        def join():
            folder = tmp / f"join-{next(counter)}"
            shutil.copytree(tmp / "source", folder)
            return lambda: join_session(folder)

        baseline = median_of(copy, repeat)
        joined = median_of(join, repeat)
        audio = session_audio(next(tmp.glob("join-*")))
        scale = 60.0 / minutes
        figures: dict[str, object] = {
            "recorded_minutes": minutes,
            "baseline_copy_s_per_hour": baseline * scale,
            "join_s_per_hour": joined * scale,
            "join_vs_copy": joined / baseline,
        }
        for fmt in ("flac", "opus"):
            seconds = median_of(lambda: (lambda: write_compressed(audio, tmp / f"x.{fmt}", fmt)), encodes)
            figures[f"{fmt}_s_per_hour"] = seconds * scale
            figures[f"{fmt}_vs_copy"] = seconds / baseline
            figures[f"{fmt}_size_vs_wav"] = (tmp / f"x.{fmt}").stat().st_size / audio.path.stat().st_size
    return figures
