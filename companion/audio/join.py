"""Join a session's audio segments into one continuous ``audio.wav``, crash-safe.

A resumed session has one WAV segment per recording run, each placed on the session
timeline by the ``start`` that session.yaml records for it. Analysis tools link one
file per source and start it at 0, so the session's audio is joined into one file
whose sample N is timeline time N/rate: a segment's samples go at round(start×rate),
and the stretches no segment covers (before the first, or after a tail that ran in
clock mode) are silence.

The steps, each durable before the next, so a kill at any moment leaves the segments
or the verified whole file, never neither — and a rerun finishes or restarts the job:

1. write ``audio.joining.wav`` (hashing the samples as they are read), fsync it;
2. read it back and compare the hash of its samples with the segments' (plus padding);
3. record the file, its length and hash in session.yaml (``audio_file``);
4. rename it to ``audio.wav`` (atomic) and fsync the folder;
5. only then remove the segments it holds.

A rerun that finds ``audio.joining.wav`` renames it when it matches the recorded hash
(the kill fell between 3 and 4) and deletes it otherwise (the kill fell in 1 or 2).
Segments listed in the record that still exist are removed once ``audio.wav`` is
checked against the record (the kill fell in 5). A session joined and later resumed
joins again: the old ``audio.wav`` is the first piece of the new one.
"""

from __future__ import annotations

import hashlib
import os
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from companion.audio.wavfile import CHANNELS, SAMPLE_WIDTH, WavWriter, fsync_dir
from companion.store import meta as metafile
from companion.store import segments as seg
from companion.store.errors import SessionLockedError, StoreError
from companion.store.lock import acquire

JOINED_NAME = "audio.wav"
TEMP_NAME = "audio.joining.wav"
RECORD_KEY = "audio_file"
CHUNK_FRAMES = 1 << 18  # about 5 s at 48 kHz per read and write
# Segment starts are written to the microsecond: rounding may place a segment a frame
# before the previous one's end. A larger overlap is a damaged record, never trimmed.
OVERLAP_TOLERANCE = 2

# progress(phase, done, total): "join" and "verify" count frames, "remove" segment files;
# "verified", "recorded", "renamed" and "removed" mark the durable steps (done = total = 1).
Progress = Callable[[str, int, int], None]


class JoinError(StoreError):
    """The segments cannot be joined (the message says why); they are kept as they are."""


@dataclass(frozen=True)
class Piece:
    path: Path
    at: int  # first frame in the joined file
    frames: int
    index: int | None  # the segment's number; None for an earlier audio.wav


def _quiet(_phase: str, _done: int, _total: int) -> None:
    pass


def join_session(folder: Path, progress: Progress | None = None) -> dict | None:
    """Join the session's segments into ``audio.wav``; return session.yaml's ``audio_file`` record
    (None when the session has no audio). Safe to call again at any time: it finishes or restarts
    an interrupted join and does nothing when the file is complete."""
    folder = Path(folder)
    progress = progress or _quiet
    name = f"{folder.parent.name}/{folder.name}"
    try:
        # Wait a moment: a listing reads a session under its lock for an instant.
        lock = acquire(folder, name, wait=2.0)
    except SessionLockedError:
        raise SessionLockedError(
            f"Session {name} is open in another companion (being recorded); "
            "its audio is joined into one file when it closes."
        ) from None
    try:
        meta = metafile.read(folder)
        rate = _session_rate(meta)
        changed, problems = seg.repair(folder, meta["segments"], rate)  # a killed recorder's partial file
        if problems:
            raise JoinError(f"The audio of {folder.name} cannot be joined: {'; '.join(problems)}")
        if changed:
            metafile.write(folder, meta)
        _recover(folder, meta, progress)
        pieces, rate = plan(folder, meta)
        if not pieces:
            return meta.get(RECORD_KEY)
        if len(pieces) == 1 and pieces[0].index is None:
            return meta[RECORD_KEY]  # already one file, nothing new to add
        source, record = _verified_whole(folder, pieces, rate, progress, meta.get(RECORD_KEY))
        meta[RECORD_KEY] = record
        metafile.write(folder, meta)
        progress("recorded", 1, 1)
        os.replace(source, folder / JOINED_NAME)
        fsync_dir(folder)
        progress("renamed", 1, 1)
        _remove_joined(folder, record, progress)
        return record
    finally:
        lock.release()


def _verified_whole(folder: Path, pieces: list[Piece], rate: int, progress: Progress,
                    earlier: dict | None) -> tuple[Path, dict]:
    """The file to rename to audio.wav, checked, and its record."""
    if len(pieces) == 1 and pieces[0].at == 0:
        # One segment from the start is already the whole file: it is renamed, not copied.
        return pieces[0].path, _record_of(pieces[0], rate, progress)
    try:
        return folder / TEMP_NAME, _write_and_verify(folder, pieces, rate, progress, earlier)
    except OSError as error:
        raise JoinError(f"Could not write {TEMP_NAME} in {folder} ({error.strerror or error}); "
                        "the segments are kept as they are.") from None


def needs_join(folder: Path) -> bool:
    """Whether ``join_session`` has work to do (cheap: file names and session.yaml only)."""
    folder = Path(folder)
    meta = metafile.read(folder)
    if meta.get("encryption"):
        return False  # sealed segments are never joined on the plain disk (companion/crypto/plain.py)
    record = meta.get(RECORD_KEY)
    if (folder / TEMP_NAME).exists() or list(folder.glob(f"audio-*{seg.PARTIAL_SUFFIX}")):
        return True
    if record and not (folder / record["file"]).exists():
        return True
    # Any segment file left means work: one not joined yet, or one joined but not yet removed.
    return any(s.get("file") and (folder / s["file"]).exists() for s in meta["segments"])


def plan(folder: Path, meta: dict) -> tuple[list[Piece], int]:
    """The pieces of the joined file, in timeline order, and the rate they share."""
    record = meta.get(RECORD_KEY)
    entries = []
    if record and (folder / record["file"]).exists():
        entries.append((folder / record["file"], 0.0, None))
    for entry in _segment_files(folder, meta, record):
        entries.append((folder / entry["file"], float(entry.get("start") or 0.0), entry["index"]))
    rates = {}
    pieces: list[Piece] = []
    for path, start, index in entries:
        frames, rate = _wav_format(path)
        rates[path.name] = rate
        if len(set(rates.values())) > 1:
            listed = ", ".join(f"{name} at {r} Hz" for name, r in rates.items())
            raise JoinError(f"The audio segments were recorded at different rates ({listed}) and cannot be "
                            "joined without resampling; they are kept as they are.")
        pieces.append(Piece(path, round(start * rate), frames, index))
    pieces.sort(key=lambda p: p.at)
    placed: list[Piece] = []
    for piece in pieces:
        end = placed[-1].at + placed[-1].frames if placed else 0
        if piece.at < end - OVERLAP_TOLERANCE:
            raise JoinError(f"{piece.path.name} starts {(end - piece.at) / rates[piece.path.name]:.3f} s before "
                            "the audio before it ends; session.yaml's segment times look damaged, so nothing was joined.")
        placed.append(Piece(piece.path, max(piece.at, end), piece.frames, piece.index))
    return placed, (next(iter(rates.values())) if rates else 0)


def _segment_files(folder: Path, meta: dict, record: dict | None) -> list[dict]:
    """Finished segments whose files exist and are not yet in the joined file."""
    done = set((record or {}).get("joined") or ())
    return [s for s in meta["segments"]
            if s.get("file") and s.get("index") not in done and (folder / s["file"]).exists()]


def _wav_format(path: Path) -> tuple[int, int]:
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getnchannels(), w.getsampwidth()) != (CHANNELS, SAMPLE_WIDTH):
                raise JoinError(f"{path.name} is not mono 16-bit audio; it is kept as it is.")
            return w.getnframes(), w.getframerate()
    except (OSError, EOFError, wave.Error) as error:
        raise JoinError(f"{path.name} cannot be read ({error}); the segments are kept as they are.") from None


def _session_rate(meta: dict) -> int | None:
    audio = meta.get("audio")
    rate = audio.get("rate") if isinstance(audio, dict) else None
    return rate if isinstance(rate, int) else None


# --- writing and checking ------------------------------------------------------------------


def _write_and_verify(folder: Path, pieces: list[Piece], rate: int, progress: Progress,
                      earlier: dict | None) -> dict:
    temp = folder / TEMP_NAME
    total = pieces[-1].at + pieces[-1].frames
    digest = hashlib.sha256()
    writer = WavWriter(temp, rate)
    try:
        for piece in pieces:
            _pad(writer, piece.at - writer.frames, digest)
            with wave.open(str(piece.path), "rb") as source:
                left = piece.frames
                while left > 0:
                    data = source.readframes(min(CHUNK_FRAMES, left))
                    if not data:
                        raise JoinError(f"{piece.path.name} ended early; the segments are kept as they are.")
                    digest.update(data)
                    writer.write(data)
                    left -= len(data) // SAMPLE_WIDTH
                    progress("join", writer.frames, total)
        writer.close()
    except BaseException:
        writer.close()
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    expected = digest.hexdigest()
    found = samples_hash(temp, rate, total, progress)
    if found != expected:
        temp.unlink(missing_ok=True)
        raise JoinError(f"The joined audio read back differently from its segments (disk error?); "
                        f"the segments of {folder.name} are kept and nothing was removed.")
    progress("verified", 1, 1)
    joined = sorted({p.index for p in pieces if p.index is not None})
    held = set((earlier or {}).get("joined") or ()) | set(joined)
    return {"file": JOINED_NAME, "rate": rate, "frames": total, "duration": round(total / rate, 6),
            "sha256": expected, "joined": sorted(held)}


def _record_of(piece: Piece, rate: int, progress: Progress) -> dict:
    digest = samples_hash(piece.path, rate, piece.frames, progress)
    if digest is None:
        raise JoinError(f"{piece.path.name} cannot be read to the end; it is kept as it is.")
    progress("verified", 1, 1)
    return {"file": JOINED_NAME, "rate": rate, "frames": piece.frames, "duration": round(piece.frames / rate, 6),
            "sha256": digest, "joined": [piece.index]}


def _pad(writer: WavWriter, frames: int, digest) -> None:
    silence = bytes(min(frames, CHUNK_FRAMES) * SAMPLE_WIDTH)
    while frames > 0:
        n = min(frames, CHUNK_FRAMES)
        digest.update(silence[: n * SAMPLE_WIDTH])
        writer.write(silence[: n * SAMPLE_WIDTH])
        frames -= n


def samples_hash(path: Path, rate: int | None = None, frames: int | None = None,
                 progress: Progress = _quiet) -> str | None:
    """SHA-256 of a WAV's samples, or None when the file is not the mono int16 file expected."""
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getnchannels(), w.getsampwidth()) != (CHANNELS, SAMPLE_WIDTH):
                return None
            if (rate is not None and w.getframerate() != rate) or (frames is not None and w.getnframes() != frames):
                return None
            total, done, digest = w.getnframes(), 0, hashlib.sha256()
            while data := w.readframes(CHUNK_FRAMES):
                digest.update(data)
                done += len(data) // SAMPLE_WIDTH
                progress("verify", done, total)
            return digest.hexdigest() if done == total else None
    except (OSError, EOFError, wave.Error):
        return None


# --- finishing what a killed join left ------------------------------------------------------


def _matches(path: Path, record: dict, progress: Progress = _quiet) -> bool:
    return samples_hash(path, record.get("rate"), record.get("frames"), progress) == record.get("sha256")


def _recover(folder: Path, meta: dict, progress: Progress) -> None:
    record = meta.get(RECORD_KEY)
    temp = folder / TEMP_NAME
    if temp.exists():
        if record and _matches(temp, record, progress):
            os.replace(temp, folder / JOINED_NAME)  # killed after recording, before the rename
            fsync_dir(folder)
            progress("renamed", 1, 1)
        else:
            temp.unlink()  # an unfinished or unverified write: the segments are all still there
            fsync_dir(folder)
    if not record:
        return
    joined = folder / record["file"]
    held = [s for s in meta["segments"] if s.get("index") in set(record.get("joined") or ()) and s.get("file")]
    leftovers = [s for s in held if (folder / s["file"]).exists()]
    if not joined.exists():
        if len(leftovers) == len(held):
            del meta[RECORD_KEY]  # never renamed: join again from the segments, which are all there
            metafile.write(folder, meta)
            return
        raise JoinError(f"{joined} is missing and its segments were removed: the audio of this session is lost.")
    if leftovers:
        if not _matches(joined, record, progress):
            raise JoinError(f"{joined.name} does not match session.yaml's record of it; its segments are kept "
                            "and nothing was removed.")
        _remove_joined(folder, record, progress)


def _remove_joined(folder: Path, record: dict, progress: Progress) -> None:
    meta = metafile.read(folder)
    held = set(record.get("joined") or ())
    doomed = [folder / e["file"] for e in meta["segments"] if e.get("index") in held and e.get("file")]
    for number, path in enumerate(doomed, start=1):
        path.unlink(missing_ok=True)
        progress("remove", number, len(doomed))
    fsync_dir(folder)
    progress("removed", 1, 1)
