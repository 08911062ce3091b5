"""A steady screen opens in one layout: the asks its first layout answered already are let go
(companion/ui/steady_screen.py). What is asked after a layout, a scrollbar a layout shows, and
a notification still get laid out."""

from __future__ import annotations

from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual.widgets._toast import Toast, ToastRack

from companion.ui.app import StartRequest
from companion.ui.steady_screen import SteadyScreen

from .test_interview_flow import SIZE, start_interview
from .test_startup import count_reflows, layouts_as_it_opens


class Lines(SteadyScreen):
    def compose(self):
        with VerticalScroll(id="scroll"):
            yield Static("one line", id="content")


class Bare(App):
    def on_mount(self) -> None:
        self.push_screen(Lines())


async def test_the_interview_screen_is_laid_out_once_as_it_opens(make_app, professional, recorders, monkeypatch):
    """Textual laid it out a second time a frame later (17 ms), for asks the first layout had
    answered: the widgets' asks read after it, the screen's own ask made as it mounted, the
    asks of every widget it sized, the notification rack hidden again."""
    for size in [(80, 24), SIZE]:
        app = make_app(StartRequest(guide=professional, participant=f"PR{size[0]}"))
        async with app.run_test(size=size, notifications=True) as pilot:  # as the app runs
            layouts = await layouts_as_it_opens(pilot, app, monkeypatch)
            assert len(layouts) == 1, (size, layouts)


async def test_a_bare_steady_screen_is_laid_out_once_as_it_opens():
    app = Bare()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = Lines()
        reflows = count_reflows(screen)
        app.push_screen(screen)
        await pilot.pause(0.2)
        assert app.screen is screen and len(reflows) == 1
        assert screen.query_one("#content").region.width == 60


async def test_what_a_widget_asks_after_a_layout_is_laid_out():
    app = Bare()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        content = app.screen.query_one("#content", Static)
        content.update("one\ntwo\nthree")
        await pilot.pause()
        assert content.region.height == 3
        content.update("one")
        await pilot.pause()
        assert content.region.height == 1


async def test_a_scrollbar_a_layout_shows_lays_the_content_out_in_the_room_left():
    app = Bare()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        scroll, content = app.screen.query_one("#scroll", VerticalScroll), app.screen.query_one("#content", Static)
        assert content.region.width == 60 and not scroll.show_vertical_scrollbar
        content.update("\n".join(f"line {n}" for n in range(50)))  # taller than the screen
        await pilot.pause()
        assert scroll.show_vertical_scrollbar
        assert content.region.width == 60 - scroll.styles.scrollbar_size_vertical
        content.update("one line")
        await pilot.pause()
        assert not scroll.show_vertical_scrollbar and content.region.width == 60


async def test_a_notification_is_shown_on_the_interview_screen(make_app, professional, recorders):
    """The notification rack starts hidden (as each resume would set it); a notification shows it."""
    app = make_app(StartRequest(guide=professional, participant="PR13"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await start_interview(pilot, app, record=False)
        await pilot.pause()
        rack = screen.query_one(ToastRack)
        assert not rack.display
        app.notify("Every note is saved.")
        await pilot.pause(0.2)
        toast = screen.query_one(Toast)
        assert rack.display and toast.region.height >= 3 and toast.region.right <= SIZE[0]
        assert "Every note is saved." in app.export_screenshot().replace("&#160;", " ")
