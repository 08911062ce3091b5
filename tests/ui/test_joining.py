"""The joining screen: a progress bar while a closed session's segments become one file."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from textual.app import App
from textual.widgets import ProgressBar

from companion.store import meta as metafile
from companion.ui.screens.joining import JoiningScreen, percent


def session_with_segments(folder: Path, rates=(48000, 48000)) -> None:
    folder.mkdir(parents=True)
    segments, start = [], 0.0
    for index, rate in enumerate(rates, start=1):
        with wave.open(str(folder / f"audio-{index:02d}.wav"), "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
            w.writeframes(np.full(rate * 20, index, dtype="<i2").tobytes())
        segments.append({"index": index, "file": f"audio-{index:02d}.wav", "start": start, "frames": rate * 20,
                         "rate": rate})
        start += 21.0
    metafile.write(folder, {"participant": "PR1", "audio": {"mode": "audio", "rate": rates[0]}, "segments": segments})


class Host(App):
    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder
        self.result: list = []
        self.bars: list[float] = []

    def on_mount(self) -> None:
        self.push_screen(JoiningScreen(self.folder), self.result.append)


async def run(folder: Path) -> Host:
    app = Host(folder)
    async with app.run_test(size=(80, 20)) as pilot:
        for _ in range(500):
            if isinstance(app.screen, JoiningScreen):
                app.bars.append(app.screen.query_one(ProgressBar).progress)
            if app.result:
                break
            await pilot.pause(0.02)
    return app


async def test_the_join_reports_progress_and_leaves_one_file(tmp_path):
    folder = tmp_path / "s"
    session_with_segments(folder)
    app = await run(folder)
    assert app.result == [None]
    assert sorted(p.name for p in folder.glob("audio*.wav")) == ["audio.wav"]
    assert app.bars == sorted(app.bars)  # the bar only moves forward


async def test_a_join_that_cannot_be_done_says_why_and_keeps_the_segments(tmp_path):
    folder = tmp_path / "s"
    session_with_segments(folder, rates=(48000, 44100))
    app = await run(folder)
    [problem] = app.result
    assert "different rates" in problem
    assert sorted(p.name for p in folder.glob("audio*.wav")) == ["audio-01.wav", "audio-02.wav"]


def test_writing_is_the_first_half_and_checking_the_second():
    assert percent("join", 5, 10) == 25 and percent("verify", 10, 10) == 100 and percent("renamed", 1, 1) is None


def test_snapshot_joining(tmp_path, monkeypatch, snap_compare):
    """The bar part-way: the join is held at 60 % (checking) until the picture is taken."""
    import threading

    import companion.audio.session_audio as session_audio_module

    release = threading.Event()

    def held(folder, progress=None):
        progress("join", 10, 10)
        progress("verify", 2, 10)
        release.wait(10)

    monkeypatch.setattr(session_audio_module, "session_audio", held)

    async def at_sixty(pilot):
        for _ in range(200):
            if isinstance(pilot.app.screen, JoiningScreen) and pilot.app.screen.shown == 60:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.1)

    try:
        assert snap_compare(Host(tmp_path), terminal_size=(80, 16), run_before=at_sixty)
    finally:
        release.set()
