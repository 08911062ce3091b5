"""The new-interview form names an ID the store holds with the same number written with other
zeros (PR09 when PR9 is typed): one person under two IDs would be missed by a withdrawal."""

from __future__ import annotations

from pathlib import Path

from companion.store import Store
from companion.ui.screens.home import HomeScreen

from .conftest import wait_for
from .test_bursts import new_interview_form
from .test_interview_flow import SIZE


async def test_the_form_names_the_same_number_held_with_other_zeros(make_app, professional, recorders):
    Store(Path("sessions")).create(professional, "PR09").close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_interview_form(pilot, app)
        for _ in range([g.id for g in screen.guides].index("professional")):
            await pilot.press("down")
        await pilot.press("enter", *"PR9")
        help_line = lambda: str(screen.query_one("#participant-help").render())  # noqa: E731
        await wait_for(pilot, lambda: "PR09 (1 session) is held" in help_line())
        assert help_line().endswith("if this is the same person, type PR09.")
        assert not screen.query_one("#continue").disabled  # told, not stopped: it may be another person
        await pilot.press("ctrl+u", *"PR09")
        assert str(screen.query_one("#participant-help").render()) == "✓ PR09 is a valid ID."
        await pilot.press("ctrl+u", *"PR90")
        assert str(screen.query_one("#participant-help").render()) == "✓ PR90 is a valid ID."


async def test_the_checklist_says_it_when_the_id_came_from_the_command_line(make_app, professional, recorders):
    """On the checklist, where a wrong ID is discarded (Esc, d); gone with it."""
    from companion.ui.app import StartRequest
    from companion.ui.screens.consent import ConsentScreen
    from companion.ui.screens.interview import InterviewScreen

    from .test_interview_flow import start_interview

    for participant in ("PR09", "PR009", "PR009"):
        Store(Path("sessions")).create(professional, participant).close()
    app = make_app(StartRequest(guide=professional, participant="PR9"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query_one("#same-number").display)
        line = app.screen.query_one("#same-number")
        assert str(line.render()).startswith("⚠ PR009 (2 sessions) and PR09 (1 session) are held")
        assert "start again as PR009" in app.export_screenshot().replace("&#160;", " ")
        assert app.screen.query_one("#record").region.bottom <= 24  # the start buttons stay in view
        await start_interview(pilot, app, record=False)
        assert isinstance(app.screen, InterviewScreen) and "PR009" not in app.export_screenshot()
    app = make_app(StartRequest(guide=professional, participant="PR10"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen)
                       and type(app.screen.interview.writer).__name__ == "SessionWriter")
        await pilot.pause(0.2)
        assert not app.screen.query_one("#same-number").display


async def test_the_form_left_before_the_store_was_read_is_left_alone(make_app, professional, recorders, monkeypatch):
    import threading

    import companion.store.layout as layout

    reading = threading.Event()
    monkeypatch.setattr(layout, "participant_folders", lambda root: reading.wait(10) and ["PR09"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await new_interview_form(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        reading.set()  # the store is read after the form has gone
        await pilot.pause(0.3)
        assert isinstance(app.screen, HomeScreen) and app.is_running
