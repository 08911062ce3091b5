"""Joining a session's segments into one file: sample-exact, and safe against a kill at any moment.

The kill tests run the join in a real child process and SIGKILL it — at each durable step
(the child kills itself from the progress callback) and at moments timed from outside.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from companion.audio.join import JOINED_NAME, RECORD_KEY, TEMP_NAME, JoinError, join_session, needs_join
from companion.audio.session_audio import read_blocks, session_audio
from companion.store import meta as metafile
from companion.store.lock import try_lock

RATE = 8000


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def make_session(folder: Path, starts_and_lengths: list[tuple[float, float]], rate: int = RATE,
                 seed: int = 1) -> np.ndarray:
    """A session folder whose segments hold noise at the given (start, seconds); returns the
    timeline every sample of which the joined file must equal."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    segments, timeline = [], np.zeros(0, dtype="<i2")
    for index, (start, seconds) in enumerate(starts_and_lengths, start=1):
        samples = rng.integers(-32768, 32767, int(seconds * rate), dtype="<i2")
        write_wav(folder / f"audio-{index:02d}.wav", samples, rate)
        segments.append({"index": index, "file": f"audio-{index:02d}.wav", "start": start,
                         "frames": len(samples), "rate": rate, "duration": round(len(samples) / rate, 6)})
        at = round(start * rate)
        timeline = np.concatenate([timeline, np.zeros(max(0, at - len(timeline)), dtype="<i2")])
        timeline = np.concatenate([timeline[:at], samples])
    metafile.write(folder, {"participant": "PR1", "session": folder.name, "status": "complete",
                            "audio": {"mode": "audio", "rate": rate}, "segments": segments})
    return timeline


def segment_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("audio-*.wav"))


def test_a_resumed_session_becomes_one_file_on_its_timeline(tmp_path):
    folder = tmp_path / "s"
    # Segment 2 starts 1.5 s after segment 1 ends (its tail ran in clock mode): silence in between.
    expected = make_session(folder, [(0.0, 3.0), (4.5, 2.0), (6.5, 1.25)])
    phases = []
    record = join_session(folder, lambda phase, done, total: phases.append(phase))
    joined = read_wav(folder / JOINED_NAME)
    assert np.array_equal(joined, expected)
    assert record["frames"] == len(expected) and record["rate"] == RATE and record["joined"] == [1, 2, 3]
    assert metafile.read(folder)[RECORD_KEY] == record
    assert segment_files(folder) == [] and not (folder / TEMP_NAME).exists()
    # Each durable step happens once, in order, and the segments go last.
    steps = [p for p in phases if p not in ("join", "verify", "remove")]
    assert steps == ["verified", "recorded", "renamed", "removed"]
    assert phases.index("verify") > phases.index("join") and phases.index("remove") > phases.index("renamed")
    # Sample N is timeline time N/rate: segment 2's first sample is at 4.5 s.
    assert joined[round(4.5 * RATE)] == expected[round(4.5 * RATE)] and not joined[3 * RATE: round(4.5 * RATE)].any()
    assert not needs_join(folder)
    assert join_session(folder) == record  # a rerun has nothing to do
    audio = session_audio(folder)
    assert audio.path == folder / JOINED_NAME and audio.frames == len(expected)
    assert np.array_equal(np.frombuffer(b"".join(read_blocks(audio, 1000)), dtype="<i2"), expected)


def test_a_first_segment_that_starts_late_is_preceded_by_silence(tmp_path):
    expected = make_session(tmp_path / "s", [(2.0, 1.0)])
    join_session(tmp_path / "s")
    assert np.array_equal(read_wav(tmp_path / "s" / JOINED_NAME), expected)
    assert len(expected) == 3 * RATE


def test_one_segment_from_the_start_is_renamed_not_copied(tmp_path):
    folder = tmp_path / "s"
    expected = make_session(folder, [(0.0, 2.0)])
    inode = os.stat(folder / "audio-01.wav").st_ino
    join_session(folder)
    assert os.stat(folder / JOINED_NAME).st_ino == inode
    assert np.array_equal(read_wav(folder / JOINED_NAME), expected)


def test_a_session_joined_then_resumed_joins_again(tmp_path):
    folder = tmp_path / "s"
    expected = make_session(folder, [(0.0, 1.0), (1.0, 1.0)])
    join_session(folder)
    # Resumed: a third segment recorded after the join.
    meta = metafile.read(folder)
    more = np.random.default_rng(9).integers(-32768, 32767, RATE, dtype="<i2")
    write_wav(folder / "audio-03.wav", more)
    meta["segments"].append({"index": 3, "file": "audio-03.wav", "start": 2.5, "frames": RATE, "rate": RATE,
                             "duration": 1.0})
    metafile.write(folder, meta)
    assert needs_join(folder)
    record = join_session(folder)
    want = np.concatenate([expected, np.zeros(RATE // 2, dtype="<i2"), more])
    assert np.array_equal(read_wav(folder / JOINED_NAME), want)
    assert record["joined"] == [1, 2, 3] and segment_files(folder) == []


def test_sessions_without_audio_have_no_file(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    metafile.write(folder, {"participant": "PR1", "audio": {"mode": "clock"}, "segments": []})
    assert session_audio(folder) is None and not needs_join(folder)


def test_a_live_session_is_not_joined(tmp_path):
    folder = tmp_path / "s"
    make_session(folder, [(0.0, 1.0), (1.0, 1.0)])
    with try_lock(folder):
        with pytest.raises(Exception, match="being recorded"):
            join_session(folder)
    assert segment_files(folder) == ["audio-01.wav", "audio-02.wav"]


def test_a_listing_that_holds_the_lock_for_a_moment_is_waited_for(tmp_path):
    import threading

    folder = tmp_path / "s"
    make_session(folder, [(0.0, 1.0), (1.0, 1.0)])
    lock = try_lock(folder)  # as the index reads a session under its lock
    threading.Timer(0.3, lock.release).start()
    assert join_session(folder) is not None
    assert segment_files(folder) == [] and (folder / JOINED_NAME).exists()


def test_different_rates_are_refused_and_kept(tmp_path):
    folder = tmp_path / "s"
    make_session(folder, [(0.0, 1.0), (1.0, 1.0)])
    write_wav(folder / "audio-02.wav", np.zeros(RATE, dtype="<i2"), rate=16000)
    with pytest.raises(JoinError, match="different rates"):
        join_session(folder)
    assert segment_files(folder) == ["audio-01.wav", "audio-02.wav"] and not (folder / JOINED_NAME).exists()


def test_overlapping_segments_are_refused(tmp_path):
    folder = tmp_path / "s"
    make_session(folder, [(0.0, 2.0), (1.0, 1.0)])
    with pytest.raises(JoinError, match="before the audio before it ends"):
        join_session(folder)
    assert segment_files(folder) == ["audio-01.wav", "audio-02.wav"]


def test_a_killed_recorders_partial_file_is_repaired_then_joined(tmp_path):
    folder = tmp_path / "s"
    expected = make_session(folder, [(0.0, 1.0), (1.0, 1.0)])
    os.rename(folder / "audio-02.wav", folder / "audio-02.partial.wav")
    meta = metafile.read(folder)
    meta["segments"][1].update(frames=None, duration=None)
    metafile.write(folder, meta)
    join_session(folder)
    assert np.array_equal(read_wav(folder / JOINED_NAME), expected)


CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from companion.audio.join import join_session
    folder, phase, fraction = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    def progress(name, done, total):
        if name == phase and done >= fraction * total:
            os.kill(os.getpid(), signal.SIGKILL)
    print("ready", flush=True)
    join_session(folder, progress)
    print("done", flush=True)
""")


def run_child(folder: Path, phase: str = "-", fraction: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(folder), phase, str(fraction)],
                            stdout=subprocess.PIPE, text=True)


def check_never_neither(folder: Path, expected: np.ndarray, names: list[str], originals: dict) -> str:
    """After a kill: every segment intact, or the whole verified file (and its record) in place."""
    joined = folder / JOINED_NAME
    if segment_files(folder) == names and all(np.array_equal(read_wav(folder / n), originals[n]) for n in names):
        return "segments"
    assert joined.exists(), f"segments gone ({segment_files(folder)}) and no {JOINED_NAME}"
    assert np.array_equal(read_wav(joined), expected)
    assert metafile.read(folder)[RECORD_KEY]["frames"] == len(expected)
    return "joined"


@pytest.mark.parametrize("phase,fraction", [
    ("join", 0.5), ("verify", 0.5), ("verified", 1), ("recorded", 1), ("renamed", 1), ("remove", 0.5),
])
def test_a_join_killed_at_each_step_leaves_segments_or_the_whole_file(tmp_path, phase, fraction):
    folder = tmp_path / "s"
    expected = make_session(folder, [(0.0, 20.0), (21.0, 20.0), (42.0, 10.0)])
    names = segment_files(folder)
    originals = {n: read_wav(folder / n) for n in names}
    child = run_child(folder, phase, fraction)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL and "done" not in out
    state = check_never_neither(folder, expected, names, originals)
    print(f"killed at {phase}: {state} left; temp file {'present' if (folder / TEMP_NAME).exists() else 'absent'}")
    # A rerun finishes or restarts the job.
    assert needs_join(folder)
    join_session(folder)
    assert np.array_equal(read_wav(folder / JOINED_NAME), expected)
    assert segment_files(folder) == [] and not (folder / TEMP_NAME).exists()
    assert not needs_join(folder)


@pytest.mark.slow
def test_a_join_killed_from_outside_at_random_moments(tmp_path):
    """SIGKILL sent by another process while the child joins 20 minutes of audio at 48 kHz."""
    folder = tmp_path / "s"
    expected = make_session(folder, [(0.0, 600.0), (601.0, 600.0)], rate=48000)
    names = segment_files(folder)
    originals = {n: read_wav(folder / n) for n in names}
    states = []
    for delay in (0.02, 0.1, 0.25, 0.5, 0.8):
        child = run_child(folder)
        assert child.stdout.readline() == "ready\n"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        states.append(check_never_neither(folder, expected, names, originals))
        if states[-1] == "joined":
            break
    print(f"states after each kill: {states}")
    join_session(folder)
    assert np.array_equal(read_wav(folder / JOINED_NAME), expected)
    assert segment_files(folder) == []


FULL_DISK_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from companion.audio.join import join_session
    from companion.errors import CompanionError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    try:
        join_session(Path(sys.argv[1]))
    except CompanionError as error:
        print(error)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit stands in for a full disk (POSIX)")
def test_a_disk_that_fills_during_the_join_keeps_the_segments(tmp_path):
    folder = tmp_path / "s"
    make_session(folder, [(0.0, 60.0), (61.0, 60.0)])  # about 1.9 MB to write, 1 MB allowed
    names = segment_files(folder)
    done = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(folder)], capture_output=True, text=True)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "Could not write audio.joining.wav" in done.stdout and "segments are kept" in done.stdout
    assert segment_files(folder) == names and not (folder / TEMP_NAME).exists() and not (folder / JOINED_NAME).exists()
    assert RECORD_KEY not in metafile.read(folder)
