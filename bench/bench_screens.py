"""Screens opening: the consent and interview screens, and playing from a note just as a
5 000-event session's view opens.

- consent / interview: from creating the app (straight into a new interview, a fake
  recorder) to the consent screen drawn, and from there (consent ticked, Enter) to the
  interview screen drawn; baseline, side by side: a minimal Textual app to drawn. "Drawn"
  is the last update the app drew before it went idle, timed as it is drawn
  (bench_review.Drawn). That the consent screen takes keys at that moment is checked, not
  assumed: a Space posted then, as the terminal sends it, must tick the first item
  (consent_key_ms: how long it took). The older figure, to the moment Pilot finds the app
  idle (`*_idle`), is printed beside it: Pilot looks in 20 ms steps, which moves a ratio
  of start-ups this short in steps of about a quarter.
- play on opening: in a fresh process each run (so the sound library is not yet loaded),
  the session view of a 5 000-event session with a real WAV is opened, Enter pressed on the
  first row as soon as the screen takes keys, and the time to the first block handed to
  PortAudio (a PulseAudio null sink) measured from the screen taking keys.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

from bench_review import Drawn, make_session, minimal_drawn

TITLE = "Screens: consent and interview start-up; play from a note as a long session opens"
ROOT = Path(__file__).resolve().parent.parent


async def interview_ready(root: Path) -> dict[str, float]:
    from textual import events

    from companion.config import shipped_guides_dir
    from companion.guide.loader import load_guide
    from companion.ui.app import CompanionApp, Settings, StartRequest
    from companion.ui.screens.consent import ConsentScreen
    from companion.ui.screens.interview import InterviewScreen

    guide = load_guide(shipped_guides_dir() / "professional.yaml")
    started = time.perf_counter()
    app = CompanionApp(Settings(root, [shipped_guides_dir()], no_audio=True), StartRequest(guide, "PR1"))
    drawn = Drawn(app)
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, ConsentScreen) and app.screen.query("#record")):
            await asyncio.sleep(0.0005)
        await pilot.pause()
        times = {"consent": drawn.at - started, "consent_idle": time.perf_counter() - started}
        screen = app.screen
        first = screen.interview.guide.preamble[0].id
        pressed = time.perf_counter()
        app.post_message(events.Key("space", " "))
        while not screen.interview.consent.get(first):
            await asyncio.sleep(0.0005)
        times["keyed"] = time.perf_counter() - pressed
        await pilot.pause()  # what the Space did settles, as it would long before Start is pressed
        for item in screen.interview.guide.preamble:
            screen.interview.tick_consent(item.id).result()
        began = time.perf_counter()
        screen.action_start(False)
        while not (isinstance(app.screen, InterviewScreen) and app.screen.query("#note")):
            await asyncio.sleep(0.0005)
        await pilot.pause()
        times.update(interview=drawn.at - began, interview_idle=time.perf_counter() - began)
        return times


def startups(runs: int) -> dict[str, float]:
    """Each run starts from a collected heap, the minimal app's and ours alike: a user's start-up
    is one app in a fresh process, and the garbage the previous run's app left (collected in
    full, 30-230 ms, inside 7 of 9 runs otherwise) belongs to neither."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="i13-bench-") as tmp:
            gc.collect()
            drawn, idle = asyncio.run(minimal_drawn())
            samples.setdefault("minimal", []).append(drawn)
            samples.setdefault("minimal_idle", []).append(idle)
            gc.collect()
            for name, seconds in asyncio.run(interview_ready(Path(tmp) / "sessions")).items():
                samples.setdefault(name, []).append(seconds)
    m = {name: statistics.median(values) for name, values in samples.items()}
    figures = {"minimal_app_s": m["minimal"], "consent_key_ms": m["keyed"] * 1000}
    for screen in ("consent", "interview"):
        figures[f"{screen}_s"] = m[screen]
        figures[f"{screen}_vs_minimal"] = m[screen] / m["minimal"]
        figures[f"{screen}_vs_minimal_idle"] = m[f"{screen}_idle"] / m["minimal_idle"]
    return figures


# --- playing as the view opens (run in a child process per measurement) ------------------

async def play_on_open(root: Path, ref: str) -> float:
    from textual import events

    import companion.audio.playback as playback
    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp, Settings, StartRequest
    from companion.ui.screens.session_view import SessionScreen

    marks: list[float] = []

    class Marked(playback.Player):
        def __init__(self, source, **options):
            def stream(**kw):
                import sounddevice as sd  # loaded by then, by the app itself

                real = sd.RawOutputStream(**kw)
                write = real.write

                def first(data):
                    marks or marks.append(time.perf_counter())
                    return write(data)

                real.write = first
                return real

            super().__init__(source, stream_factory=stream, **options)

    playback.Player = Marked
    app = CompanionApp(Settings(root, [shipped_guides_dir()]), StartRequest(review=ref))
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, SessionScreen) and app.screen.query("#timeline")
                   and app.screen.query_one("#timeline").row_count):
            await pilot.pause(0.002)
        opened = time.perf_counter()
        # Posted as the terminal would send it: pilot.press would wait for the app to be idle,
        # and the view is still mounting its side panel and finding its audio.
        app.post_message(events.Key("enter", "\r"))
        while not marks:
            await asyncio.sleep(0.001)
        app.screen.action_stop()
        await pilot.pause()  # let the screen settle before the app closes
        return marks[0] - opened


def with_audio(root: Path) -> str:
    """The 5 000-event session with a real 60 s WAV as its audio."""
    from companion.store import meta as metafile

    ref = make_session(root)
    folder = root / ref
    with wave.open(str(folder / "audio-01.wav"), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(48000)
        audio.writeframes(b"\x01\x00" * 48000 * 60)
    meta = metafile.read(folder)
    meta["segments"] = [{"index": 1, "file": "audio-01.wav", "start": 0.0, "frames": 48000 * 60,
                         "rate": 48000, "duration": 60.0}]
    metafile.write(folder, meta)
    return ref


def playing(runs: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "tests" / "audio"))
    from pulse_sandbox import PulseSandbox, missing_tools

    if missing_tools():
        return {"play_on_open.skipped": f"PulseAudio tools missing: {', '.join(missing_tools())}"}
    pulse = PulseSandbox()
    pulse.start()
    try:
        with tempfile.TemporaryDirectory(prefix="i13-bench-") as tmp:
            root = Path(tmp) / "sessions"
            ref = with_audio(root)
            times = []
            for _ in range(runs):
                out = subprocess.run([sys.executable, __file__, str(root), ref], capture_output=True, text=True,
                                     env=pulse.env, cwd=ROOT, timeout=120)
                if out.returncode:
                    raise RuntimeError(f"the play-on-open child failed: {out.stderr[-6000:]}")
                times.append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        pulse.stop()
    return {"play_on_open_ms": statistics.median(times) * 1000}


def run(quick: bool) -> dict[str, object]:
    figures: dict[str, object] = {}
    figures.update(startups(runs=3 if quick else 9))
    figures.update(playing(runs=3 if quick else 7))
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(json.dumps(asyncio.run(play_on_open(Path(sys.argv[1]), sys.argv[2]))))
