"""The session's one audio file: what review playback and every export use.

``session_audio(folder)`` is the only way the rest of the companion finds a session's
samples: it joins the segments first when they are not joined yet (sessions recorded
before joining existed, or closed by a process that died), and says where the one
file is. ``read_blocks`` is the only place those samples are read from disk, so a
change of where they live (e.g. sealed chunks) changes these two functions alone.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from companion.audio.join import CHUNK_FRAMES, JOINED_NAME, RECORD_KEY, Progress, join_session, needs_join
from companion.audio.wavfile import SAMPLE_WIDTH
from companion.store import meta as metafile


@dataclass(frozen=True)
class SessionAudio:
    """One continuous mono int16 file on the session timeline: sample N is at N/rate seconds."""

    path: Path
    rate: int
    frames: int

    @property
    def duration(self) -> float:
        return self.frames / self.rate if self.rate else 0.0

    @property
    def name(self) -> str:
        return self.path.name


def session_audio(folder: Path, progress: Progress | None = None) -> SessionAudio | None:
    """The session's one audio file, joined first when needed (which can take seconds per recorded
    hour: call it off the UI thread, with ``progress``); None when the session has no audio.
    Raises SessionLockedError while the session is being recorded, JoinError when it cannot join."""
    folder = Path(folder)
    if needs_join(folder):
        join_session(folder, progress)
    record = metafile.read(folder).get(RECORD_KEY)
    if not record or not (folder / record["file"]).exists():
        return None
    return SessionAudio(folder / record["file"], int(record["rate"]), int(record["frames"]))


def planned_audio(folder: Path) -> Path:
    """Where the one file is, or will be once the session closes."""
    return Path(folder) / JOINED_NAME


def has_audio(meta: dict) -> bool:
    """Whether a session recorded sound at all, from session.yaml alone (no joining, no disk reads)."""
    return bool(meta.get(RECORD_KEY) or any(s.get("file") for s in meta.get("segments") or ()))


def read_blocks(audio: SessionAudio, frames: int = CHUNK_FRAMES, start: int = 0) -> Iterator[bytes]:
    """The session's samples from frame ``start``, as little-endian int16 bytes, a block at a time."""
    with wave.open(str(audio.path), "rb") as source:
        source.setpos(start)
        while data := source.readframes(frames):
            yield data
            if len(data) < frames * SAMPLE_WIDTH:
                return
