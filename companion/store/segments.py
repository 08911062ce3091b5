"""Audio segments: their names, their place on the timeline, and the repair of the
``*.partial.wav`` a killed recorder leaves behind.

A session's audio is one or more segments (one per recording run: a resumed
session starts a new one). ``session.yaml`` lists each with the offset where it
starts on the session's single timeline, so the timeline stays continuous.
"""

from __future__ import annotations

import os
import re
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from companion.store.safefiles import FILE_MODE

PARTIAL_SUFFIX = ".partial.wav"
SEALED_PARTIAL_SUFFIX = ".partial.sealed"  # an encrypted session's segment (companion/crypto/audio.py)
SEGMENT_NAME = re.compile(r"audio-(\d+)(\.partial)?\.(wav|sealed)")


@dataclass(frozen=True)
class Segment:
    """Where the recorder writes one segment: ``partial`` while recording, ``final`` once stopped.
    ``make_writer`` (path, rate) -> writer replaces the WAV writer (an encrypted session's)."""

    index: int
    partial: Path
    final: Path
    start: float
    make_writer: Callable | None = None


def final_name(index: int, sealed: bool = False) -> str:
    return f"audio-{index:02d}.{'sealed' if sealed else 'wav'}"


def partial_name(index: int, sealed: bool = False) -> str:
    return f"audio-{index:02d}{SEALED_PARTIAL_SUFFIX if sealed else PARTIAL_SUFFIX}"


def index_of(name: str) -> int | None:
    match = SEGMENT_NAME.fullmatch(name)
    return int(match.group(1)) if match else None


def entry(segments: list[dict], index: int) -> dict | None:
    return next((s for s in segments if s.get("index") == index), None)


def end_of(segments: list[dict]) -> float:
    """Where the audio timeline ends: the end of the latest-ending segment."""
    return max((float(s.get("start") or 0) + float(s.get("duration") or 0) for s in segments), default=0.0)


def next_index(segments: list[dict], folder: Path) -> int:
    """A segment number used by no entry and no file, so nothing is ever overwritten."""
    used = [s.get("index", 0) for s in segments]
    used += [i for i in (index_of(p.name) for p in folder.iterdir()) if i is not None]
    return max(used, default=0) + 1


def record(segments: list[dict], index: int, frames: int, rate: int, sealed: bool = False) -> dict:
    """Fill in (or add) a finished segment's length."""
    found = entry(segments, index)
    if found is None:
        found = {"index": index, "file": final_name(index, sealed), "start": end_of(segments)}
        segments.append(found)
        segments.sort(key=lambda s: s["index"])
    sealed = sealed or str(found.get("file", "")).endswith(".sealed")
    found.update(file=final_name(index, sealed), frames=int(frames), rate=int(rate),
                 duration=round(frames / rate, 6) if rate else 0.0)
    return found


def unsettled(folder: Path, segments: list[dict]) -> bool:
    """Whether ``repair`` may find work: a partial file left by a recording, or a finished
    segment whose length was never recorded. A listing locks a session only then."""
    names = set(os.listdir(folder))
    if any(name.startswith("audio-") and name.endswith((PARTIAL_SUFFIX, SEALED_PARTIAL_SUFFIX)) for name in names):
        return True
    return any(seg.get("frames") is None and ("index" not in seg or final_name(seg["index"]) in names
                                              or final_name(seg["index"], sealed=True) in names) for seg in segments)


def repair(folder: Path, segments: list[dict], rate: int | None = None) -> tuple[bool, list[str]]:
    """Repair leftover partial files and record unfinished segments; (changed, problems).
    ``rate`` is the session's recording rate, used when a partial file lost its header."""
    changed, problems = False, []
    for partial in sorted(folder.glob(f"audio-*{PARTIAL_SUFFIX}")):
        index = index_of(partial.name)
        if index is None:
            continue
        try:
            from companion.audio.wavfile import repair_partial
        except ImportError:
            problems.append(f"{partial.name} was left by an interrupted recording and is not repaired yet.")
            break
        try:
            final, frames, found_rate = repair_partial(partial, rate)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop a listing
            problems.append(f"{partial.name} could not be repaired: {error}")
            continue
        _private(Path(final))
        record(segments, index, frames, found_rate)
        changed = True
    sealed_changed, sealed_problems = _repair_sealed(folder, segments)
    changed = changed or sealed_changed
    problems += sealed_problems
    for seg in segments:
        if seg.get("frames") is None and str(seg.get("file", "")).endswith(".sealed"):
            continue  # a sealed segment's length is recorded by _repair_sealed
        if seg.get("frames") is None and (folder / final_name(seg["index"])).exists():
            # Stopped and renamed, but killed before the length was recorded.
            try:
                with wave.open(str(folder / final_name(seg["index"])), "rb") as wav:
                    record(segments, seg["index"], wav.getnframes(), wav.getframerate())
                changed = True
            except (OSError, EOFError, wave.Error) as error:
                problems.append(f"{final_name(seg['index'])} could not be read: {error}")
    return changed, problems


def _repair_sealed(folder: Path, segments: list[dict]) -> tuple[bool, list[str]]:
    """An encrypted session's leftovers: a partial sealed segment (torn chunk cut, renamed) and
    a finished one whose length was never recorded. No key is needed."""
    partials = sorted(folder.glob(f"audio-*{SEALED_PARTIAL_SUFFIX}"))
    unrecorded = [s for s in segments if s.get("frames") is None
                  and (folder / final_name(s["index"], sealed=True)).exists()]
    if not partials and not unrecorded:
        return False, []
    from companion.audio.wavfile import fsync_dir
    from companion.crypto import audio as sealed_audio

    changed, problems = False, []
    for partial in partials:
        index = index_of(partial.name)
        try:
            frames, rate, _ = sealed_audio.repair(partial)
            final = folder / final_name(index, sealed=True)
            os.replace(partial, final)
            fsync_dir(folder)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop a listing
            problems.append(f"{partial.name} could not be repaired: {error}")
            continue
        record(segments, index, frames, rate, sealed=True)
        changed = True
    for seg in unrecorded:
        try:
            frames, rate = sealed_audio.frames_of(folder / final_name(seg["index"], sealed=True))
        except Exception as error:  # noqa: BLE001
            problems.append(f"{final_name(seg['index'], sealed=True)} could not be read: {error}")
            continue
        record(segments, seg["index"], frames, rate, sealed=True)
        changed = True
    return changed, problems


def _private(path: Path) -> None:
    try:
        os.chmod(path, FILE_MODE)
    except OSError:
        pass  # a file we cannot chmod is reported by the permissions it keeps, not here
