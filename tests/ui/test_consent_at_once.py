"""The consent checklist asked for on the command line is shown at once, while the session is
created: what is ticked meanwhile is written first, in order, and reported saved only once
on disk; a session that cannot be created leaves with its sentence and status 2, nothing saved."""

from __future__ import annotations

import threading
from pathlib import Path

from companion.store import Store
from companion.store.errors import StoreError
from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, tick_items


def held_create(monkeypatch, fail: str | None = None) -> threading.Event:
    """Store.create waits until the test lets it go (then fails with ``fail``, if given)."""
    go = threading.Event()
    create = Store.create

    def slow(self, *args, **kwargs):
        assert go.wait(30)
        if fail:
            raise StoreError(fail)
        return create(self, *args, **kwargs)

    monkeypatch.setattr(Store, "create", slow)
    return go


async def test_ticks_made_while_the_session_is_created_are_written_first_in_order(make_app, professional, recorders, monkeypatch):
    go = held_create(monkeypatch)
    app = make_app(StartRequest(guide=professional, participant="PR31"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        screen = app.screen
        await pilot.pause()
        assert "opening" in str(screen.query_one("#microphone").render())
        assert not list(Path("sessions").glob("PR31/*"))  # not created yet, and the list takes keys
        required = {i.id for i in professional.preamble if i.required}
        await tick_items(pilot, screen, required)
        order = [i.id for i in professional.preamble if i.id in required]
        futures = [screen.interview.tick_consent(order[0])]  # one more, still held
        assert not futures[0].done()  # not reported saved: it is not on disk
        await pilot.press("s")  # start asked for before the session exists: it waits for it
        go.set()
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.query("#note"))
        await pilot.pause()  # let the interview screen settle before the app is closed
        assert futures[0].result(5)["seq"] > 1
    events = read_events(Path("sessions"))
    ticks = [(e["item"], e["checked"]) for e in events if e["type"] == "consent.tick"]
    assert ticks == [(item, True) for item in order] + [(order[0], True)]
    assert events[0]["type"] == "session.start"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert "recording.start" in [e["type"] for e in events]


async def test_a_session_that_cannot_be_created_leaves_with_its_sentence(make_app, professional, recorders, monkeypatch):
    go = held_create(monkeypatch, fail="Could not create the session in sessions: disk full.")
    app = make_app(StartRequest(guide=professional, participant="PR32"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        tick = app.screen.interview.tick_consent(professional.preamble[0].id)
        go.set()
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2
    assert app.exit_message == "Could not create the session in sessions: disk full."
    assert isinstance(tick.exception(5), StoreError)  # never reported saved
    assert not list(Path("sessions").glob("PR32/*"))


async def test_in_clock_mode_the_checklist_says_so_from_its_first_frame(workdir, professional, monkeypatch):
    """--no-audio: nothing to open, so no "opening…" line replaced (and the screen laid out
    again) once the session exists; the session still gets the same clock, made once."""
    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp, Settings

    go = held_create(monkeypatch)
    settings = Settings(sessions=Path("sessions"), guide_dirs=[shipped_guides_dir()], no_audio=True)
    app = CompanionApp(settings, StartRequest(guide=professional, participant="PR34"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        screen = app.screen
        line = screen.query_one("#microphone")
        assert "No audio: audio was turned off with --no-audio" in str(line.render())
        clock = screen.interview.recorder
        updated = []
        monkeypatch.setattr(type(line), "update", lambda self, *a, **k: updated.append(a))
        go.set()
        await wait_for(pilot, lambda: type(screen.interview.writer).__name__ != "PendingWriter")
        await pilot.pause()
        assert screen.interview.recorder is clock and clock.mode == "clock" and not updated
