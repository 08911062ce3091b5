"""The consent checklist at a laptop terminal's default 80×24: the list scrolls in the room it
has, and what says whether recording may start — the gate line and both ways to start — stays
in view. The start buttons take a click as their keys (s, w) do, and only when they may."""

from __future__ import annotations

from pathlib import Path

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for
from .test_interview_flow import tick_items

SMALL = (80, 24)


def in_view(screen, selector: str) -> bool:
    region = screen.query_one(selector).region
    return region.height > 0 and region.y >= 0 and region.bottom <= SMALL[1] - 1  # the footer is the last line


async def test_the_gate_and_the_buttons_stay_in_view_at_80x24(make_app):
    carer = load_guide(shipped_guides_dir() / "carer.yaml")  # the longest checklist shipped
    app = make_app(StartRequest(guide=carer, participant="C07"))
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        screen = app.screen
        for selector in ("#reading", "#missing", "#record", "#norecord"):
            assert in_view(screen, selector), selector
        items = screen.query_one("#items")
        assert items.max_scroll_y > 0  # the carer guide's 14 items do not fit: the list scrolls
        await tick_items(pilot, screen, {i.id for i in screen.interview.guide.preamble})
        assert items.highlighted == len(screen.interview.guide.preamble) - 1
        assert items.scroll_y > 0  # the last item was scrolled into view to be ticked
        assert "Ready: recording may start." in str(screen.query_one("#missing").render())


async def test_a_start_button_takes_a_click_only_when_it_may(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR14"))
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#record").disabled
        await pilot.click("#record")  # nothing ticked: a click does nothing
        await pilot.pause()
        assert app.screen is screen and recorders.last.state.kind == "idle"
        required = {i.id for i in screen.interview.guide.preamble if i.required}
        await tick_items(pilot, screen, required)
        await pilot.pause()
        assert not screen.query_one("#record").disabled
        await pilot.click("#record")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert recorders.last.state.kind == "recording"
    types = [e["type"] for e in read_events(Path("sessions"))]
    assert "recording.start" in types
