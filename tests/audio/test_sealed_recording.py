"""Recording for real (PortAudio from a PulseAudio null sink) into an encrypted store: an
interview's folder holds no note text and no readable audio; a SIGKILLed recording loses at
most a second, is repaired without the key, resumes without it, and decrypts with it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
import wave

import numpy as np
import pytest
import soundfile
from pyrage import x25519

from companion.crypto import keys
from companion.crypto.keyring import Keyring
from companion.crypto.plain import write_timeline_wav
from companion.store import Store
from test_real_recording import RATE, tone, write_wav

pytestmark = pytest.mark.audio

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from conftest import make_guide
    from companion.audio.recorder import open_recorder
    from companion.interview import Interview
    from companion.store import Store
    writer = Store(Path(sys.argv[1])).create(make_guide(), "PR11")
    interview = Interview(writer, open_recorder(rate=48000), writer.guide)
    interview.start(True)
    print(interview.recorder.mode, writer.path, flush=True)
    if sys.argv[2] == "notes":
        for marker in ("OSPREY-1181 said the ward felt unsafe", "OSPREY-2292 second note"):
            time.sleep(0.7)
            writer.append("note", interview.now(), text=marker, codes=["OSPREY-CODE"], question=None,
                          stage=None).result()
        interview.finish()
        print("closed", flush=True)
    else:
        while True:
            print(interview.now(), time.monotonic(), flush=True)
            time.sleep(0.05)
""")


@pytest.fixture
def study(tmp_path):
    identity = x25519.Identity.generate()
    root = tmp_path / "sessions"
    keys.enrol(root, str(identity.to_public()))
    return root, Keyring(identity, tmp_path / "study.key")


def child(root, mode):
    here = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "store")
    return subprocess.Popen([sys.executable, "-c", CHILD, str(root), mode, here], stdout=subprocess.PIPE, text=True)


def decrypted(folder, keyring, out):
    store = Store(folder.parents[1])
    record = store.open(folder, keyring)
    frames, rate = write_timeline_wav(folder, record.meta, keyring, out)
    with wave.open(str(out), "rb") as w:
        return record, np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def test_an_interview_reveals_nothing_without_the_key(pulse, study, tmp_path):
    root, keyring = study
    sound = write_wav(tmp_path / "tone.wav", tone(3.0, freq=440))
    player = pulse.play(sound)
    proc = child(root, "notes")
    out, _ = proc.communicate(timeout=60)
    player.wait()
    mode, folder = out.splitlines()[0].split()
    assert mode == "audio" and out.splitlines()[-1] == "closed"
    folder = __import__("pathlib").Path(folder)
    for path in folder.rglob("*"):
        assert b"OSPREY" not in path.read_bytes(), path
    [segment] = folder.glob("audio-*.sealed")
    with pytest.raises(soundfile.LibsndfileError):
        soundfile.info(str(segment))
    with pytest.raises((wave.Error, EOFError)):
        wave.open(str(segment), "rb")
    record, samples = decrypted(folder, keyring, tmp_path / "audio.wav")
    assert [e["text"] for e in record.events if e["type"] == "note"][0].startswith("OSPREY-1181")
    assert np.max(np.abs(samples)) > 10000  # the tone is in it


def test_a_killed_encrypted_recording_loses_at_most_a_second(pulse, study, tmp_path):
    root, keyring = study
    player = pulse.play(write_wav(tmp_path / "tone.wav", tone(4.0, freq=440)))
    proc = child(root, "hold")
    try:
        mode, folder = proc.stdout.readline().split()
        assert mode == "audio"
        position, at = 0.0, time.monotonic()
        while position < 2.5:
            position, at = map(float, proc.stdout.readline().split())
        proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        proc.kill()
        proc.wait()
    player.terminate()
    player.wait()
    folder = __import__("pathlib").Path(folder)
    offset_at_kill = position + (killed_at - at)
    assert (folder / "audio-01.partial.sealed").exists()
    store = Store(root)
    [summary] = store.sessions()  # repairs the partial segment without the key
    assert summary.status == "interrupted" and not summary.problems
    assert (folder / "audio-01.sealed").exists()
    writer = store.resume(f"PR11/{folder.name}")  # no private key on the laptop
    writer.append("note", writer.timeline_end, text="after the kill", codes=[], question=None, stage=None).result()
    writer.close()
    record, samples = decrypted(folder, keyring, tmp_path / "audio.wav")
    print(f"killed at {offset_at_kill:.3f} s; decrypted {len(samples) / RATE:.3f} s")
    assert len(samples) / RATE >= offset_at_kill - 1.0
    assert np.max(np.abs(samples)) > 10000
    assert [e["text"] for e in record.events if e["type"] == "note"] == ["after the kill"]
