"""Crash-safe WAV files: a writer whose header is always current, and repair of
a ``.partial.wav`` left behind by a killed process.

The writer uses the stdlib ``wave`` module, which rewrites the RIFF and data
sizes in the header after every ``writeframes`` call, so a process killed at any
moment leaves a file that is readable up to its last complete write. Repair is
still needed for the rare kill between a data write and its header patch, and
for a file whose header never reached the disk (zeros after a power cut).
"""

from __future__ import annotations

import os
import struct
import wave
from pathlib import Path

SAMPLE_WIDTH = 2  # int16
CHANNELS = 1
HEADER_BYTES = 44  # the canonical PCM header the stdlib writes
FALLBACK_RATE = 48000  # used only when a file's header is unreadable and no hint is given

PARTIAL_SUFFIX = ".partial.wav"


def final_path_for(partial: Path) -> Path:
    """``audio-01.partial.wav`` -> ``audio-01.wav``."""
    name = partial.name
    if name.endswith(PARTIAL_SUFFIX):
        return partial.with_name(name[: -len(PARTIAL_SUFFIX)] + ".wav")
    return partial.with_suffix(".wav")


def open_private(path: Path):
    """Open a new file for writing with mode 0600 whatever the umask (privacy)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def fsync_dir(path: Path) -> None:
    """Make a rename durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class WavWriter:
    """Mono int16 WAV with an always-current header; ``sync()`` makes it durable."""

    def __init__(self, path: Path, rate: int):
        self.path = Path(path)
        self.rate = rate
        self.frames = 0
        self._file = open_private(self.path)
        self._wave = wave.open(self._file, "wb")
        self._wave.setnchannels(CHANNELS)
        self._wave.setsampwidth(SAMPLE_WIDTH)
        self._wave.setframerate(rate)
        # Write the header now so even an empty recording is a valid file.
        self._wave.writeframes(b"")

    def write(self, data: bytes) -> None:
        try:
            self._wave.writeframes(data)  # the stdlib patches the header's sizes here
        finally:
            self.frames = self._wave.tell()  # what was written, even when the header patch failed

    def recover(self) -> None:
        """After a failed write (a full disk): write what the buffer still holds, then cut
        whatever a failed write left half-written, so the file holds exactly ``frames``.
        Raises OSError while the disk still fails."""
        self._file.flush()
        end = HEADER_BYTES + self.frames * SAMPLE_WIDTH
        self._file.truncate(end)
        self._file.seek(end)
        self._wave.writeframes(b"")  # patches the header when a failed write left it stale

    def write_silence(self, frames: int) -> None:
        chunk = 1 << 16
        while frames > 0:
            n = min(frames, chunk)
            self.write(bytes(n * SAMPLE_WIDTH))
            frames -= n

    def sync(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._wave.close()  # patches the header; leaves our file object open
        self.sync()
        self._file.close()

    def finish(self, final: Path) -> Path:
        """Close, then rename into place durably."""
        self.close()
        os.replace(self.path, final)
        fsync_dir(Path(final).parent)
        return Path(final)


def _read_format(head: bytes) -> tuple[int, int, int, int] | None:
    """(channels, rate, sample width, offset of the data) from a RIFF header, or None."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, fmt = 12, None
    while pos + 8 <= len(head):
        chunk_id, size = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        body = pos + 8
        if chunk_id == b"fmt " and body + 16 <= len(head):
            _tag, channels, rate, _bps, _align, bits = struct.unpack("<HHIIHH", head[body : body + 16])
            if channels and rate and bits:
                fmt = (channels, rate, bits // 8)
        elif chunk_id == b"data":
            return (*fmt, body) if fmt else None
        pos = body + size + (size & 1)
    return None


def header(frames: int, rate: int, channels: int = CHANNELS, width: int = SAMPLE_WIDTH) -> bytes:
    data = frames * channels * width
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + data, b"WAVE",
        b"fmt ", 16, 1, channels, rate, rate * channels * width, channels * width, width * 8,
        b"data", data,
    )


def repair_partial(path: Path, rate: int | None = None) -> tuple[Path, int, int]:
    """Fix a killed process's ``.partial.wav`` from its length and rename it to ``.wav``.

    Handles a header whose sizes are stale or zero, a header that is all zeros
    or cut short (then ``rate`` — e.g. from session.yaml — or 48000 is assumed,
    with our own 44-byte mono int16 layout), and a torn last sample.
    Returns (final path, frames, rate).
    """
    path = Path(path)
    with open(path, "r+b") as f:
        head = f.read(4096)
        size = os.fstat(f.fileno()).st_size
        fmt = _read_format(head)
        if fmt:
            channels, file_rate, width, data_at = fmt
        else:
            channels, file_rate, width, data_at = CHANNELS, rate or FALLBACK_RATE, SAMPLE_WIDTH, HEADER_BYTES
        frame_bytes = channels * width
        frames = max(0, size - data_at) // frame_bytes
        f.truncate(data_at + frames * frame_bytes)  # drops a torn sample; pads a cut header
        f.seek(0)
        if fmt and data_at == HEADER_BYTES:
            f.write(header(frames, file_rate, channels, width))
        elif fmt:
            # A foreign but readable layout: patch only the two size fields.
            f.write(struct.pack("<4sI", b"RIFF", data_at - 8 + frames * frame_bytes))
            f.seek(data_at - 4)
            f.write(struct.pack("<I", frames * frame_bytes))
        else:
            f.write(header(frames, file_rate, channels, width))
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o600)
    final = final_path_for(path)
    os.replace(path, final)
    fsync_dir(final.parent)
    return final, frames, file_rate


def read_info(path: Path) -> tuple[int, int]:
    """(frames, rate) of a finished WAV."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes(), w.getframerate()
