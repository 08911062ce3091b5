"""The session's one audio file as an export names and links it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Media:
    """Where the session's audio is, seen from where an export is written."""

    path: Path  # absolute
    relative: str  # from the export's folder, e.g. ../audio.wav
    mime: str = "audio/x-wav"

    @property
    def url(self) -> str:
        return self.path.as_uri()


def media_for(audio: Path | None, export_dir: Path) -> Media | None:
    if audio is None:
        return None
    path = Path(audio).resolve()
    relative = Path(os.path.relpath(path, Path(export_dir).resolve())).as_posix()
    return Media(path, relative if relative.startswith(".") else "./" + relative)
