"""The recorder against a fake stream: arithmetic, faults, recovery and clock mode."""

from __future__ import annotations

import array
import stat
import time
import wave

import pytest

from companion.audio import devices
from companion.audio.clock import ClockRecorder
from companion.audio.recorder import Recorder, open_recorder
from companion.errors import UsageError
from fakes import FakeClock, Unreadable

RATE = 48000
BLOCK = 2400  # 50 ms
FAST = dict(watchdog_interval=0.02, stall_after=0.3, reopen_wait=0.05, close_timeout=0.3, startup_grace=1.0)


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


class Events(list):
    def __call__(self, kind, t, fields):
        self.append((kind, t, fields))

    def of(self, kind):
        return [(t, f) for k, t, f in self if k == kind]


def frames_in(path) -> int:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        return w.getnframes()


def make(device, clock=None, events=None, **tuning) -> Recorder:
    rec = open_recorder(rate=RATE, stream_factory=device, on_event=events, **({"clock": clock} if clock else {}), **tuning)
    assert isinstance(rec, Recorder)
    return rec


def test_position_is_frames_plus_time_since_anchor_clamped_to_a_block(tmp_path, fake_device, fake_clock):
    rec = make(fake_device, fake_clock)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    assert rec.position() == 0.0
    for _ in range(3):
        fake_device.stream.feed(BLOCK)
    assert rec.position() == pytest.approx(0.15)
    fake_clock.advance(0.02)
    assert rec.position() == pytest.approx(0.17)
    fake_clock.advance(5.0)  # a late callback must not let the offset run away
    assert rec.position() == pytest.approx(0.20)
    info = rec.stop()
    assert info.frames == 3 * BLOCK and info.start == 0.0 and info.end == pytest.approx(0.15)


def test_segments_continue_the_timeline_and_files_are_private(tmp_path, fake_device, fake_clock):
    rec = make(fake_device, fake_clock)
    rec.start(tmp_path / "audio-02.partial.wav", tmp_path / "audio-02.wav", 100.0)
    fake_device.stream.feed(BLOCK)
    fake_device.stream.feed(BLOCK)
    assert rec.position() == pytest.approx(100.1)
    info = rec.stop()
    assert info.path == tmp_path / "audio-02.wav"
    assert not (tmp_path / "audio-02.partial.wav").exists()
    assert info.start == 100.0 and info.end == pytest.approx(100.1) and info.rate == RATE
    assert frames_in(info.path) == 2 * BLOCK
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert rec.stop() is info  # idempotent
    assert rec.state.kind == "stopped"


def test_pause_freezes_the_timeline_and_writes_nothing(tmp_path, fake_device, fake_clock):
    rec = make(fake_device, fake_clock)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 10.0)
    fake_device.stream.feed(BLOCK)
    fake_device.stream.feed(BLOCK)
    rec.pause()
    assert rec.state.kind == "paused"
    frozen = rec.position()
    assert frozen == pytest.approx(10.1)
    for _ in range(5):
        fake_clock.advance(0.05)
        fake_device.stream.feed(BLOCK, value=9000)
    assert rec.position() == frozen
    rec.resume()
    assert rec.state.kind == "recording"
    assert rec.position() == pytest.approx(frozen)
    fake_device.stream.feed(BLOCK)
    assert rec.position() == pytest.approx(10.15)
    info = rec.stop()
    assert info.frames == 3 * BLOCK
    with wave.open(str(info.path), "rb") as w:
        samples = array.array("h", w.readframes(w.getnframes()))
    assert len(samples) == 3 * BLOCK and max(samples) == 1000  # none of the paused audio


def test_overflows_are_counted_and_reported(tmp_path, fake_device, fake_clock):
    events = Events()
    rec = make(fake_device, fake_clock, events)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    for _ in range(3):
        fake_device.stream.feed(BLOCK, overflow=True)
    fake_device.stream.feed(BLOCK)
    assert rec.overflows == 3
    wait_for(lambda: events.of("recording.overflow"))
    assert events.of("recording.overflow")[0][1] == {"count": 3}
    rec.stop()


def test_a_fault_inside_the_callback_never_raises(tmp_path, fake_device, fake_clock):
    rec = make(fake_device, fake_clock, watchdog_interval=60)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    fake_device.stream.callback(Unreadable(), BLOCK, None, None)  # must not raise
    fake_device.stream.callback(None, "not a number", None, None)
    assert "buffer vanished" in rec._callback_error
    rec.stop()


def test_unplugged_device_gap_is_logged_and_the_stream_reopened(tmp_path, live_device):
    events = Events()
    rec = make(live_device, events=events, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 5.0)
    wait_for(lambda: rec.position() > 5.3)
    first = live_device.stream
    first.delivering = False  # silent, no flag: what an unplugged USB microphone does
    wait_for(lambda: events.of("recording.gap") and len(events.of("recording.state")) >= 2)
    assert first.closed and len(live_device.streams) == 2
    states = [f["state"] for _, f in events.of("recording.state")]
    assert states[:2] == ["fault", "recording"]
    (gap_t, gap), = events.of("recording.gap")
    assert gap["length"] >= 0.3 and gap["start"] > 5.2
    assert "no audio" in gap["reason"]
    wait_for(lambda: rec.position() > gap["start"] + gap["length"] + 0.2)
    info = rec.stop()
    # The file still is the timeline: the lost stretch is silence of the right length.
    assert frames_in(info.path) == info.frames
    assert info.end == pytest.approx(info.start + info.frames / RATE)


def test_a_stream_that_goes_inactive_is_reopened(tmp_path, live_device):
    events = Events()
    rec = make(live_device, events=events, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    wait_for(lambda: rec.position() > 0.2)
    live_device.stream.active = False
    wait_for(lambda: len(events.of("recording.state")) >= 2)
    assert "stream stopped" in events.of("recording.state")[0][1]["reason"]
    assert rec.state.kind == "recording" and rec.mode == "audio"
    rec.stop()


def test_a_fault_in_the_callback_is_recovered(tmp_path, live_device):
    events = Events()
    rec = make(live_device, events=events, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    wait_for(lambda: rec.position() > 0.2)
    live_device.stream.callback(Unreadable(), BLOCK, None, None)
    wait_for(lambda: len(events.of("recording.state")) >= 2)
    assert "callback failed" in events.of("recording.state")[0][1]["reason"]
    assert rec.state.kind == "recording"
    rec.stop()


def test_a_device_that_cannot_be_reopened_is_tried_until_it_comes_back(tmp_path, live_device):
    events = Events()
    rec = make(live_device, events=events, retry_max=0.2, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    wait_for(lambda: rec.position() > 0.3)
    live_device.fail_open = 10**6
    lost_at = rec.position()
    live_device.stream.delivering = False
    wait_for(lambda: "tried again every" in rec.state.reason)
    assert rec.state.kind == "fault" and rec.mode == "audio"
    before = rec.position()
    time.sleep(0.1)
    assert rec.position() > before  # the interview's clock goes on
    rec.pause()
    paused_at = rec.position()
    time.sleep(0.05)
    assert rec.position() == paused_at
    rec.resume()
    time.sleep(0.5)
    opens = len(live_device.streams) + live_device.opens_refused
    time.sleep(0.6)
    assert len(live_device.streams) + live_device.opens_refused >= opens + 2  # still trying, backing off
    live_device.fail_open = 0  # plugged back in
    wait_for(lambda: rec.state.kind == "recording", timeout=3)
    assert "audio is back" in rec.state.reason
    wait_for(lambda: rec.position() > before + 1.5)
    info = rec.stop()
    (_, gap), = events.of("recording.gap")
    assert gap["start"] == pytest.approx(lost_at, abs=0.06)
    assert gap["length"] > 1.0
    assert frames_in(info.path) == info.frames  # the file is the timeline: the gap is silence
    assert info.end == pytest.approx(info.start + info.frames / RATE)


def test_retry_now_tries_the_device_at_once(tmp_path, live_device):
    rec = make(live_device, retry_max=30.0, **{**FAST, "reopen_wait": 30.0})
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    assert not rec.retry_now()  # nothing is wrong
    wait_for(lambda: rec.position() > 0.2)
    live_device.fail_open = 10**6
    live_device.stream.delivering = False
    wait_for(lambda: rec.state.kind == "fault" and live_device.opens_refused >= 1)
    time.sleep(0.3)
    live_device.fail_open = 0
    assert rec.state.kind == "fault"  # the next try is 30 s away…
    assert rec.retry_now()  # …unless the interviewer asks
    wait_for(lambda: rec.state.kind == "recording", timeout=3)
    rec.stop()


def test_a_full_disk_keeps_the_timeline_and_writing_resumes_when_it_has_room(tmp_path, live_device, monkeypatch):
    from companion.audio.wavfile import WavWriter

    events = Events()
    rec = make(live_device, events=events, retry_max=0.2, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    wait_for(lambda: rec.position() > 0.3)
    real_write = WavWriter.write

    def full(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WavWriter, "write", full)
    wait_for(lambda: rec.state.kind == "fault")
    assert "No space left on device" in rec.state.reason
    lost_from = rec._writer.frames / RATE
    time.sleep(0.8)
    monkeypatch.setattr(WavWriter, "write", real_write)  # the disk has room again
    wait_for(lambda: rec.state.kind == "recording", timeout=2)
    assert rec.mode == "audio" and "can be written again" in rec.state.reason
    wait_for(lambda: rec.position() > 1.6)
    info = rec.stop()
    (_, gap), = events.of("recording.gap")
    assert gap["start"] == pytest.approx(lost_from) and 0.7 < gap["length"] < 1.3
    assert "No space left on device" in gap["reason"]
    assert frames_in(info.path) == info.frames
    assert info.end == pytest.approx(info.start + info.frames / RATE, abs=0.06)  # the file is the timeline


def test_a_hung_close_cannot_freeze_the_recorder(tmp_path, live_device):
    rec = make(live_device, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 0.0)
    wait_for(lambda: rec.position() > 0.2)
    live_device.hang_close = True
    live_device.stream.delivering = False
    wait_for(lambda: rec.state.kind == "clock-mode")
    assert "hung" in rec.state.reason
    started = time.monotonic()
    info = rec.stop()
    assert time.monotonic() - started < 5
    assert info.path.exists()


def test_a_device_that_fails_to_open_gives_clock_mode(fake_device):
    fake_device.fail_open = 1
    rec = open_recorder(rate=RATE, stream_factory=fake_device)
    assert isinstance(rec, ClockRecorder)
    assert rec.state.kind == "clock-mode" and "could not be opened" in rec.state.reason


def test_a_device_that_fails_to_start_keeps_the_clock_and_is_tried_again(tmp_path, fake_device):
    fake_device.fail_start = True
    rec = make(fake_device, **FAST)
    rec.start(tmp_path / "a.partial.wav", tmp_path / "a.wav", 3.0)
    assert rec.state.kind == "fault" and "could not start" in rec.state.reason
    time.sleep(0.1)
    assert rec.position() > 3.05  # timed from the clock meanwhile
    wait_for(lambda: len(fake_device.streams) >= 2)  # the watchdog reopens it
    info = rec.stop()
    assert info.frames == 0 and info.end >= 3.1


def test_declined_recording_is_clock_mode():
    rec = open_recorder(no_audio=True, reason="participant declined recording")
    assert isinstance(rec, ClockRecorder)
    assert rec.state.kind == "clock-mode" and rec.state.reason == "participant declined recording"
    assert rec.mode == "clock"


def test_missing_portaudio_gives_clock_mode_with_the_fix(monkeypatch):
    def no_portaudio():
        raise devices.AudioUnavailable(devices.NO_PORTAUDIO)

    monkeypatch.setattr(devices, "sounddevice", no_portaudio)
    rec = open_recorder()
    assert rec.state.kind == "clock-mode"
    assert rec.state.reason == "PortAudio is not installed: sudo apt install libportaudio2"


def test_an_unknown_device_name_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(devices, "sounddevice", lambda: object())
    monkeypatch.setattr(devices, "list_input_devices", lambda: [
        devices.Device(0, "HDA Intel PCH: ALC Analog (hw:0,0)", 2, 44100.0, False),
        devices.Device(5, "default", 32, 44100.0, True),
    ])
    with pytest.raises(UsageError, match="no input device matches 'usb'.*0: HDA Intel"):
        open_recorder(device="usb")


def test_clock_recorder_excludes_paused_time():
    clock = FakeClock()
    rec = ClockRecorder("no microphone", clock=clock)
    rec.start(None, None, 10.0)
    clock.advance(5)
    assert rec.position() == 15.0
    rec.pause()
    clock.advance(3)
    assert rec.position() == 15.0
    rec.resume()
    clock.advance(1)
    info = rec.stop()
    assert (info.path, info.frames, info.start, info.end) == (None, 0, 10.0, 16.0)
