"""Fixtures for the app's tests: a temporary store, the shipped guides, and a fake recorder
whose clock the test moves, so times and screens are deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from companion.audio.state import RecorderState, SegmentInfo
from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.ui.app import CompanionApp, Settings, StartRequest


class FakeRecorder:
    """The recorder's interface with a clock the test advances; writes no audio."""

    def __init__(self, mode: str = "audio", reason: str = ""):
        self.mode = mode
        self.device_name = "Fake microphone" if mode == "audio" else None
        self.rate = 48000 if mode == "audio" else None
        self.state = RecorderState("idle" if mode == "audio" else "clock-mode", reason)
        self.level = (-18.0, -30.0)
        self.t = 0.0
        self.start_at = 0.0
        self.final: Path | None = None

    def start(self, partial, final, timeline_start: float) -> None:
        self.t = self.start_at = timeline_start
        self.final = final
        if self.mode == "audio" and self.state.kind != "paused":  # paused before start: held
            self.state = RecorderState("recording")

    def position(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        if self.state.kind != "paused":
            self.t += seconds

    def pause(self) -> None:
        if self.mode == "audio":
            self.state = RecorderState("paused")

    def resume(self) -> None:
        if self.mode == "audio":
            self.state = RecorderState("recording")

    def stop(self) -> SegmentInfo:
        frames = int((self.t - self.start_at) * (self.rate or 0))
        self.state = RecorderState("stopped")
        return SegmentInfo(self.final, self.start_at, frames, self.rate or 0, self.t)


class RecorderFactory:
    """Hands out FakeRecorders and remembers them, so the test can move their clocks."""

    def __init__(self):
        self.made: list[FakeRecorder] = []

    def __call__(self, no_audio: bool, reason: str, on_event) -> FakeRecorder:
        recorder = FakeRecorder("clock" if no_audio else "audio", reason)
        self.made.append(recorder)
        return recorder

    @property
    def last(self) -> FakeRecorder:
        return self.made[-1]


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """Run in an empty folder, so the store is ./sessions and screens show the same paths every run."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPANION_SESSIONS", raising=False)
    return tmp_path


@pytest.fixture
def professional():
    return load_guide(shipped_guides_dir() / "professional.yaml")


@pytest.fixture
def recorders() -> RecorderFactory:
    return RecorderFactory()


@pytest.fixture
def make_app(workdir, recorders):
    def make(start: StartRequest | None = None) -> CompanionApp:
        settings = Settings(sessions=Path("sessions"), guide_dirs=[shipped_guides_dir()])
        return CompanionApp(settings, start, recorder_factory=recorders)

    return make


def read_events(root: Path) -> list[dict]:
    [log] = list(root.glob("*/*/events.jsonl"))
    return [json.loads(line) for line in log.read_text().splitlines()]


async def wait_for(pilot, predicate, tries: int = 500) -> None:
    """Let workers and messages run until ``predicate()`` holds."""
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


@pytest.fixture
def frozen_store_clock(monkeypatch):
    """Sessions start at a fixed moment, so ids, dates and retention read the same in every snapshot."""
    import time
    from datetime import datetime, timezone

    import companion.store.store as store_module

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 3, 2, 10, 15, 3, tzinfo=timezone.utc)

    monkeypatch.setattr(store_module, "datetime", Frozen)
    yield
    monkeypatch.undo()
    time.tzset()


def steady(run_before):
    """Stop every input's cursor blinking before the picture is taken: a blink is timing, not UI."""

    async def run(pilot):
        from textual.widgets import Input

        await run_before(pilot)
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    return run
