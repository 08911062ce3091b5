"""The recorder's cost: CPU per recorded minute against parecord, memory growth, and
overflows/gaps while a busy thread competes for the GIL.

Both recorders take the same 48 kHz mono monitor of a private PulseAudio null sink
(tests/audio/pulse_sandbox.py), side by side, each in its own process so the CPU
figures are that process's own (getrusage / /proc). Needs pulseaudio, pulseaudio-utils,
libportaudio2 and libasound2-plugins; without them the figures say why they are missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "audio"))  # the PulseAudio sandbox, shared with the tests

from pulse_sandbox import PulseSandbox, missing_tools  # noqa: E402

TITLE = "Recorder: CPU per recorded minute vs parecord, RSS growth, overflows under GIL load"

# Runs in a child process: record for a while, report own CPU, RSS, overflows and gaps.
CHILD = textwrap.dedent("""
    import json, resource, sys, threading, time
    from pathlib import Path
    from companion.audio.recorder import open_recorder

    seconds, busy, folder = float(sys.argv[1]), sys.argv[2] == "busy", Path(sys.argv[3])

    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    def rss_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

    rec = open_recorder()
    if rec.mode != "audio":
        print(json.dumps({"error": rec.state.reason})); sys.exit(0)
    stop = threading.Event()
    def spin():  # pure-Python work that holds the GIL, like a UI redrawing
        n = 0
        while not stop.is_set():
            n += sum(i * i for i in range(2000))
    rec.start(folder / "bench.partial.wav", folder / "bench.wav", 0.0)
    while rec.position() < 0.5:
        time.sleep(0.01)
    if busy:
        threading.Thread(target=spin, daemon=True).start()
    time.sleep(1.5)  # let allocations settle before the memory baseline
    cpu0, rss0, t0, p0 = cpu(), rss_mb(), time.monotonic(), rec.position()
    print("started", flush=True)
    while time.monotonic() - t0 < seconds:
        time.sleep(0.5)
        rec.position(), rec.level  # what the UI reads, ten times a second in the app
    cpu1, rss1, t1, p1 = cpu(), rss_mb(), time.monotonic(), rec.position()
    stop.set()
    info = rec.stop()
    print(json.dumps({
        "cpu": cpu1 - cpu0, "wall": t1 - t0, "recorded": p1 - p0, "rss0": rss0, "rss1": rss1,
        "overflows": rec.overflows, "gaps": rec.gaps, "state": rec.state.kind, "rate": rec.rate,
    }))
""")


def proc_cpu(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def record_side_by_side(pulse: PulseSandbox, seconds: float, busy: bool, folder: Path) -> dict:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(seconds), "busy" if busy else "idle", str(folder)],
        env=pulse.env, stdout=subprocess.PIPE, text=True,
    )
    first = child.stdout.readline()
    if first.strip() != "started":
        child.wait()
        return json.loads(first) if first.strip() else {"error": "recorder child failed"}
    native = pulse.record(folder / "parecord.wav")
    time.sleep(0.5)
    native_cpu0, native_t0 = proc_cpu(native.pid), time.monotonic()
    result = json.loads(child.stdout.read())
    child.wait()
    native_cpu = proc_cpu(native.pid) - native_cpu0
    native_wall = time.monotonic() - native_t0
    native.terminate()
    native.wait()
    result["native_cpu_per_min"] = native_cpu / native_wall * 60
    return result


def run(quick: bool) -> dict:
    missing = missing_tools()
    if missing:
        return {"skipped": f"missing {', '.join(missing)}: apt install pulseaudio pulseaudio-utils"}
    seconds = 8.0 if quick else 600.0
    busy_seconds = 3.0 if quick else 120.0
    pulse = PulseSandbox()
    try:
        pulse.start()
    except Exception as error:
        pulse.stop()
        return {"skipped": f"PulseAudio cannot run here: {error}"}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            idle = record_side_by_side(pulse, seconds, busy=False, folder=Path(tmp))
            busy = record_side_by_side(pulse, busy_seconds, busy=True, folder=Path(tmp))
        finally:
            pulse.stop()
    if "error" in idle:
        return {"skipped": idle["error"]}
    per_min = idle["cpu"] / idle["wall"] * 60
    figures = {
        "rate_hz": idle["rate"],
        "seconds_recorded": round(idle["recorded"], 1),
        "cpu_s_per_recorded_min": per_min,
        "parecord_cpu_s_per_recorded_min": idle["native_cpu_per_min"],
        "cpu_ratio_vs_parecord": per_min / idle["native_cpu_per_min"] if idle["native_cpu_per_min"] else float("inf"),
        "rss_growth_mb_per_10_min": (idle["rss1"] - idle["rss0"]) * 600 / idle["wall"],
        "rss_mb": idle["rss1"],
        "overflows_idle": idle["overflows"],
        "gaps_idle": idle["gaps"],
        "overflows_gil_busy": busy.get("overflows", "n/a"),
        "gaps_gil_busy": busy.get("gaps", "n/a"),
        "state_after_gil_busy": busy.get("state", busy.get("error", "n/a")),
        "timeline_minus_clock_ms_gil_busy": round((busy["recorded"] - busy["wall"]) * 1000, 1) if "wall" in busy else "n/a",
    }
    if quick:
        figures["note"] = f"quick: {seconds:.0f} s run, RSS growth scaled to 10 min"
    return figures
