"""The end screen never finishes on a key pressed before it was seen: End twice in a burst
shows the summary and leaves the session open; Finish has a key of its own."""

from __future__ import annotations

from pathlib import Path


from companion.actions import BY_ID
from companion.ui.app import StartRequest
from companion.ui.screens.end import EndScreen
from companion.ui.screens.home import HomeScreen
from companion.userconfig import load

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, start_interview


async def test_f9_twice_in_a_burst_shows_the_end_screen_and_keeps_the_session_open(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR21"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press("f9", "f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        await pilot.pause(0.3)  # time for a close to start, were one coming
        assert isinstance(app.screen, EndScreen) and not getattr(app.screen, "closing", False)
        assert not screen.interview.ended
        assert "session.end" not in [e["type"] for e in read_events(Path("sessions"))]
        assert "F9" not in str(app.screen.query_one("#finish").render())

        await pilot.press("ctrl+f")  # Finish's own key
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert [e["type"] for e in read_events(Path("sessions"))][-1] == "session.end"


def test_end_and_finish_never_share_a_key():
    assert not set(BY_ID["session.end"].keys) & set(BY_ID["end.finish"].keys)


def test_a_keymap_that_puts_finish_on_the_end_key_is_refused(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("keymap:\n  end.finish: f9\n")
    loaded = load(config)
    assert any("'f9' is given to both session.end and end.finish" in p for p in loaded.problems)
    assert "end.finish" not in loaded.keymap


async def test_a_closing_item_unticked_again_is_recorded_and_stays_unticked(make_app, professional, recorders):
    from companion.review.fold import fold

    app = make_app(StartRequest(guide=professional, participant="PR22"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        await pilot.press("space", "down", "space", "up", "space", "escape")  # the first unticked again
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press(*"/e", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        first, second = [item.id for item in professional.closing[:2]]
        assert app.screen.query_one("#closing").selected == [second]
        assert screen.interview.closing == {second}
    events = read_events(Path("sessions"))
    ticks = [(e["item"], e["checked"]) for e in events if e["type"] == "closing.tick"]
    assert ticks == [(first, True), (second, True), (first, False)]
    assert fold(professional, events).closing == [second]
