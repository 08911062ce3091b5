"""WAV writing that survives a kill, and repair of what a killed process left."""

from __future__ import annotations

import os
import struct
import wave

import pytest
import soundfile

from companion.audio.wavfile import WavWriter, final_path_for, header, repair_partial

RATE = 48000


def samples(n: int, start: int = 0) -> bytes:
    return struct.pack(f"<{n}h", *(((start + i) % 2000) - 1000 for i in range(n)))


def test_final_path_drops_partial():
    assert final_path_for(__import__("pathlib").Path("/s/audio-03.partial.wav")).name == "audio-03.wav"


def test_the_header_is_current_after_every_write(tmp_path):
    path = tmp_path / "audio-01.partial.wav"
    writer = WavWriter(path, RATE)
    writer.write(samples(1000))
    writer.write(samples(500))
    writer.sync()
    # Read while still open, as a killed process would leave it.
    with wave.open(str(path), "rb") as w:
        assert w.getnframes() == 1500 and w.getframerate() == RATE
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    final = writer.finish(tmp_path / "audio-01.wav")
    assert not path.exists() and soundfile.info(str(final)).frames == 1500


def test_an_empty_recording_is_a_valid_file(tmp_path):
    writer = WavWriter(tmp_path / "a.partial.wav", RATE)
    final = writer.finish(tmp_path / "a.wav")
    with wave.open(str(final), "rb") as w:
        assert w.getnframes() == 0


def write_partial(path, frames: int, rate: int = RATE) -> bytes:
    data = samples(frames)
    path.write_bytes(header(frames, rate) + data)
    return data


def test_repair_of_a_truncated_file_with_stale_sizes(tmp_path):
    path = tmp_path / "audio-01.partial.wav"
    data = write_partial(path, 3000)
    with open(path, "r+b") as f:  # killed between a data write and its header patch
        f.seek(0)
        f.write(header(1000, RATE))
        f.seek(0, os.SEEK_END)
        f.write(samples(200, 3000) + b"\x01")  # and one torn sample at the end
    final, frames, rate = repair_partial(path)
    assert (final.name, frames, rate) == ("audio-01.wav", 3200, RATE)
    assert not path.exists()
    with wave.open(str(final), "rb") as w:
        assert w.getnframes() == 3200
        assert w.readframes(3000) == data
    assert soundfile.info(str(final)).frames == 3200


def test_repair_of_zero_sizes_keeps_the_rate_from_the_header(tmp_path):
    path = tmp_path / "audio-02.partial.wav"
    write_partial(path, 1600, rate=16000)
    with open(path, "r+b") as f:
        f.seek(4)
        f.write(b"\0\0\0\0")
        f.seek(40)
        f.write(b"\0\0\0\0")
    final, frames, rate = repair_partial(path)
    assert (frames, rate) == (1600, 16000)
    assert soundfile.info(str(final)).samplerate == 16000


@pytest.mark.parametrize("hint, expected", [(None, 48000), (44100, 44100)])
def test_repair_of_an_all_zero_header_uses_the_hint(tmp_path, hint, expected):
    path = tmp_path / "audio-03.partial.wav"
    data = write_partial(path, 2400)
    with open(path, "r+b") as f:  # the header never reached the disk
        f.write(bytes(44))
    final, frames, rate = repair_partial(path, rate=hint)
    assert (frames, rate) == (2400, expected)
    with wave.open(str(final), "rb") as w:
        assert w.readframes(2400) == data


def test_repair_of_a_file_cut_inside_the_header(tmp_path):
    path = tmp_path / "audio-04.partial.wav"
    path.write_bytes(header(0, RATE)[:20])
    final, frames, rate = repair_partial(path)
    assert frames == 0
    with wave.open(str(final), "rb") as w:
        assert w.getnframes() == 0


def test_repair_keeps_a_foreign_chunk_before_the_data(tmp_path):
    path = tmp_path / "audio-05.partial.wav"
    fmt = header(0, RATE)[12:36]
    extra = b"LIST" + struct.pack("<I", 4) + b"INFO"
    data = samples(500)
    path.write_bytes(b"RIFF" + struct.pack("<I", 0) + b"WAVE" + fmt + extra + b"data" + struct.pack("<I", 0) + data)
    final, frames, rate = repair_partial(path)
    assert frames == 500
    with wave.open(str(final), "rb") as w:
        assert w.readframes(500) == data
