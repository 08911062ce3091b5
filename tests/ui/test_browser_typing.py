"""Typing in the session browser filters on every character typed, the first included — also
when the keys come in one burst with the Enter that opens the session. (The first character
used to move the focus to the filter and go nowhere: `C1` filtered on `1`, which every row
matched, and Enter opened — and logged opening — another participant's session.)"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

import companion.store.store as store_module
from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.store import Store
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.review import BrowserScreen
from companion.ui.screens.session_view import SessionScreen

from .conftest import wait_for
from .test_bursts import burst


class Clock(datetime):
    moment = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)

    @classmethod
    def now(cls, tz=None):
        return cls.moment


@pytest.fixture
def store(workdir) -> dict[str, str]:
    """Sessions of PR11, PR1, C1 and PR2 (the browser lists them in that order): participant → ref."""
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "datetime", Clock)
        made_in_order = (("PR11", "professional"), ("PR1", "professional"), ("C1", "carer"), ("PR2", "professional"))
        for minute, (participant, guide) in enumerate(made_in_order):
            Clock.moment = datetime(2026, 3, 2, 10, minute, tzinfo=timezone.utc)
            writer = Store(Path("sessions")).create(load_guide(shipped_guides_dir() / f"{guide}.yaml"), participant)
            writer.close()
            made[participant] = f"{participant}/{writer.session_id}"
    return made


async def browser(pilot, app) -> BrowserScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("v")
    await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen))
    await wait_for(pilot, lambda: app.screen.query_one("#sessions").row_count == 4)
    return app.screen


def opened_view(app) -> bool:
    """The session view is up, its lazily mounted side panel too (so the app closes on a whole screen)."""
    return isinstance(app.screen, SessionScreen) and bool(app.screen.query("#outline"))


def opened() -> list[list[str]]:
    log = Path("sessions/audit-log.jsonl")
    return [json.loads(line)["sessions"] for line in log.read_text().splitlines()] if log.exists() else []


@pytest.mark.parametrize("participant", ["C1", "PR1", "PR11", "PR2"])
async def test_the_first_character_typed_filters_and_enter_opens_that_session(make_app, store, participant):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await browser(pilot, app)
        await pilot.press(*participant, "enter")
        await wait_for(pilot, lambda: opened_view(app))
        assert app.screen.record.participant == participant
        assert screen.query_one("#filter").value == participant
    assert opened() == [[store[participant]]]  # no other participant's session was opened


async def test_a_burst_filters_on_every_key_before_enter_opens(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await browser(pilot, app)
        burst(app, "C", "1", "enter")
        await wait_for(pilot, lambda: opened_view(app))
        assert app.screen.record.participant == "C1" and screen.query_one("#filter").value == "C1"
    assert opened() == [[store["C1"]]]


async def test_a_participants_id_in_full_lists_their_sessions_first(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await browser(pilot, app)
        table = screen.query_one("#sessions")
        await pilot.press(*"PR1")
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["PR1", "PR11"]
        await pilot.press("backspace", "2")
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["PR2"]


async def test_typing_again_from_the_table_goes_on_from_the_filter(make_app, store):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await browser(pilot, app)
        table = screen.query_one("#sessions")
        await pilot.press(*"PR", "down")
        assert screen.focused is table and table.row_count == 3
        await pilot.press("2")
        assert screen.query_one("#filter").value == "PR2" and table.row_count == 1


async def test_an_id_and_enter_typed_at_once_open_the_session_once(make_app, store):
    """"v PR2 Enter" from the home screen in one go: the Enter that came before the listing
    opens the session once the listing is here (it was lost) — once, however many Enters:
    one view, one line in the audit log (Enter twice opened two)."""
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        burst(app, "v", *"PR2", "enter", "enter")
        await wait_for(pilot, lambda: opened_view(app))
        await pilot.pause(0.3)
        assert app.screen.record.participant == "PR2"
        assert sum(isinstance(s, SessionScreen) for s in app.screen_stack) == 1
    assert opened() == [[store["PR2"]]]
