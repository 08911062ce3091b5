"""Words typed after a command are used or kept, never dropped: /q, /fu and /sg take them as
the flag's words; a command that takes none keeps the line and says so."""

from __future__ import annotations

from pathlib import Path

from companion.ui.app import StartRequest
from companion.ui.screens.pickers import SafeguardingScreen

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, start_interview


def flags() -> list[tuple[str, str]]:
    return [(e["kind"], e.get("text", "")) for e in read_events(Path("sessions")) if e["type"] == "flag"]


async def test_flag_commands_take_their_words(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR45"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press(*"she described the crisis team", "enter", *"/q great line she said", "enter")
        await pilot.press(*"/fu call back tuesday", "enter")
        await wait_for(pilot, lambda: len(screen.interview.flags) == 2)
        await pilot.press(*"/sg disclosed harm", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SafeguardingScreen))
        assert app.screen.query_one("#text").value == "disclosed harm"
        await pilot.press("enter", "n")
        await wait_for(pilot, lambda: len(screen.interview.flags) == 3)
    assert flags() == [("quote", "great line she said"), ("follow-up", "call back tuesday"),
                       ("safeguarding", "disclosed harm")]


async def test_a_command_that_takes_no_words_keeps_the_line(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR46"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press(*"/c done here", "enter")
        await wait_for(pilot, lambda: any("takes no words" in n.message for n in app._notifications))
        assert screen.query_one("#note").value == "/c done here"
    assert "question.covered" not in [e["type"] for e in read_events(Path("sessions"))]
