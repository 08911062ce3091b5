"""Writing a session's exports to disk: file names, permissions, the safeguarding warning."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from companion.errors import UsageError
from companion.export.common import base_name, safeguarding_warning  # noqa: F401 (the CLI uses it)
from companion.export.media import Media, media_for
from companion.review.fold import SessionView, fold
from companion.store.safefiles import make_private

if TYPE_CHECKING:
    from companion.audio.join import Progress
    from companion.audio.session_audio import SessionAudio


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # appended to <participant>-<session>
    help: str
    kind: str = "text"  # text: rendered from the fold; project: a REFI-QDA zip; audio: the one audio file


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("md", ".md", "a readable report: facts, stage → question → notes, quotes, what was not covered"),
    Format("csv", ".csv", "one row per note, flag and coverage event, with times (UTF-8 with BOM, formula-safe)"),
    Format("vtt", ".vtt", "WebVTT cues for media players"),
    Format("srt", ".srt", "SubRip cues for media players"),
    Format("audacity", "-audacity.txt", "an Audacity label track"),
    Format("eaf", ".eaf", "an ELAN 3.0 document linked to the audio"),
    Format("nvivo", "-nvivo.txt", "tab-delimited transcript rows with a Timespan column for NVivo"),
    Format("nvivo-tsv", "-nvivo.tsv", "the same with Stage, Question, Codes and Flags columns"),
    Format("qdc", ".qdc", "the codebook as a REFI-QDA codebook"),
    Format("qdpx", ".qdpx", "a REFI-QDA project with the audio (ATLAS.ti, MAXQDA, NVivo, QualCoder)", "project"),
    Format("flac", ".flac", "the session's audio, lossless (for archives)", "audio"),
    Format("opus", ".opus", "the session's audio, about 30 times smaller (for a transcriber)", "audio"),
)}
ALL = "all"
# "all": every view of the log; the project, the codebook and the audio copies are asked by name.
ALL_FORMATS = ("md", "csv", "vtt", "srt", "audacity", "eaf", "nvivo", "nvivo-tsv")


def expand(fmt: str) -> list[str]:
    if fmt == ALL:
        return list(ALL_FORMATS)
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


def render(view: SessionView, fmt: str, media: Media | None = None) -> str:
    """One text format. ``media`` is the session's audio as seen from where the file will be."""
    from companion.export import audacity, elan, markdown, nvivo, refi_codes, subtitles, table
    from companion.collector import collector_paused

    if fmt == "qdc":
        return refi_codes.render_qdc([view.guide])
    renderers: dict[str, Callable[[SessionView, Media | None], str]] = {
        "md": markdown.render_md,
        "csv": table.render_csv,
        "vtt": subtitles.render_vtt,
        "srt": subtitles.render_srt,
        "audacity": audacity.render_audacity,
        "eaf": elan.render_eaf,
        "nvivo": nvivo.render_nvivo_text,
        "nvivo-tsv": nvivo.render_nvivo_tsv,
    }
    with collector_paused():
        return renderers[fmt](view, media)


def session_audio_of(record, needed: bool, warn: Callable[[str], None] | None,
                     progress: Progress | None = None, plain_copy: Path | None = None,
                     ) -> tuple[SessionAudio | None, Path | None]:
    """The session's one audio file (joined now if needed) and the path exports name.

    A session being recorded, or whose segments cannot be joined, is still exported as text
    (with a warning) unless the audio itself is ``needed``. An encrypted session's audio is
    never joined in the store: with the key, it is decrypted into ``plain_copy`` (beside the
    exports that need it) as one WAV on the session timeline."""
    from companion.audio.join import JoinError
    from companion.audio.session_audio import has_audio, planned_audio, session_audio
    from companion.store.errors import SessionLockedError

    folder = Path(record.path)
    if not has_audio(getattr(record, "meta", None) or {}):
        return None, None
    if getattr(record, "keyring", None) is not None:
        from companion.crypto.plain import export_audio

        audio = export_audio(record, plain_copy) if plain_copy else None
        return audio, (audio.path if audio else None)
    try:
        audio = session_audio(folder, progress)
    except SessionLockedError as error:
        if needed:
            raise
        if warn:
            warn(f"{error} The exports name {planned_audio(folder).name}, written then.")
        return None, planned_audio(folder)
    except JoinError as error:
        if needed:
            raise
        if warn:
            warn(f"{error} The exports name no audio file.")
        return None, None
    return audio, (audio.path if audio else None)


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
        make_private(fd)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_folder(folder: Path) -> None:
    """A folder we create holds exports of interviews: the owner's alone."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    elif not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")


def warn_stderr(message: str) -> None:
    print(f"companion: {message}", file=sys.stderr)


def write_exports(record, formats: list[str] | str, out: Path | str | None = None,
                  warn: Callable[[str], None] | None = warn_stderr, progress: Progress | None = None,
                  link_audio: bool = False) -> list[Path]:
    """Write ``formats`` (names, or ``"all"``) of a stored session; return the paths written.

    Without ``out`` the files go into the session's ``exports/`` folder (0700, files 0600);
    with ``out`` to that file (one format) or folder (several) — nothing is written elsewhere.
    The session's segments are joined into its one audio file first when they are not yet.
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
    needed = any(FORMATS[n].kind == "audio" for n in names)
    plain_copy = None
    if any(FORMATS[n].kind != "text" for n in names):  # an encrypted session's audio, decrypted here
        plain_copy = next(iter(places.values())).parent / (base_name(view) + ".wav")
    audio, audio_path = session_audio_of(record, needed, warn, progress, plain_copy)
    written = [plain_copy] if audio is not None and audio.path == plain_copy else []
    for fmt, path in places.items():
        make_folder(path.parent)
        kind = FORMATS[fmt].kind
        if kind == "text":
            write_private(path, render(view, fmt, media_for(audio_path, path.parent)))
        elif kind == "project":
            from companion.export.qdpx import SessionSource, write_qdpx

            write_qdpx(path, [SessionSource(view, audio.path if audio else None)], base_name(view), link_audio)
        else:
            from companion.export.compressed import write_compressed

            if audio is None:
                raise UsageError(f"Session {view.participant}/{view.session} has no audio to write as {fmt}.")
            write_compressed(audio, path, fmt, progress)
        written.append(path)
    message = safeguarding_warning(view)
    if message and warn:
        warn(message)
    return written
