"""Writing a session's exports to disk: file names, permissions, the safeguarding warning."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from companion.errors import UsageError
from companion.export.common import base_name, safeguarding_warning  # noqa: F401 (the CLI uses it)
from companion.review.fold import SessionView, fold


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to <participant>-<session>
    help: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("md", ".md", "a readable report: facts, stage → question → notes, quotes, what was not covered"),
    Format("csv", ".csv", "one row per note, flag and coverage event, with times"),
    Format("vtt", ".vtt", "WebVTT cues for media players"),
    Format("srt", ".srt", "SubRip cues for media players"),
    Format("audacity", "-audacity.txt", "an Audacity label track"),
    Format("eaf", ".eaf", "an ELAN 3.0 document linked to the audio"),
    Format("nvivo", "-nvivo.txt", "timestamped paragraphs for NVivo and QualCoder"),
    Format("nvivo-tsv", "-nvivo.tsv", "tab-delimited transcript with a Timespan column for NVivo"),
)}
ALL = "all"


def expand(fmt: str) -> list[str]:
    if fmt == ALL:
        return list(FORMATS)
    if fmt not in FORMATS:
        import difflib

        near = difflib.get_close_matches(fmt, [*FORMATS, ALL], n=1)
        hint = f" — did you mean {near[0]}?" if near else ""
        raise UsageError(f"unknown export format {fmt!r}{hint} (one of: {', '.join([*FORMATS, ALL])})")
    return [fmt]


def view_of(record) -> SessionView:
    """The fold of a store record (companion.store.SessionRecord)."""
    if record.guide is None:
        problems = "; ".join(getattr(record, "problems", None) or []) or "its guide copy cannot be read"
        raise UsageError(f"Session {record.path} cannot be exported: {problems}")
    meta = dict(getattr(record, "meta", None) or {})
    return fold(record.guide, record.events, meta)


def segments_of(record) -> list[dict]:
    segments = getattr(record, "segments", None)
    if segments is None:
        segments = ((getattr(record, "meta", None) or {}).get("audio") or {}).get("segments") or []
    # A sealed segment (encrypted session) is no media file a tool can open: never linked.
    return [s for s in segments if s.get("file") and not str(s["file"]).endswith(".sealed")]


def render(view: SessionView, fmt: str, *, session_dir: Path | None = None, segments: list[dict] = (),
           export_dir: Path | None = None) -> str:
    """One format as text. ``export_dir`` is where the file will live (EAF links audio relative to it)."""
    from companion.export import audacity, elan, markdown, nvivo, subtitles, table

    if fmt == "eaf":
        links = []
        if session_dir is not None:
            links = elan.media_links(session_dir, list(segments), export_dir or Path.cwd())
        return elan.render_eaf(view, links)
    renderers: dict[str, Callable[[SessionView], str]] = {
        "md": markdown.render_md,
        "csv": table.render_csv,
        "vtt": subtitles.render_vtt,
        "srt": subtitles.render_srt,
        "audacity": audacity.render_audacity,
        "nvivo": nvivo.render_nvivo_text,
        "nvivo-tsv": nvivo.render_nvivo_tsv,
    }
    return renderers[fmt](view)


def default_dir(record) -> Path:
    return Path(record.path) / "exports"


def targets(view: SessionView, formats: list[str], out: Path | None, default: Path) -> dict[str, Path]:
    """Where each format goes: ``out`` is a file for one format, a folder for several."""
    if out is not None and len(formats) == 1 and not (out.is_dir()):
        return {formats[0]: out}
    folder = out if out is not None else default
    return {fmt: folder / (base_name(view) + FORMATS[fmt].suffix) for fmt in formats}


def write_private(path: Path, text: str) -> None:
    """Write atomically, readable by the owner only whatever the umask."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _make_folder(folder: Path) -> None:
    """A folder we create holds exports of interviews: the owner's alone."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    elif not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")


def warn_stderr(message: str) -> None:
    print(f"companion: {message}", file=sys.stderr)


def write_exports(record, formats: list[str] | str, out: Path | str | None = None,
                  warn: Callable[[str], None] | None = warn_stderr) -> list[Path]:
    """Write ``formats`` (names, or ``"all"``) of a stored session; return the paths written.

    Without ``out`` the files go into the session's ``exports/`` folder (0700, files 0600);
    with ``out`` to that file (one format) or folder (several) — nothing is written elsewhere.
    """
    names = [n for f in ([formats] if isinstance(formats, str) else formats) for n in expand(f)]
    view = view_of(record)
    default = default_dir(record)
    out_path = Path(out).expanduser() if out is not None else None
    if out_path is not None and len(names) > 1 and out_path.exists() and not out_path.is_dir():
        raise UsageError(f"{out_path} is a file; several formats need a folder for -o")
    places = targets(view, names, out_path, default)
    if out_path is not None and len(places) == 1 and not out_path.is_dir() and not out_path.parent.is_dir():
        raise UsageError(f"There is no folder {out_path.parent} to write {out_path.name} into.")
    written = []
    for fmt, path in places.items():
        _make_folder(path.parent)
        write_private(path, render(view, fmt, session_dir=Path(record.path), segments=segments_of(record),
                                   export_dir=path.parent))
        written.append(path)
    message = safeguarding_warning(view)
    if message and warn:
        warn(message)
    return written
