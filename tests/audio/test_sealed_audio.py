"""Sealed audio segments: ~1 s chunks, each AES-256-GCM on its own; no tool reads them as
audio; a torn chunk is cut on repair without the key; a changed chunk is named."""

from __future__ import annotations

import struct
import wave

import pytest
import soundfile

from companion.crypto import audio
from companion.crypto.datakeys import DataKey
from companion.crypto.errors import Tampered

RATE = 8000


@pytest.fixture
def key():
    return DataKey(1, bytes(range(32)))


def pcm(seconds: float, value: int = 1234) -> bytes:
    return struct.pack("<h", value) * int(seconds * RATE)


def written(tmp_path, key, seconds=3.5, sync_every=None):
    writer = audio.SealedAudioWriter(tmp_path / "audio-01.partial.sealed", RATE, key=key, ref="PR11/x", segment=1)
    data = pcm(seconds)
    step = RATE // 10 * 2
    for i in range(0, len(data), step):
        writer.write(data[i : i + step])
    return writer, data


def test_round_trip_in_chunks_and_no_reader_takes_it_for_audio(tmp_path, key):
    writer, data = written(tmp_path, key)
    final = writer.finish(tmp_path / "audio-01.sealed")
    assert b"".join(audio.open_pcm(final, lambda k: key)) == data
    assert audio.frames_of(final) == (len(data) // 2, RATE)
    assert data[:64] not in final.read_bytes()
    with pytest.raises(soundfile.LibsndfileError):
        soundfile.info(str(final))
    with pytest.raises((wave.Error, EOFError)):
        wave.open(str(final), "rb")


def test_a_kill_loses_at_most_the_chunk_being_gathered(tmp_path, key):
    writer, data = written(tmp_path, key, seconds=3.5)
    # Killed before close: 3 whole one-second chunks are on disk, half a second was in memory.
    partial = writer.path
    frames, rate, _ = audio.repair(partial)
    assert (frames, rate) == (3 * RATE, RATE)
    writer.sync()  # a sync seals what was gathered, however short
    assert audio.repair(partial)[0] == int(3.5 * RATE)


def test_a_torn_last_chunk_is_cut_without_the_key(tmp_path, key):
    writer, data = written(tmp_path, key, seconds=2.0)
    writer.close()
    path = writer.path
    whole = path.read_bytes()
    path.write_bytes(whole[:-100])
    frames, _, kept = audio.repair(path)
    assert frames == RATE and path.stat().st_size == kept
    assert b"".join(audio.open_pcm(path, lambda k: key)) == data[: RATE * 2]


def test_a_flipped_byte_is_named_by_its_chunk(tmp_path, key):
    writer, _ = written(tmp_path, key, seconds=3.0)
    final = writer.finish(tmp_path / "audio-01.sealed")
    raw = bytearray(final.read_bytes())
    raw[-RATE * 2 // 2] ^= 0x01  # inside the last chunk (number 2)
    final.write_bytes(bytes(raw))
    chunks = audio.open_pcm(final, lambda k: key)
    next(chunks), next(chunks)
    with pytest.raises(Tampered, match=r"audio-01.sealed chunk 2 \(at 2.0 s\) was changed or damaged"):
        next(chunks)


def test_a_changed_header_fails_at_the_first_chunk(tmp_path, key):
    writer, _ = written(tmp_path, key, seconds=1.0)
    final = writer.finish(tmp_path / "audio-01.sealed")
    final.write_bytes(final.read_bytes().replace(b'"PR11/x"', b'"PR12/x"', 1))
    with pytest.raises(Tampered, match="chunk 0"):
        list(audio.open_pcm(final, lambda k: key))


class OutputStream:
    written = bytearray()

    def __init__(self, **kwargs):
        self.latency = 0.0

    def start(self):
        pass

    def write(self, data):
        OutputStream.written += data

    def stop(self):
        pass

    abort = close = stop


def test_playback_reads_sealed_chunks_from_any_offset(tmp_path, key):
    from types import SimpleNamespace

    from companion.audio.playback import Player

    writer = audio.SealedAudioWriter(tmp_path / "audio-01.partial.sealed", RATE, key=key, ref="PR11/x", segment=1)
    data = b"".join(struct.pack("<h", i % 30000) for i in range(3 * RATE))
    writer.write(data)
    writer.finish(tmp_path / "audio-01.sealed")
    keyring = SimpleNamespace(data_key=lambda folder, meta, k: key)
    record = SimpleNamespace(path=tmp_path, meta={}, keyring=keyring,
                             segments=[{"file": "audio-01.sealed", "start": 10.0, "frames": 3 * RATE, "rate": RATE}])
    OutputStream.written = bytearray()
    player = Player(audio.playback_segments(record), stream_factory=OutputStream)
    player.play(11.25, until=12.5)
    assert player.wait(5) and player.error is None
    assert bytes(OutputStream.written) == data[int(1.25 * RATE) * 2 : int(2.5 * RATE) * 2]
