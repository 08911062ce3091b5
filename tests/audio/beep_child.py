"""A recording process for test_beeps_end_to_end.py: records through PortAudio from the PulseAudio
null sink and, for each note, plays a beep into the sink at the note's moment.

    python beep_child.py ROOT new BEEPS          # create PR11's session, beep, then wait to be killed
    python beep_child.py ROOT resume REF BEEPS   # resume it, beep, finish, join, exit

The beep is played by a PortAudio output stream in this process: its callback knows which
block holds the beep and when that block reaches the output (PortAudio's figure for it), so
the note is logged at the sample-clock time the beep is heard — the time the recording must
show it at. Prints one line per step for the parent to follow.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import sounddevice as sd

from companion.audio.join import join_session
from companion.audio.recorder import open_recorder
from companion.guide.loader import load_guide
from companion.store import Store

RATE = 48000
BEEP = np.zeros(240, dtype="<i2")
BEEP[:96] = 20000  # 2 ms of loud, in one output block
GUIDE = Path(__file__).resolve().parents[2] / "guides" / "professional.yaml"


def say(*words) -> None:
    print(*words, flush=True)


def main() -> None:
    root, mode = Path(sys.argv[1]), sys.argv[2]
    store = Store(root)
    if mode == "new":
        writer, beeps = store.create(load_guide(GUIDE), "PR11"), int(sys.argv[3])
        say("session", writer.name)
    else:
        writer, beeps = store.resume(sys.argv[3]), int(sys.argv[4])
    rec = open_recorder(device="pulse")
    assert rec.mode == "audio", rec.state.reason
    writer.update_meta(audio={"mode": "audio", "device": rec.device_name, "rate": rec.rate})
    segment = writer.new_segment()
    rec.start(segment.partial, segment.final, segment.start)
    writer.append("recording.start", segment.start, mode="audio", segment=segment.index, rate=rec.rate)
    while rec.position() < segment.start + 0.5:
        time.sleep(0.01)
    beep_notes(writer, rec, beeps, label=mode)
    if mode == "new":
        time.sleep(2.0)  # the audio of the last beep reaches the disk (fsync about once a second)
        say("killable")
        time.sleep(3600)
    end = rec.position()
    info = rec.stop()
    writer.append("recording.stop", end, duration=end)
    writer.finish_segment(segment.index, info.frames, info.rate)
    writer.close()
    join_session(writer.path)
    say("finished")


def beep_notes(writer, rec, beeps: int, label: str) -> None:
    wanted = threading.Event()
    heard: list[float] = []

    def callback(outdata, frames, time_info, status):
        if wanted.is_set() and frames == len(BEEP):
            wanted.clear()
            heard.append(rec.position() + (time_info.outputBufferDacTime - time_info.currentTime))
            outdata[:] = BEEP.tobytes()
        else:
            outdata[:] = bytes(frames * 2)

    out = sd.RawOutputStream(device="pulse", samplerate=RATE, channels=1, dtype="int16",
                             blocksize=len(BEEP), latency="low", callback=callback)
    with out:
        time.sleep(0.5)
        for number in range(beeps):
            wanted.set()
            while wanted.is_set():
                time.sleep(0.001)
            t = heard[-1]
            note = writer.append("note", t, text=f"{label} beep {number}", codes=[], question=None, stage=None)
            note.result(timeout=5)
            if number == 1:  # a flag on a note, and a moment flag with a beep of its own
                writer.append("flag", t, kind="safeguarding", note=note.seq, text="follow protocol").result(timeout=5)
            say("note", t)
            time.sleep(0.7)
        wanted.set()
        while wanted.is_set():
            time.sleep(0.001)
        writer.append("flag", heard[-1], kind="follow-up", note=None, text=f"{label} moment").result(timeout=5)
        say("flag", heard[-1])
        time.sleep(0.5)


if __name__ == "__main__":
    main()
