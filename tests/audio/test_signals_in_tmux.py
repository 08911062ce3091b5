"""The real app in tmux, recording from the PulseAudio sandbox: signals end it cleanly, and a
kill during a break resumes on the break.

SIGTERM, SIGHUP and SIGINT, ten times each, each 0 ms after a note's Enter: the note is in the
log, the session is closed as interrupted and resumes (the next run resumes it), the segment's
WAV reads back with the length the log gives it, the terminal is given back (no alternate
screen, cursor visible, mouse tracking off) and the exit status is 128 + the signal.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
import soundfile
import yaml
from interview_in_tmux import events, new_interview, resume, session_folder

pytestmark = [pytest.mark.audio, pytest.mark.slow]

RUNS = 10


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_ends_the_interview_cleanly_every_time(pulse, tmp_path, name):
    number = getattr(signal, name)
    sessions = tmp_path / "sessions"
    ref = None
    for run in range(RUNS):
        app = new_interview(pulse, sessions, "PR31") if ref is None else resume(pulse, sessions, ref)
        try:
            app.wait_for("● RECORDING")
            if run:
                time.sleep(0.5 * (run % 3))  # stopped at different moments: at once, or after a while
            app.type(f"note {run} sent just before the {name}")
            app.keys("Enter")
            os.kill(app.pid, number)
            status = app.wait_exit()
            terminal = app.terminal_state()
        finally:
            app.close()
        assert status == 128 + number, f"run {run}"
        assert terminal == {"alternate_on": "0", "cursor_flag": "1", "mouse_any_flag": "0",
                            "mouse_all_flag": "0", "keypad_flag": "0"}, f"run {run}"
        folder = session_folder(sessions, "PR31")
        ref = f"PR31/{folder.name}"
        log = events(folder)
        assert f"note {run} sent just before the {name}" in [e.get("text") for e in log], f"run {run}"
        assert [e["type"] for e in log][-2:] == ["recording.stop", "session.end"]
        assert log[-1]["status"] == "interrupted"
        assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
        check_last_segment(folder, log)
    notes = [e["text"] for e in events(folder) if e["type"] == "note"]
    assert notes == [f"note {run} sent just before the {name}" for run in range(RUNS)]


def check_last_segment(folder, log) -> None:
    """The run's WAV is final (not .partial), reads back, and is as long as the log says it recorded."""
    meta = yaml.safe_load((folder / "session.yaml").read_text(encoding="utf-8"))
    segment = meta["segments"][-1]
    info = soundfile.info(str(folder / segment["file"]))
    assert info.samplerate == segment["rate"] and info.frames == segment["frames"] > 0
    stop = log[-2]["t"]
    assert abs(segment["start"] + info.duration - stop) < 0.25
    assert not list(folder.glob("*.partial.wav"))


def test_a_kill_during_a_break_resumes_on_the_break(pulse, tmp_path):
    sessions = tmp_path / "sessions"
    app = new_interview(pulse, sessions, "PR32")
    try:
        app.type("before the break")
        app.keys("Enter")
        app.keys("F7")
        app.wait_for("BREAK — not recording")
        app.type("the participant asked for a break")
        app.keys("Enter")
        app.wait_for("saved")
        time.sleep(0.3)
        os.kill(app.pid, signal.SIGKILL)
        app.wait_exit()
    finally:
        app.close()
    folder = session_folder(sessions, "PR32")
    killed_at = len(events(folder))

    app = resume(pulse, sessions, f"PR32/{folder.name}")
    try:
        screen = app.wait_for("Resumed on the break")
        assert "BREAK — not recording" in screen and "● RECORDING" not in screen
        time.sleep(2.0)  # on the break for a while after the resume: nothing may be recorded
        held = events(folder)[killed_at:]
        assert [e["type"] for e in held] == ["session.resume", "recording.start"]
        assert held[1]["on_break"] is True and held[1]["t"] == held[0]["t"]
        assert os.path.getsize(folder / "audio-02.partial.wav") == 44  # a header, no audio
        app.keys("F7")
        app.wait_for("● RECORDING")
        resumed_at = time.monotonic()
        time.sleep(1.0)
        app.keys("C-q")
        app.wait_for("Leave the interview now?")
        app.keys("y")
        app.wait_exit()
        recorded = time.monotonic() - resumed_at
    finally:
        app.close()
    after = events(folder)[killed_at:]
    assert [e["type"] for e in after] == [
        "session.resume", "recording.start", "recording.resume", "recording.stop", "session.end"]
    assert after[2]["t"] == pytest.approx(after[1]["t"], abs=1e-3)  # the timeline stood still on the break
    frames = soundfile.info(str(folder / "audio-02.wav")).duration
    assert 0.8 < frames <= recorded + 0.1  # only what came after F7


def test_closing_the_terminal_closes_the_session(pulse, tmp_path):
    """The terminal itself goes (tmux kills the pane: a real hang-up, SIGHUP from the kernel)
    the moment the app has taken a note (keys still inside the terminal when it closes are
    discarded by the terminal and the kernel, before any program can read them)."""
    sessions = tmp_path / "sessions"
    ref = None
    for run in range(3):
        app = new_interview(pulse, sessions, "PR34") if ref is None else resume(pulse, sessions, ref)
        try:
            app.wait_for("● RECORDING")
            pid = app.pid
            app.type(f"said as the lid closed {run}")
            app.keys("Enter")
            app.wait_for(f"lid closed {run}  [")  # in the notes list: saving… or saved
            app.tmux("kill-pane", "-t", "app")
            deadline = time.monotonic() + 10
            while os.path.exists(f"/proc/{pid}"):
                assert time.monotonic() < deadline, "the app outlived its terminal"
                time.sleep(0.05)
        finally:
            app.close()
        folder = session_folder(sessions, "PR34")
        ref = f"PR34/{folder.name}"
        log = events(folder)
        assert f"said as the lid closed {run}" in [e.get("text") for e in log]
        assert [e["type"] for e in log][-2:] == ["recording.stop", "session.end"]
        check_last_segment(folder, log)
