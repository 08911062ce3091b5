"""``flac`` and ``opus``: the session's one audio file compressed through libsndfile (soundfile).

FLAC is lossless, for archives: the file is read back and its samples must hash the same
as the WAV's. Opus (in Ogg) is about 30 times smaller than the WAV, for a transcriber:
read back, its length must match. Both start at the session timeline's 0, like the WAV.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from companion.audio.session_audio import SessionAudio, read_blocks
from companion.errors import CompanionError, UsageError

OPUS_RATES = (8000, 12000, 16000, 24000, 48000)  # the rates an Opus stream can carry
OPUS_QUALITY = 0.93  # libsndfile maps 0…1 onto about 256…6 kbit/s: 0.93 is about 24 kbit/s, 1/30 of 48 kHz PCM
OPUS_SLACK = 0.02  # seconds the read-back length may differ by (the codec works in 20 ms frames)


class AudioExportError(CompanionError):
    """The audio could not be written in the asked format (the message says why)."""


def soundfile():
    try:
        import soundfile as sf
    except (ImportError, OSError) as error:
        raise UsageError(f"The sound file library (soundfile/libsndfile) is not available ({error}): "
                         "pip install soundfile.") from None
    return sf


def check_opus(rate: int) -> None:
    """Refuse (one sentence) what this machine's libsndfile cannot write as Opus."""
    sf = soundfile()
    if "OPUS" not in sf.available_subtypes("OGG"):
        raise UsageError(f"This computer's libsndfile ({sf.__libsndfile_version__}) cannot write Opus; "
                         "use --format flac, or install libsndfile 1.0.29 or later.")
    if rate not in OPUS_RATES:
        raise UsageError(f"Opus cannot carry audio recorded at {rate} Hz (only {', '.join(map(str, OPUS_RATES))}); "
                         "use --format flac.")


def write_compressed(audio: SessionAudio, path: Path, fmt: str, progress=None) -> Path:
    """Write ``fmt`` (flac or opus) of the session's audio atomically (0600), then read it back.
    ``progress(fmt, frames done, frames in all)`` follows the encoding (minutes per hour for Opus)."""
    sf = soundfile()
    if fmt == "opus":
        check_opus(audio.rate)
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    os.close(fd)
    os.chmod(temp, 0o600)
    try:
        digest = _encode(sf, audio, Path(temp), fmt, progress)
        _check(sf, audio, Path(temp), fmt, digest)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def _encode(sf, audio: SessionAudio, path: Path, fmt: str, progress) -> str:
    import numpy as np

    options = {"format": "FLAC", "subtype": "PCM_16"} if fmt == "flac" else {
        "format": "OGG", "subtype": "OPUS", "compression_level": OPUS_QUALITY}
    digest = hashlib.sha256()
    with sf.SoundFile(str(path), "w", samplerate=audio.rate, channels=1, **options) as out:
        done = 0
        for block in read_blocks(audio):
            digest.update(block)
            out.write(np.frombuffer(block, dtype="<i2"))
            done += len(block) // 2
            if progress is not None:
                progress(fmt, done, audio.frames)
    return digest.hexdigest()


def _check(sf, audio: SessionAudio, path: Path, fmt: str, digest: str) -> None:
    info = sf.info(str(path))
    if fmt == "flac":
        found = hashlib.sha256()
        for block in sf.blocks(str(path), blocksize=1 << 18, dtype="int16"):
            found.update(block.astype("<i2").tobytes())
        if info.frames != audio.frames or found.hexdigest() != digest:
            raise AudioExportError(f"The FLAC file read back differently from {audio.name}; nothing was written.")
    elif abs(info.frames / info.samplerate - audio.duration) > OPUS_SLACK:
        raise AudioExportError(f"The Opus file read back {info.frames / info.samplerate:.3f} s long, not "
                               f"{audio.duration:.3f} s; nothing was written.")
