"""Audio comes back by itself, for real: the sound server stopped for ten seconds and restarted,
and a disk that filled up and was freed. Recording resumes within five seconds of the cause
going away, without a key pressed; the lost stretch is a logged gap, silence in the file,
so the file stays the session's timeline."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import soundfile
from disks import fill, small_disk

from companion.audio.recorder import Recorder, open_recorder

pytestmark = [pytest.mark.audio, pytest.mark.slow]

RATE = 48000
BACK_WITHIN = 5.0


def wait_for(predicate, timeout: float) -> float:
    """Seconds it took."""
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < timeout, "condition not reached in time"
        time.sleep(0.02)
    return time.monotonic() - started


def record(folder: Path, events: list, **kwargs) -> Recorder:
    rec = open_recorder(rate=RATE, on_event=lambda *e: events.append(e), **kwargs)
    assert isinstance(rec, Recorder), rec.state.reason
    rec.start(folder / "audio-01.partial.wav", folder / "audio-01.wav", 0.0)
    wait_for(lambda: rec.position() > 0.3, 10)
    return rec


def check_file_is_the_timeline(info, gap: dict) -> None:
    data, rate = soundfile.read(str(info.path), dtype="int16")
    assert rate == RATE and len(data) == info.frames
    assert info.end == pytest.approx(info.frames / RATE, abs=0.06)
    first, last = int(gap["start"] * RATE), int((gap["start"] + gap["length"]) * RATE)
    assert not data[first + 10:last - 10].any()  # the gap is silence of its length


def test_the_sound_server_stopped_for_ten_seconds(own_pulse, tmp_path):
    events: list = []
    rec = record(tmp_path, events, device="pulse")
    own_pulse.crash()
    wait_for(lambda: rec.state.kind == "fault", 5)
    time.sleep(10)
    assert rec.state.kind == "fault" and "tried again every" in rec.state.reason
    own_pulse.start()
    took = wait_for(lambda: rec.state.kind == "recording", BACK_WITHIN)
    at = rec.position()
    wait_for(lambda: rec.position() > at + 0.5, 5)
    info = rec.stop()
    [gap] = [fields for kind, _, fields in events if kind == "recording.gap"]
    assert gap["length"] > 10
    assert took < BACK_WITHIN
    check_file_is_the_timeline(info, gap)


def test_a_full_disk_then_freed(pulse, tmp_path):
    events: list = []
    with small_disk(4096) as disk:
        rec = record(disk, events)
        filler = fill(disk)
        wait_for(lambda: rec.state.kind == "fault", 5)
        assert "No space left on device" in rec.state.reason
        time.sleep(3)
        os.unlink(filler)
        took = wait_for(lambda: rec.state.kind == "recording", BACK_WITHIN)
        at = rec.position()
        wait_for(lambda: rec.position() > at + 0.5, 5)
        info = rec.stop()
        [gap] = [fields for kind, _, fields in events if kind == "recording.gap"]
        assert gap["length"] > 2.5 and "No space left on device" in gap["reason"]
        assert took < BACK_WITHIN
        check_file_is_the_timeline(info, gap)
