"""The session view as it opens and is left: a note chosen before the audio is found plays once
it is, the arrows skip, a click selects then plays, the command line's session goes back to
the browser (as does one that cannot open), and the footer is built once, not per request."""

from __future__ import annotations

import threading
from pathlib import Path

import companion.audio.session_audio as session_audio
from companion.ui.app import StartRequest
from companion.ui.screens.review import BrowserScreen

from .conftest import wait_for
from .test_review import FakePlayer, recorded, select_row, session_ready  # noqa: F401 (a fixture)


def fake_player(monkeypatch) -> None:
    import companion.audio.playback as playback

    monkeypatch.setattr(playback, "Player", FakePlayer, raising=False)


async def test_enter_before_the_audio_is_found_plays_once_it_is(make_app, recorded, monkeypatch):
    fake_player(monkeypatch)
    found = threading.Event()
    real = session_audio.session_audio

    def slow(folder, progress=None):
        found.wait(10)
        return real(folder, progress)

    monkeypatch.setattr(session_audio, "session_audio", slow)
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        screen = app.screen
        select_row(screen, "Carers are never asked")
        await pilot.press("enter")
        assert screen.player is None and screen.pending == 27.0
        assert "plays from 00:27 when ready" in str(screen.query_one("#player").render())
        found.set()
        await wait_for(pilot, lambda: screen.player is not None and screen.player.started)
        assert screen.player.started == [27.0] and screen.pending is None


async def test_stop_before_the_audio_is_found_cancels_the_play(make_app, recorded, monkeypatch):
    fake_player(monkeypatch)
    found = threading.Event()
    real = session_audio.session_audio
    monkeypatch.setattr(session_audio, "session_audio", lambda folder, progress=None: found.wait(10) and real(folder, progress))
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        screen = app.screen
        await pilot.press("enter", "s")
        found.set()
        await wait_for(pilot, lambda: screen.audio is not None)
        await pilot.pause()
        assert screen.player is None  # nothing plays that was stopped


async def test_the_arrows_skip_and_a_click_selects_then_plays(make_app, recorded, monkeypatch):
    fake_player(monkeypatch)
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app) and app.screen.audio is not None)
        screen = app.screen
        select_row(screen, "Carers are never asked")
        await pilot.press("enter", "right", "right", "left")
        assert screen.player.started == [27.0, 32.0, 37.0, 32.0]
        timeline = screen.query_one("#timeline")
        await pilot.press("shift+right")  # sideways, to the end of a long note, without skipping
        assert timeline.scroll_x > 0 and len(screen.player.started) == 4
        await pilot.press("shift+left")
        assert timeline.scroll_x == 0
        await pilot.click("#timeline", offset=(12, 1))  # the first row (under the header)
        assert timeline.cursor_row == 0 and len(screen.player.started) == 4
        await pilot.click("#timeline", offset=(12, 1))
        assert screen.player.started[-1] == 7.0  # the note at 00:10, 3 s before


async def test_the_command_lines_session_goes_back_to_the_browser(make_app, recorded):
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        assert not any(isinstance(s, BrowserScreen) for s in app.screen_stack)  # not drawn first
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen) and app.screen.query_one("#sessions").row_count)
        await pilot.press("enter")  # and from the browser, into the session and back again
        await wait_for(pilot, lambda: session_ready(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen))
        assert sum(isinstance(s, BrowserScreen) for s in app.screen_stack) == 1


async def test_a_session_that_cannot_open_says_why_over_the_browser(make_app, recorded):
    app = make_app(StartRequest(review="PR99/20260101-000000"))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen) and app.screen.query_one("#sessions").row_count)
        await wait_for(pilot, lambda: app._notifications)
        [notice] = list(app._notifications)
        assert "PR99" in notice.message and notice.severity == "error"


async def test_the_footer_is_built_once_as_the_view_opens(make_app, recorded, monkeypatch):
    from companion.ui.widgets.footer import Footer

    builds = []
    real = Footer.recompose

    async def counted(self):
        builds.append(self.keys_to_show())
        return await real(self)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        await pilot.pause(0.2)
        assert len(builds) == 1
        keys = [str(key.render()) for key in app.screen.query("FooterKey")]
        assert any("Stop" in k for k in keys) and any("Back" in k for k in keys)
        await pilot.press("down", "down")
        await pilot.pause(0.1)
        assert len(builds) == 1  # moving the cursor changes no key
        app.screen.refresh_bindings()
        await pilot.pause(0.1)
        assert len(builds) == 1  # asked again, nothing new to show
        app.set_keymap({"play.stop": "k"})  # a key that changes: built again, with it
        await wait_for(pilot, lambda: len(builds) == 2)
        assert any(" k " in str(key.render()) or "k Stop" in str(key.render()) for key in app.screen.query("FooterKey"))


async def test_a_session_without_audio_shows_no_player_keys(make_app, workdir, professional, frozen_store_clock):
    """At 80 columns the footer then has room for Export and Back, which it had cut."""
    from companion.audio.clock import ClockRecorder
    from companion.interview import Interview
    from companion.store import Store

    from .test_small_terminal import footer_text

    writer = Store(Path("sessions")).create(professional, "PR12")
    interview = Interview(writer, ClockRecorder("no microphone"), writer.guide)
    for item in ("record", "consent-form"):
        interview.tick_consent(item).result(5)
    interview.start(record=False)
    interview.add_note("a note in clock mode")
    interview.finish()
    app = make_app(StartRequest(review=f"PR12/{writer.session_id}"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        await pilot.pause(0.2)
        shown = footer_text(app.screen)
        assert not [k for k in shown if k.split()[-1] in ("Stop", "Replay") or "5 s" in k], shown
        assert shown[0] == "F1 Help" and "x Export" in shown and "Esc Back" in shown, shown
        await pilot.press("s", "right")  # nothing to stop or skip: nothing happens, nothing breaks
        assert app.screen.player is None


async def test_at_80_columns_the_session_views_footer_shows_every_key(make_app, recorded):
    from .test_small_terminal import footer_text

    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        await pilot.pause(0.2)
        shown = footer_text(app.screen)
        assert shown[0] == "F1 Help" and shown[-1] == "Esc Back", shown
        assert {"s Stop", "r Replay", "e Correct", "t Tags", "x Export"} <= set(shown), shown
