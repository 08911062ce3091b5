"""Sealed audio segments: ``audio-NN.sealed`` (``audio-NN.partial.sealed`` while recording).

    magic    8 bytes    b"CSAUDIO1"
    hlen     uint32 LE  length of the header
    header   hlen bytes JSON: format, session, segment, k (data key), rate, channels, sample_width
    chunks   until the end of the file, each:
        size     uint32 LE  length of what follows (nonce + ciphertext + 16-byte tag)
        nonce    12 bytes   random
        sealed   AES-256-GCM of mono int16 little-endian PCM, about one second
                 associated data: b"companion-audio-v1\\n" + header + chunk number (uint64 LE, from 0)

The recorder writes a chunk each second (or at each sync), so a kill loses at most the
chunk being gathered; a torn last chunk is cut off on repair. The frame count needs no key:
each chunk holds (size - 28) / 2 frames.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

from companion.crypto.errors import Tampered
from companion.store.safefiles import fsync_dir, open_private, write_all

MAGIC = b"CSAUDIO1"
AAD_PREFIX = b"companion-audio-v1\n"
NONCE, TAG, WIDTH = 12, 16, 2
FORMAT = "companion-sealed-audio-1"


def chunk_aad(header: bytes, number: int) -> bytes:
    return AAD_PREFIX + header + struct.pack("<Q", number)


class SealedAudioWriter:
    """The recorder's writer for an encrypted session (same methods as wavfile.WavWriter)."""

    def __init__(self, path: Path, rate: int, *, key, ref: str, segment: int, chunk_seconds: float = 1.0):
        self.path = Path(path)
        self.rate = rate
        self.frames = 0  # every frame handed in, sealed or still gathered
        self._key = key
        self._chunk_bytes = max(WIDTH, int(rate * chunk_seconds) * WIDTH)
        self._buffer = bytearray()
        self._number = 0
        self._header = json.dumps({"format": FORMAT, "session": ref, "segment": segment, "k": key.index,
                                   "rate": rate, "channels": 1, "sample_width": WIDTH}).encode()
        self._fd = open_private(self.path, os.O_WRONLY | os.O_TRUNC)
        write_all(self._fd, MAGIC + struct.pack("<I", len(self._header)) + self._header)

    def write(self, data: bytes) -> None:
        self._buffer += data
        self.frames += len(data) // WIDTH
        while len(self._buffer) >= self._chunk_bytes:
            self._seal(bytes(self._buffer[: self._chunk_bytes]))
            del self._buffer[: self._chunk_bytes]

    def write_silence(self, frames: int) -> None:
        self.write(bytes(frames * WIDTH))

    def _seal(self, pcm: bytes) -> None:
        nonce = os.urandom(NONCE)  # random per chunk; the data key is this writer's alone
        sealed = self._key.aead.encrypt(nonce, pcm, chunk_aad(self._header, self._number))
        write_all(self._fd, struct.pack("<I", NONCE + len(sealed)) + nonce + sealed)
        self._number += 1

    def sync(self) -> None:
        """Seal what has been gathered (a short chunk) and make it durable."""
        if self._buffer:
            self._seal(bytes(self._buffer))
            self._buffer.clear()
        os.fsync(self._fd)

    def close(self) -> None:
        self.sync()
        os.close(self._fd)

    def finish(self, final: Path) -> Path:
        self.close()
        os.replace(self.path, final)
        fsync_dir(Path(final).parent)
        return Path(final)


def read_header(handle, path: Path) -> tuple[dict, bytes]:
    """(header, its bytes), the file positioned at the first chunk; Tampered when it is not one."""
    head = handle.read(12)
    if head[:8] != MAGIC or len(head) < 12:
        raise Tampered(f"{path} is not a sealed audio segment (its header is damaged).")
    (length,) = struct.unpack("<I", head[8:12])
    raw = handle.read(length) if length <= 1 << 16 else b""
    try:
        header = json.loads(raw)
        int(header["rate"]), int(header["k"])
    except (ValueError, KeyError, TypeError):
        raise Tampered(f"{path} is not a sealed audio segment (its header is damaged).") from None
    return header, raw


def chunks(handle, read: bool = True):
    """(number, offset, nonce+sealed or its length) of each whole chunk from the current
    position; stops at the end or at a torn chunk (the handle then rests after the last whole one)."""
    number = 0
    size_of_file = os.fstat(handle.fileno()).st_size
    while True:
        pos = handle.tell()
        head = handle.read(4)
        if len(head) < 4:
            handle.seek(pos)
            return
        (size,) = struct.unpack("<I", head)
        if size < NONCE + TAG or pos + 4 + size > size_of_file:
            handle.seek(pos)
            return
        if read:
            yield number, pos, handle.read(size)
        else:
            handle.seek(size, os.SEEK_CUR)
            yield number, pos, size
        number += 1


def _frames(size: int) -> int:
    return (size - NONCE - TAG) // WIDTH


def repair(path: Path) -> tuple[int, int, int]:
    """A killed recorder's partial file, without the key: cut a torn last chunk; (frames, rate, bytes kept)."""
    with open(path, "r+b") as handle:
        header, _ = read_header(handle, path)
        frames = sum(_frames(size) for _, _, size in chunks(handle, read=False))
        end = handle.tell()
        if end < os.fstat(handle.fileno()).st_size:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
    return frames, int(header["rate"]), end


def frames_of(path: Path) -> tuple[int, int]:
    """(frames, rate) of a finished sealed segment, without the key."""
    with open(path, "rb") as handle:
        header, _ = read_header(handle, path)
        return sum(_frames(size) for _, _, size in chunks(handle, read=False)), int(header["rate"])


def rate_of(path: Path) -> int:
    with open(path, "rb") as handle:
        return int(read_header(handle, path)[0]["rate"])


def open_pcm(path: Path, data_key_for):
    """The segment's PCM, chunk by chunk (a generator); ``data_key_for(k)`` gives the data key.
    Tampered names the chunk that does not open; nothing after it is yielded."""
    from cryptography.exceptions import InvalidTag

    with open(path, "rb") as handle:
        header, raw = read_header(handle, path)
        aead = data_key_for(int(header["k"])).aead
        rate, frames = int(header["rate"]), 0
        for number, _, blob in chunks(handle):
            try:
                pcm = aead.decrypt(blob[:NONCE], blob[NONCE:], chunk_aad(raw, number))
            except InvalidTag:
                raise Tampered(f"{path} chunk {number} (at {frames / rate:.1f} s) was changed or damaged: "
                               "it does not decrypt with the session's key.") from None
            frames += len(pcm) // WIDTH
            yield pcm
        if handle.tell() != os.fstat(handle.fileno()).st_size:
            raise Tampered(f"{path} is damaged after {frames / rate:.1f} s: its last chunk is cut short "
                           "or a chunk's length was changed.")


class SealedReader:
    """Random access to a sealed segment's frames for playback: ``setpos``/``readframes`` like
    ``wave``'s reader, decrypting one chunk at a time in memory (nothing plain on disk)."""

    def __init__(self, path: Path, data_key_for):
        import bisect

        self._bisect = bisect.bisect_right
        self.path = Path(path)
        self._handle = open(path, "rb")
        header, self._raw = read_header(self._handle, path)
        self.rate = int(header["rate"])
        self._aead = data_key_for(int(header["k"])).aead
        self._index = []  # (first frame, offset, size) of each whole chunk
        first = 0
        for _, pos, size in chunks(self._handle, read=False):
            self._index.append((first, pos, size))
            first += _frames(size)
        self._starts = [entry[0] for entry in self._index]
        self.frames, self._pos, self._cached = first, 0, (-1, b"")

    def setpos(self, frame: int) -> None:
        self._pos = max(0, min(int(frame), self.frames))

    def readframes(self, count: int) -> bytes:
        if self._pos >= self.frames or count <= 0:
            return b""
        number = self._bisect(self._starts, self._pos) - 1
        pcm = self._chunk(number)
        skip = self._pos - self._index[number][0]
        data = pcm[skip * WIDTH : (skip + count) * WIDTH]
        self._pos += len(data) // WIDTH
        return data

    def _chunk(self, number: int) -> bytes:
        from cryptography.exceptions import InvalidTag

        if self._cached[0] != number:
            first, pos, size = self._index[number]
            self._handle.seek(pos + 4)
            blob = self._handle.read(size)
            try:
                pcm = self._aead.decrypt(blob[:NONCE], blob[NONCE:], chunk_aad(self._raw, number))
            except InvalidTag:
                raise Tampered(f"{self.path} chunk {number} (at {first / self.rate:.1f} s) was changed or "
                               "damaged: it does not decrypt with the session's key.") from None
            self._cached = (number, pcm)
        return self._cached[1]

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> SealedReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def playback_segments(record) -> list[tuple]:
    """(path, start, frames, rate[, opener]) of a session's segments for the Player: a sealed
    one is read through SealedReader with the key the record was opened with."""
    from functools import partial

    out = []
    for s in record.segments:
        path = Path(record.path) / s["file"]
        item = (path, s["start"], s["frames"], s["rate"])
        if str(s["file"]).endswith(".sealed") and record.keyring is not None:
            keys = partial(record.keyring.data_key, record.path, record.meta)
            item += (partial(SealedReader, path, keys),)
        out.append(item)
    return out
