"""The cost of encryption at rest, side by side with the same work unencrypted.

- per event: the note latency of the session writer — from ``append()`` to the event
  acknowledged durable (sealed, written, fsync'd) — in an encrypted session and a plain one
  open at once, notes alternating between them, medians.
- per recorded minute: CPU of a recorder process (real PortAudio from a private PulseAudio
  null sink, 48 kHz) writing plain WAV and writing sealed chunks, alternated.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "audio"))
sys.path.insert(0, str(ROOT / "tests" / "store"))

TITLE = "Encryption: note latency and recorder CPU, encrypted vs plain"

RECORDER = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from companion.audio.recorder import open_recorder
    from companion.crypto.audio import SealedAudioWriter
    from companion.crypto.datakeys import DataKey

    seconds, sealed, folder = float(sys.argv[1]), sys.argv[2] == "sealed", Path(sys.argv[3])
    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    rec = open_recorder(rate=48000)
    if rec.mode != "audio":
        print(json.dumps({"error": rec.state.reason})); sys.exit(0)
    key = DataKey(1, bytes(32))
    make = (lambda p, r: SealedAudioWriter(p, r, key=key, ref="BENCH/1", segment=1)) if sealed else None
    name = "bench.partial.sealed" if sealed else "bench.partial.wav"
    rec.start(folder / name, folder / name.replace(".partial", ""), 0.0, make_writer=make)
    while rec.position() < 0.5:
        time.sleep(0.01)
    time.sleep(1.0)
    cpu0, t0 = cpu(), time.monotonic()
    while time.monotonic() - t0 < seconds:
        time.sleep(0.1)
        rec.position(), rec.level
    cpu1, t1 = cpu(), time.monotonic()
    rec.stop()
    print(json.dumps({"cpu_per_min": (cpu1 - cpu0) / (t1 - t0) * 60}))
""")


def note_latency(writer, i: int) -> float:
    began = time.perf_counter()
    writer.append("note", float(i), text=f"note {i} " + "words " * 20, codes=["c1"],
                  question="background", stage="context").result()
    return time.perf_counter() - began


def latency_figures(quick: bool) -> dict:
    """One plain and one encrypted session open at once, notes alternating between them, so
    both meet the same moments of a shared, noisy machine."""
    from conftest import make_guide
    from pyrage import x25519

    from companion.crypto import keys
    from companion.store import Store

    count = 300 if quick else 3000
    plain, sealed = [], []
    with tempfile.TemporaryDirectory(prefix="bench-enc-") as tmp:
        enc_root = Path(tmp) / "enc"
        keys.enrol(enc_root, str(x25519.Identity.generate().to_public()))
        guide = make_guide()
        writers = Store(Path(tmp) / "plain").create(guide, "PR11"), Store(enc_root).create(guide, "PR11")
        for i in range(count):
            order = writers if i % 2 else writers[::-1]
            for writer in order:
                (plain if writer is writers[0] else sealed).append(note_latency(writer, i))
        for writer in writers:
            writer.close()
    p, s = statistics.median(plain), statistics.median(sealed)
    return {"notes_each": count, "note_latency_ms_plain": p * 1000, "note_latency_ms_encrypted": s * 1000,
            "note_latency_ratio": s / p}


def recorder_figures(quick: bool) -> dict:
    from pulse_sandbox import PulseSandbox, missing_tools

    missing = missing_tools()
    if missing:
        return {"recorder_skipped": f"missing {', '.join(missing)}"}
    seconds, rounds = (5.0, 2) if quick else (60.0, 3)
    pulse = PulseSandbox()
    try:
        pulse.start()
    except Exception as error:  # noqa: BLE001
        pulse.stop()
        return {"recorder_skipped": f"PulseAudio cannot run here: {error}"}
    runs = {"plain": [], "sealed": []}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-enc-rec-") as tmp:
            for _ in range(rounds):
                for kind in ("plain", "sealed"):
                    done = subprocess.run([sys.executable, "-c", RECORDER, str(seconds), kind, tmp],
                                          env=pulse.env, capture_output=True, text=True, timeout=seconds + 60)
                    result = json.loads(done.stdout.strip().splitlines()[-1])
                    if "error" in result:
                        return {"recorder_skipped": result["error"]}
                    runs[kind].append(result["cpu_per_min"])
    finally:
        pulse.stop()
    p, s = statistics.median(runs["plain"]), statistics.median(runs["sealed"])
    return {"recorder_cpu_s_per_min_plain": p, "recorder_cpu_s_per_min_encrypted": s,
            "recorder_cpu_ratio": s / p if p else float("inf"), "recorder_runs_each": rounds}


def run(quick: bool) -> dict:
    return latency_figures(quick) | recorder_figures(quick)
