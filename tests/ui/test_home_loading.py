"""The home screen while the disk is slow: the guides come first, and `n` pressed before
they arrive opens New interview with them — never with an empty list."""

from __future__ import annotations

import threading
from pathlib import Path

from companion.ui.screens.home import HomeScreen
from companion.ui.screens.new_interview import NewInterviewScreen

from .conftest import wait_for


async def test_new_interview_pressed_early_waits_for_the_guides(make_app, monkeypatch):
    import companion.guide.loader as loader

    release = threading.Event()
    real = loader.find_guides

    def slow(dirs):
        release.wait(10)
        return real(dirs)

    monkeypatch.setattr(loader, "find_guides", slow)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("n")
        assert isinstance(app.screen, HomeScreen)  # no form with an empty guide list
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen) and app.screen.query("#guide-list"))
        assert app.screen.query_one("#guide-list").option_count >= 3
        await pilot.pause()  # let the new screen finish mounting before the app closes


async def test_the_store_is_read_after_the_guides_are_shown(make_app, monkeypatch):
    import companion.store.store as store_module

    order: list[str] = []
    real = store_module.Store.sessions

    def sessions(self, today=None):
        order.append("sessions")
        return real(self, today)

    monkeypatch.setattr(store_module.Store, "sessions", sessions)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.interrupted is not None)
        assert "professional" in str(app.screen.query_one("#guides").render())
        assert order == ["sessions"]
        assert "(0)" in str(app.screen.query_one("#menu").get_option_at_index(1).prompt)


async def test_a_copy_of_a_shipped_guide_is_named_on_home_and_new_interview_opens(workdir, recorders):
    """./guides holding a copy of professional.yaml (same id): listed as a problem on the home
    screen, and New interview opens with each guide once (two options with one id crashed it)."""
    import shutil

    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp, Settings
    from companion.ui.screens.home import HomeScreen
    from companion.ui.screens.new_interview import NewInterviewScreen

    Path("guides").mkdir()
    for name in ("professional.yaml", "codebook.yaml"):
        shutil.copy(shipped_guides_dir() / name, Path("guides") / name)
    settings = Settings(sessions=Path("sessions"), guide_dirs=[shipped_guides_dir(), Path("guides")])
    app = CompanionApp(settings, None, recorder_factory=recorders)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
        assert "guide id 'professional' is already the id of" in str(app.screen.query_one("#guides").render())
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        assert sorted(g.id for g in app.screen.guides) == ["carer", "professional", "service-user"]
        assert app.crash is None
