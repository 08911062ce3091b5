"""The interview screen: start-up, note latency, and what the screen costs while recording.

- start-up: process start → the consent screen drawn, and the interview screen drawn (the
  checklist ticked, s sent as the terminal sends it), against a minimal Textual app (header,
  a label, footer) started the same way, alternated; drawn is the last update the app drew
  before it went idle (Pilot finds idleness only in 20 ms steps, and its press waits for it
  twice). interview_from_s_key_s: the interview screen's own opening, from the s key;
  interview_own: the checklist from spawn plus that opening, without the bench's own steps
  between them; interview_at_once: from spawn again, with the checklist ticked and s sent as
  soon as the checklist exists, without waiting for the process to go idle first (Pilot's
  wait, in 20 ms steps, counts the session being created in its thread and the collector).
  Ratios are medians of each round's ratio (see startup).
- note latency: from the Enter keystroke's handler to the note acknowledged durable
  (written, fsync'd) over 500 notes — keys pressed back to back (the worst case) and with
  50 ms after each Enter — against a bare write + fsync of the same line.
- CPU per minute of the whole app recording (interview screen open, idle) against the
  recorder alone, both through PortAudio from a PulseAudio null sink.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_review import MINIMAL_APP

TITLE = "Interview screen: start-up, note latency, CPU while recording"
ROOT = Path(__file__).resolve().parent.parent

# Each script notes (wall clock) the last update its app drew: Textual's one way to the
# terminal. Pilot's waits (press, pause) find the app idle only in 20 ms steps.
DRAWN = """
import time
from textual.app import App

drawn = [0.0]
_display = App._display

def _noted(self, screen, update):
    _display(self, screen, update)
    if update is not None:
        drawn[0] = time.time()

App._display = _noted
"""

MINIMAL = MINIMAL_APP + DRAWN + """
async def ready(pilot):
    await pilot.pause()
    print("ready", drawn[0], flush=True)
    pilot.app.exit()

Minimal().run(headless=True, auto_pilot=ready)
"""

# The real command line, with the app run headless and driven by an auto pilot. The screens
# are told by name: importing them here would spare the app its own imports. The command
# pauses the collector from its start until the app is made (companion/collector.py); this
# script imports Textual before calling it, so it starts that pause first, as the command would.
COMPANION = """
from companion.collector import pause_for_startup
pause_for_startup()
""" + DRAWN + """
import asyncio
import sys
from functools import partialmethod

def showing(app, name, widget):
    return type(app.screen).__name__ == name and bool(app.screen.query(widget))

async def drive(pilot):
    from textual import events

    app = pilot.app
    while not showing(app, "ConsentScreen", "#record"):
        await asyncio.sleep(0.0005)
    await pilot.pause()
    print("consent", drawn[0], flush=True)
    for item in app.screen.interview.guide.preamble:
        if item.required:
            app.screen.interview.tick_consent(item.id)
    print("pressed", time.time(), flush=True)
    app.post_message(events.Key("s", "s"))  # as the terminal sends it
    while not showing(app, "InterviewScreen", "#note"):
        await asyncio.sleep(0.0005)
    await pilot.pause()
    print("interview", drawn[0], flush=True)
    idle = float(sys.argv[2])
    if idle:
        import resource
        before = resource.getrusage(resource.RUSAGE_SELF)
        await asyncio.sleep(idle)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print("cpu", cpu, app.screen.interview.recorder.mode, flush=True)
    app.exit()

App.run = partialmethod(App.run, headless=True, auto_pilot=drive)
from companion.cli import main
extra = [] if sys.argv[3] == "audio" else ["--no-audio"]
main(["--sessions", sys.argv[1], "interview", "--guide", "professional", "--participant", "PR11", *extra])
"""

# The same, with s sent as soon as the checklist exists: no wait for the process to go idle.
COMPANION_AT_ONCE = COMPANION.replace("""    await pilot.pause()
    print("consent", drawn[0], flush=True)""", """    print("consent", drawn[0], flush=True)""")
assert COMPANION_AT_ONCE != COMPANION

RECORDER_ALONE = """
import resource, sys, time
from pathlib import Path
from companion.audio.recorder import open_recorder
folder = Path(sys.argv[1])
rec = open_recorder()
rec.start(folder / "a.partial.wav", folder / "a.wav", 0.0)
time.sleep(1.0)
before = resource.getrusage(resource.RUSAGE_SELF)
time.sleep(float(sys.argv[2]))
after = resource.getrusage(resource.RUSAGE_SELF)
rec.stop()
print("cpu", (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), rec.mode, flush=True)
"""


def timed_run(code: str, *args: str, env=None) -> dict[str, object]:
    """Run a script; for each line it prints, the time from spawning it to when it was read,
    and its words; a line's first number, a wall-clock time, is also given from the spawn."""
    spawned, started = time.time(), time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    marks: dict[str, object] = {}
    for line in child.stdout:
        words = line.split()
        if words:
            marks[words[0]] = time.perf_counter() - started
            marks[words[0] + ".words"] = words[1:]
            if len(words) > 1 and words[1].replace(".", "", 1).isdigit() and float(words[1]) > 1e9:
                marks[words[0] + ".at"] = float(words[1]) - spawned  # a wall-clock time
    if child.wait() != 0:
        raise RuntimeError(child.stderr.read()[-2000:])
    return marks


def startup(runs: int) -> dict[str, float]:
    """From spawning each process to its screen drawn: the consent checklist, and the
    interview screen (through the checklist, s pressed) against the minimal app.

    Ratios are the median of each round's own ratio (the two apps started one after the
    other), steadier on a shared machine than a ratio of two medians. interview_own: what
    the app itself makes the interviewer wait to reach the interview screen, the consent
    checklist from spawn plus the interview's opening from the s key, without what the bench
    does in between (ticking the list, Pilot's idle wait, in 20 ms steps), which a person
    does in seconds instead. interview_at_once: from spawn, s sent as soon as the checklist
    exists: the whole process, its ticks included, with nothing waited for between."""
    rounds: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as store:
        for _ in range(runs):
            minimal = timed_run(MINIMAL)["ready.at"]
            marks = timed_run(COMPANION, store, "0", "clock")
            opening = marks["interview.at"] - marks["pressed.at"]
            at_once = timed_run(COMPANION_AT_ONCE, store, "0", "clock")["interview.at"]
            rounds.append({"minimal": minimal, "consent": marks["consent.at"], "interview": marks["interview.at"],
                           "opening": opening, "own": marks["consent.at"] + opening, "at_once": at_once})

    def median(name: str) -> float:
        return statistics.median(r[name] for r in rounds)

    def vs_minimal(name: str) -> float:
        return statistics.median(r[name] / r["minimal"] for r in rounds)

    return {
        "startup.minimal_app_s": median("minimal"),
        "startup.consent_screen_s": median("consent"),
        "startup.interview_screen_s": median("interview"),
        "startup.consent_vs_minimal": vs_minimal("consent"),
        "startup.interview_vs_minimal": vs_minimal("interview"),
        "startup.interview_own_vs_minimal": vs_minimal("own"),
        "startup.interview_at_once_vs_minimal": vs_minimal("at_once"),
        "startup.interview_from_s_key_s": median("opening"),
    }


def fsync_baseline(folder: Path, count: int, line: bytes) -> list[float]:
    times = []
    fd = os.open(folder / "baseline.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for _ in range(count):
            started = time.perf_counter()
            os.write(fd, line)
            os.fsync(fd)
            times.append(time.perf_counter() - started)
    finally:
        os.close(fd)
    return times


async def reach_interview(pilot, app, guide):
    """Tick the required consent items and start without recording: the interview, ready for keys."""
    from companion.ui.screens.consent import ConsentScreen
    from companion.ui.screens.interview import InterviewScreen

    while not isinstance(app.screen, ConsentScreen):
        await pilot.pause(0.01)
    for item in guide.preamble:
        if item.required:
            app.screen.interview.tick_consent(item.id)
    await pilot.press("w")
    while not isinstance(app.screen, InterviewScreen):
        await pilot.pause(0.01)
    return app.screen.interview


async def note_latencies(folder: Path, count: int, pause: float = 0.0) -> list[float]:
    """Drive the real app (real store, clock mode) and time each note from Enter to durable."""
    sys.path.insert(0, str(ROOT))
    from companion.config import shipped_guides_dir
    from companion.guide.loader import load_guide
    from companion.ui.app import CompanionApp, Settings, StartRequest

    guide = load_guide(shipped_guides_dir() / "professional.yaml")
    settings = Settings(sessions=folder / "sessions", guide_dirs=[shipped_guides_dir()], no_audio=True)
    app = CompanionApp(settings, StartRequest(guide=guide, participant="PR11"))
    entered: dict[int, float] = {}
    latencies: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        interview = await reach_interview(pilot, app, guide)
        add_note, shown = interview.add_note, interview.on_saved

        def stamped_add(text, t):
            started = time.perf_counter()
            note = add_note(text, t)
            entered.setdefault(id(note), started)
            return note

        def stamped_saved(note):
            if note.status == "saved" and id(note) in entered:
                latencies.append(time.perf_counter() - entered.pop(id(note)))
            shown(note)

        interview.add_note, interview.on_saved = stamped_add, stamped_saved
        for i in range(count):
            await pilot.press(*f"n{i}", "enter")
            if i % 15 == 14:
                await pilot.press("pagedown")  # about fifteen notes a question, as in an interview
            if pause:
                await pilot.pause(pause)  # a person pauses after Enter; back to back is the worst case
        while len(latencies) < count:
            await pilot.pause(0.01)
    return latencies


def latency(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        folder = Path(tmp)
        notes = asyncio.run(note_latencies(folder / "busy", count))
        paced = asyncio.run(note_latencies(folder / "paced", count, pause=0.05))
        line = json.dumps({"seq": 1, "t": 12.345, "wall": "2026-11-22T10:00:00.000+00:00", "type": "note",
                           "text": "n100", "codes": [], "question": "background", "stage": "context"}).encode() + b"\n"
        base = fsync_baseline(folder, count, line)
    q = statistics.quantiles
    return {
        "note.count": count,
        "note.back_to_back_median_ms": statistics.median(notes) * 1000,
        "note.back_to_back_p99_ms": q(notes, n=100)[98] * 1000,
        "note.paced_median_ms": statistics.median(paced) * 1000,
        "note.paced_p99_ms": q(paced, n=100)[98] * 1000,
        "note.fsync_baseline_median_ms": statistics.median(base) * 1000,
        "note.fsync_baseline_p99_ms": q(base, n=100)[98] * 1000,
        "note.paced_median_vs_fsync": statistics.median(paced) / statistics.median(base),
    }


def cpu_while_recording(seconds: float) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "tests" / "audio"))
    from pulse_sandbox import PulseSandbox, missing_tools

    if missing_tools():
        return {"cpu.skipped": f"PulseAudio tools missing: {', '.join(missing_tools())}"}
    pulse = PulseSandbox()
    pulse.start()
    try:
        with tempfile.TemporaryDirectory() as store:
            app = timed_run(COMPANION, store, str(seconds), "audio", env=pulse.env)
            alone = timed_run(RECORDER_ALONE, store, str(seconds), env=pulse.env)
    finally:
        pulse.stop()
    app_cpu, app_mode = float(app["cpu.words"][0]), app["cpu.words"][1]
    alone_cpu, alone_mode = float(alone["cpu.words"][0]), alone["cpu.words"][1]
    per_minute = 60.0 / seconds
    return {
        "cpu.mode": f"app {app_mode}, recorder {alone_mode}",
        "cpu.app_idle_s_per_min": app_cpu * per_minute,
        "cpu.recorder_alone_s_per_min": alone_cpu * per_minute,
        "cpu.app_vs_recorder": app_cpu / alone_cpu if alone_cpu else float("nan"),
    }


def run(quick: bool) -> dict[str, object]:
    figures: dict[str, object] = {}
    figures.update(startup(runs=2 if quick else 21))
    figures.update(latency(count=20 if quick else 500))
    figures.update(cpu_while_recording(seconds=2 if quick else 60))
    return figures
