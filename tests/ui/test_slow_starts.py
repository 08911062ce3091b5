"""The New-interview form's way out: a session takes a moment to create (a slow or full
disk), and what the interviewer does meanwhile — going back, trying again — must not quit
the app or lose the form; a form that cannot go on names the field to fix."""

from __future__ import annotations

from pathlib import Path

from companion.store import Store, StoreError
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.new_interview import NewInterviewScreen

from .conftest import wait_for
from .test_interview_flow import SIZE


async def form_with_professional(pilot, app) -> NewInterviewScreen:
    """From the home screen, n: the New-interview form, the professional guide highlighted."""
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
    form = app.screen
    form.query_one("#guide-list").highlighted = [g.id for g in form.guides].index("professional")
    return form


async def test_a_failure_after_going_back_home_is_told_not_quit(make_app, monkeypatch):
    import threading

    went_back = threading.Event()

    def slow_failure(self, guide, participant, initials=None):
        went_back.wait(5)
        raise StoreError("Could not create the session: no space left on device.")

    monkeypatch.setattr(Store, "create", slow_failure)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await form_with_professional(pilot, app)
        await pilot.press("enter", *"PR21", "enter", "enter")  # guide, ID, no initials: start
        await pilot.click("#back")  # back home while the session is still being created (Esc waits for it)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        went_back.set()
        await wait_for(pilot, lambda: any("no space left" in n.message for n in app._notifications))
        assert app.is_running and isinstance(app.screen, HomeScreen)


async def test_a_session_created_after_going_back_is_kept_for_later(make_app, monkeypatch, recorders):
    """Created once the interviewer had gone back and opened another form: that form is left
    alone (its typing, its own start) and the session is closed at its checklist, resumable."""
    import threading

    from companion.ui.screens.consent import ConsentScreen

    go_on = threading.Event()
    create = Store.create
    monkeypatch.setattr(Store, "create", lambda self, *a, **k: go_on.wait(5) and create(self, *a, **k))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await form_with_professional(pilot, app)
        await pilot.press("enter", *"PR21", "enter", "enter")
        await pilot.click("#back")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        second = app.screen
        await pilot.press("enter", *"PR2")
        go_on.set()
        await wait_for(pilot, lambda: any("created after you went back" in n.message for n in app._notifications))
        assert app.screen is second and second.query_one("#participant").value == "PR2"
        assert not any(isinstance(s, ConsentScreen) for s in app.screen_stack)
    [summary] = Store(Path("sessions")).sessions()
    assert (summary.participant, summary.status) == ("PR21", "interrupted")


async def test_wrong_initials_are_named_and_focused(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await form_with_professional(pilot, app)
        await pilot.press("enter", *"PR21", "enter", "space", "enter")
        await wait_for(pilot, lambda: any("Initials are one to four letters" in n.message for n in app._notifications))
        assert form.focused is form.query_one("#initials") and app.screen is form


async def test_an_id_typed_on_the_guide_list_goes_into_the_id_field(make_app):
    """"n C07" in one go: the form opens on its guide list, which takes no letters — the ID
    was lost. It goes into the ID field, from its first character."""
    from .test_bursts import burst

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
        burst(app, "n", *"C07")
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        form = app.screen
        await wait_for(pilot, lambda: form.query_one("#participant").value == "C07")
        assert form.focused is form.query_one("#participant")
        form.query_one("#guide-list").highlighted = [g.id for g in form.guides].index("professional")
        await wait_for(pilot, lambda: "C07 is an ID for the Interview - Topic Guide (Carer Version) guide: choose it above"
                       in str(form.query_one("#participant-help").render()))
