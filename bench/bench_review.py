"""Review: opening a 3-hour session of 5 000 events, and from "play" to the first audio frame.

- open: from creating the app to the session view taking keys (a Down moves its cursor), with the
  session read from a real store; baseline, side by side in the same process: a minimal
  Textual app (header, a label, footer) to its last update drawn (and, the older figure, to
  Pilot finding it idle, which it checks in 20 ms steps).
- play: from ``Player.play()`` to the first block handed to PortAudio (a real output stream on
  a PulseAudio null sink); baseline: opening a RawOutputStream and writing one block directly.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

from bench_export import synthetic_events, synthetic_guide

TITLE = "Review: open a 3-hour session of 5 000 events; play to first frame"
ROOT = Path(__file__).resolve().parent.parent


def make_session(root: Path) -> str:
    """A session in a real store whose log is the synthetic 5 000 events."""
    from companion.store import Store

    guide = synthetic_guide()
    writer = Store(root).create(guide, "PR1")
    writer.abandon()
    lines = "".join(json.dumps(e) + "\n" for e in synthetic_events(guide))
    (writer.path / "events.jsonl").write_text(lines)
    return f"PR1/{writer.session_id}"


async def minimal_ready() -> float:
    """A minimal Textual app, from creating it to Pilot finding it idle."""
    return (await minimal_drawn())[1]


class Drawn:
    """When the app last drew an update to the terminal: what the user sees is complete then.
    Pilot's idle wait (pilot.pause) says only that it is complete by some later 20 ms step."""

    def __init__(self, app):
        self.at = 0.0
        draw = app._display  # Textual's one way to the terminal: every screen's updates pass here

        def display(screen, update) -> None:
            draw(screen, update)
            if update is not None:
                self.at = time.perf_counter()

        app._display = display


# The baseline of every start-up figure: as a class here, as a script run as a process
# (bench_interview, bench_terminal).
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Label

class Minimal(App):
    def compose(self):
        yield Header()
        yield Label("hello")
        yield Footer()
"""


async def minimal_drawn() -> tuple[float, float]:
    """The minimal Textual app (a header, a label, a footer), from creating it to its last
    update drawn, and to Pilot finding it idle: (drawn, idle)."""
    made: dict = {}
    exec(MINIMAL_APP, made)
    started = time.perf_counter()
    app = made["Minimal"]()
    drawn = Drawn(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return drawn.at - started, time.perf_counter() - started


async def session_ready(root: Path, ref: str) -> float:
    """From creating the app to the session view answering a key: a Down posted as the
    terminal would send it moves the cursor (pilot.pause would wait for everything queued,
    such as the side panel mounted after the first draw, not for the view to take keys)."""
    from textual import events

    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp, Settings, StartRequest
    from companion.ui.screens.session_view import SessionScreen

    started = time.perf_counter()
    app = CompanionApp(Settings(root, [shipped_guides_dir()]), StartRequest(review=ref))
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, SessionScreen) and app.screen.query("#timeline")
                   and app.screen.query_one("#timeline").row_count > 1):
            await asyncio.sleep(0.002)
        table = app.screen.query_one("#timeline")
        app.post_message(events.Key("down", None))
        while table.cursor_row != 1:
            await asyncio.sleep(0.002)
        taken = time.perf_counter() - started
        await pilot.pause()
        return taken


def opening(runs: int) -> dict[str, float]:
    """The view taking keys against the minimal app drawn, and (the older figure) idle."""
    minimal, idle, review = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "sessions"
        ref = make_session(root)
        for _ in range(runs):
            drawn, settled = asyncio.run(minimal_drawn())
            minimal.append(drawn)
            idle.append(settled)
            review.append(asyncio.run(session_ready(root, ref)))
    m, r = statistics.median(minimal), statistics.median(review)
    return {"open.minimal_app_s": m, "open.session_view_s": r, "open.session_view_vs_minimal": r / m,
            "open.session_view_vs_minimal_idle": r / statistics.median(idle)}


class FirstWrite:
    """A real output stream that notes when the first block is handed to PortAudio."""

    def __init__(self, stream, marks: list[float]):
        self.stream, self.marks = stream, marks

    def write(self, data):
        if not self.marks:
            self.marks.append(time.perf_counter())
        return self.stream.write(data)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def playing(runs: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "tests" / "audio"))
    from pulse_sandbox import PulseSandbox, missing_tools

    if missing_tools():
        return {"play.skipped": f"PulseAudio tools missing: {', '.join(missing_tools())}"}
    pulse = PulseSandbox()
    pulse.start()
    saved = pulse.activate()
    try:
        import sounddevice as sd

        sd._terminate()
        sd._initialize()
        return play_side_by_side(sd, runs)
    finally:
        PulseSandbox.restore(saved)
        pulse.stop()


def play_side_by_side(sd, runs: int) -> dict[str, float]:
    from companion.audio.playback import Player

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.wav"
        with wave.open(str(path), "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(48000)
            audio.writeframes(b"\x01\x00" * 48000 * 60)
        block = b"\x01\x00" * 2400
        player_times, direct_times = [], []
        for _ in range(runs):
            marks: list[float] = []
            player = Player(path, stream_factory=lambda **kw: FirstWrite(sd.RawOutputStream(**kw), marks))
            started = time.perf_counter()
            player.play(30.0)
            while not marks:
                time.sleep(0.0005)
            player_times.append(marks[0] - started)
            player.stop()
            started = time.perf_counter()
            stream = sd.RawOutputStream(samplerate=48000, channels=1, dtype="int16")
            stream.start()
            stream.write(block)
            direct_times.append(time.perf_counter() - started)
            stream.abort()
            stream.close()
    p, d = statistics.median(player_times), statistics.median(direct_times)
    return {"play.to_first_frame_ms": p * 1000, "play.direct_open_write_ms": d * 1000, "play.vs_direct": p / d}


def run(quick: bool) -> dict[str, object]:
    figures: dict[str, object] = {}
    figures.update(opening(runs=3 if quick else 7))
    figures.update(playing(runs=5 if quick else 15))
    return figures
