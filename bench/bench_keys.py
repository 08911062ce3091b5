"""Keys delivered one at a time: what the app's key gate costs a burst of typing.

A burst of notes (40 notes of 48 characters, each with its Enter: 1 960 keys) is posted
to the interview screen in one go, as one read from a terminal delivers it, and timed
until the last note is saved in memory — with the key gate (companion/ui/key_gate.py), and
against the same app with keys forwarded straight to the focus as Textual does, alternated,
medians. Per key: the burst's time divided by its keys.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

TITLE = "Key gate: a burst of typing, in order, against Textual's own forwarding"
ROOT = Path(__file__).resolve().parent.parent


async def burst_time(folder: Path, notes: int, gated: bool) -> float:
    sys.path.insert(0, str(ROOT))
    from textual import events
    from textual.keys import _character_to_key

    from companion.config import shipped_guides_dir
    from companion.guide.loader import load_guide
    from companion.ui.app import CompanionApp, Settings, StartRequest

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_interview import reach_interview

    guide = load_guide(shipped_guides_dir() / "professional.yaml")
    settings = Settings(sessions=folder / "sessions", guide_dirs=[shipped_guides_dir()], no_audio=True)
    app = CompanionApp(settings, StartRequest(guide=guide, participant="PR11"))
    if not gated:  # Textual's own path: every key straight to the focus
        from textual.app import App

        async def forwarded(event, app=app):
            await App.on_event(app, event)

        app.on_event = forwarded
    async with app.run_test(size=(120, 40)) as pilot:
        interview = await reach_interview(pilot, app, guide)
        texts = [f"Note {i:03d} typed back to back by a fast typist" for i in range(notes)]
        started = time.perf_counter()
        for text in texts:
            for char in text:
                app.post_message(events.Key(_character_to_key(char), char))
            app.post_message(events.Key("enter", "\r"))
        deadline = time.perf_counter() + 60
        while len(interview.notes) < notes and time.perf_counter() < deadline:
            await pilot.pause(0.001)
        elapsed = time.perf_counter() - started
        if gated:
            assert [n.text for n in interview.notes] == texts
    return elapsed


def run(quick: bool) -> dict[str, object]:
    notes, runs = (10, 2) if quick else (40, 7)
    keys = notes * 49
    gated, plain = [], []
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        for i in range(runs):
            gated.append(asyncio.run(burst_time(Path(tmp) / f"g{i}", notes, True)))
            plain.append(asyncio.run(burst_time(Path(tmp) / f"p{i}", notes, False)))
    g, p = statistics.median(gated), statistics.median(plain)
    return {
        "burst keys": keys,
        "burst, key gate (median s)": round(g, 3),
        "burst, Textual forwarding (median s)": round(p, 3),
        "per key, key gate (ms)": round(g / keys * 1000, 3),
        "per key, Textual forwarding (ms)": round(p / keys * 1000, 3),
        "ratio gate / forwarding": round(g / p, 2),
    }


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
