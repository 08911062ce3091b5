"""``companion export --all``: a whole store at once — one REFI-QDA project (one AudioSource
per session), one codebook, or every session's files."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from companion.errors import UsageError
from companion.export.writer import expand, make_folder, session_audio_of, view_of, write_exports, write_private

Warn = Callable[[str], None]


def export_store(store, fmt: str, out: Path | str | None, warn: Warn | None = None,
                 progress_for: Callable[[str], object] | None = None, link_audio: bool = False) -> list[Path]:
    """Export every readable session of ``store``; sessions that cannot be read are named in a warning."""
    records = _records(store, warn)
    if not records:
        raise UsageError(f"There are no sessions to export in {store.root}.")
    names = expand(fmt)
    if names in (["qdpx"], ["qdc"]):
        if out is None:
            raise UsageError(f"--all --format {fmt} writes one file: give it with -o, e.g. -o study.{fmt}.")
        path = Path(out).expanduser()
        if path.is_dir():
            path = path / f"study.{fmt}"
        make_folder(path.parent)
        return [_project(records, path, fmt, warn, progress_for, link_audio)]
    folder = Path(out).expanduser() if out is not None else None
    if folder is not None and folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; --all needs a folder for -o")
    if folder is not None:
        make_folder(folder)
    written: list[Path] = []
    for record in records:
        progress = progress_for(_ref(record)) if progress_for else None
        written += write_exports(record, names, folder, warn=warn, progress=progress, link_audio=link_audio)
    return written


def _records(store, warn: Warn | None) -> list:
    records = []
    for summary in store.sessions():
        try:
            record = store.open(summary.path)
            view_of(record)  # refuses a session whose guide copy is unreadable
        except UsageError as error:
            if warn:
                warn(f"skipped {summary.ref}: {error}")
            continue
        records.append(record)
    return records


def _ref(record) -> str:
    return f"{record.participant}/{record.session_id}"


def _project(records: list, path: Path, fmt: str, warn: Warn | None, progress_for, link_audio: bool) -> Path:
    if fmt == "qdc":
        from companion.export.refi_codes import render_qdc

        write_private(path, render_qdc([r.guide for r in records]))
        return path
    from companion.export.qdpx import SessionSource, write_qdpx

    sources = []
    for record in records:
        progress = progress_for(_ref(record)) if progress_for else None
        audio, _ = session_audio_of(record, False, warn, progress)
        sources.append(SessionSource(view_of(record), audio.path if audio else None))
    return write_qdpx(path, sources, path.stem, link_audio)

