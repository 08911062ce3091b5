"""A session takes a moment to create (a slow or full disk): what the interviewer does
meanwhile — going back, trying again — must not quit the app or lose the form."""

from __future__ import annotations

import time

from companion.store import Store, StoreError
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.new_interview import NewInterviewScreen

from .conftest import wait_for
from .test_interview_flow import SIZE


async def test_a_failure_after_going_back_home_is_told_not_quit(make_app, monkeypatch):
    def slow_failure(self, guide, participant, initials=None):
        time.sleep(0.4)
        raise StoreError("Could not create the session: no space left on device.")

    monkeypatch.setattr(Store, "create", slow_failure)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        app.screen.query_one("#guide-list").highlighted = [g.id for g in app.screen.guides].index("professional")
        await pilot.press("enter", *"PR21", "enter", "enter")  # guide, ID, no initials: start
        await pilot.press("escape")  # back home while the session is still being created
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: any("no space left" in n.message for n in app._notifications))
        assert app.is_running and isinstance(app.screen, HomeScreen)
