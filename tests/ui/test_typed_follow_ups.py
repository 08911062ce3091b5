"""Typed ticks: `/pt N` ticks prompt N; `/pr N` on a question with prompts and no probes ticks
prompt N, as F4 and `/pr` open the prompts there."""

from __future__ import annotations

from pathlib import Path

from companion.ui.app import StartRequest
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, start_interview
from .test_prompts_and_summary import go_to


def prompt_ticks() -> list[tuple[str, int]]:
    return [(e["question"], e["prompt"]) for e in read_events(Path("sessions")) if e["type"] == "prompt.covered"]


async def at_prompts(pilot, app):
    """The interview at "example-worked-well": prompts, no probes."""
    screen = await start_interview(pilot, app)
    await go_to(pilot, screen, "example-worked-well")
    return screen


async def test_pt_n_ticks_prompt_n(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR22"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_prompts(pilot, app)
        await pilot.press(*"/pt 3", "enter")
        await wait_for(pilot, lambda: screen.interview.prompts.get("example-worked-well"))
        assert app.screen is screen  # ticked straight away, no picker
        assert screen.interview.prompts == {"example-worked-well": {2}}
    assert prompt_ticks() == [("example-worked-well", 2)]


async def test_pr_n_ticks_a_prompt_where_the_question_has_no_probes(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR22"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_prompts(pilot, app)
        assert not screen.interview.question.probes and screen.interview.question.prompts
        await pilot.press(*"/pr 2", "enter")
        await wait_for(pilot, lambda: screen.interview.prompts.get("example-worked-well"))
        assert isinstance(app.screen, InterviewScreen)
    assert prompt_ticks() == [("example-worked-well", 1)]


async def test_a_number_out_of_range_says_how_many_there_are(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR22"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_prompts(pilot, app)
        count = len(screen.interview.question.prompts)
        await pilot.press(*f"/pt {count + 1}", "enter")
        await wait_for(pilot, lambda: app._notifications)
        [note] = list(app._notifications)
        assert note.message == f"This question has {count} prompts: /pt 1 to /pt {count}."
        await go_to(pilot, screen, "background")  # neither probes nor prompts
        app.clear_notifications()
        await pilot.press(*"/pt 1", "enter")
        await wait_for(pilot, lambda: app._notifications)
        assert [n.message for n in app._notifications] == ["This question has no prompts."]
    assert prompt_ticks() == []
