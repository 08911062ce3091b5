"""An encrypted session as plain standard files, with the study's key: ``events.jsonl`` (the
events as the companion wrote them), ``session.yaml`` and the guide copies, and the audio as
one WAV on the session's timeline (``audio.wav``: sample N is timeline time N / rate; the
stretches between segments are silence). The folder is itself a plain session folder, so
every command reads it as one."""

from __future__ import annotations

import shutil
from pathlib import Path

from companion.crypto.errors import CryptoError
from companion.errors import UsageError
from companion.store import meta as metafile
from companion.store.journal import JOURNAL_NAME, encode_event
from companion.store.safefiles import make_private_dir, replace_atomically

AUDIO_NAME = "audio.wav"


def sealed_segments(folder: Path, meta: dict) -> list[dict]:
    """The session's finished sealed segments, in timeline order."""
    found = [s for s in meta.get("segments") or [] if str(s.get("file", "")).endswith(".sealed")
             and (Path(folder) / s["file"]).is_file()]
    return sorted(found, key=lambda s: float(s.get("start") or 0.0))


def write_timeline_wav(folder: Path, meta: dict, keyring, out: Path, progress=None) -> tuple[int, int] | None:
    """Decrypt every sealed segment into one WAV on the session timeline; (frames, rate) or None."""
    from companion.audio.wavfile import WavWriter
    from companion.crypto import audio

    segments = sealed_segments(folder, meta)
    if not segments:
        return None
    rates = {audio.rate_of(Path(folder) / s["file"]) for s in segments}
    if len(rates) != 1:
        raise CryptoError(f"The audio segments of {folder} were recorded at different rates "
                          f"({', '.join(map(str, sorted(rates)))} Hz) and cannot make one WAV.")
    rate = rates.pop()
    writer = WavWriter(out, rate)
    try:
        for entry in segments:
            start = round(float(entry.get("start") or 0.0) * rate)
            if start > writer.frames:
                writer.write_silence(start - writer.frames)  # the timeline between segments
            path = Path(folder) / entry["file"]
            for pcm in audio.open_pcm(path, lambda k: keyring.data_key(folder, meta, k)):
                writer.write(pcm)
                if progress:
                    progress(len(pcm))
        writer.close()
    except BaseException:
        writer.close()
        out.unlink(missing_ok=True)
        raise
    return writer.frames, rate


def decrypt_session(record, keyring, out: Path, progress=None) -> list[Path]:
    """Write the opened ``record`` (Store.open with the key) as plain files into ``out``."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} is not empty: decrypt writes into a new or empty folder.")
    out.parent.mkdir(parents=True, exist_ok=True)
    make_private_dir(out)
    folder, meta = Path(record.path), dict(record.meta)
    written = []
    replace_atomically(out / JOURNAL_NAME, b"".join(encode_event(event) for event in record.events))
    written.append(out / JOURNAL_NAME)
    for guide in sorted(folder.glob("guide*.yaml")):
        shutil.copyfile(guide, out / guide.name)
        written.append(out / guide.name)
    audio = write_timeline_wav(folder, meta, keyring, out / AUDIO_NAME, progress)
    plain = {key: value for key, value in meta.items() if key != "encryption"}
    plain["decrypted_from"] = {"path": str(folder), "fingerprint": (meta.get("encryption") or {}).get("fingerprint")}
    if audio:
        frames, rate = audio
        plain["segments"] = [{"index": 1, "file": AUDIO_NAME, "start": 0.0, "frames": frames, "rate": rate,
                              "duration": round(frames / rate, 6)}]
        written.append(out / AUDIO_NAME)
    else:
        plain["segments"] = []
    metafile.write(out, plain)
    written.append(out / metafile.META_NAME)
    return written


def export_audio(record, path: Path):
    """An encrypted session's audio for exports that need it (opened with the key): one WAV on
    the session timeline at ``path`` (beside those exports, never in the store); None without audio."""
    from companion.audio.session_audio import SessionAudio

    if not sealed_segments(record.path, record.meta):
        return None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frames, rate = write_timeline_wav(Path(record.path), record.meta, record.keyring, Path(path))
    return SessionAudio(Path(path), rate, frames)
