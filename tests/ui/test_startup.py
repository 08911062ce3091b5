"""What makes the consent and interview screens open at once: each screen's CSS parsed alone,
a footer that rebuilds only when its keys change, the consent checklist replaced by the
interview, the startup objects frozen for the collector. Each keeps the screens as they were."""

from __future__ import annotations

import gc

from textual.css.stylesheet import Stylesheet
from textual.widgets._footer import FooterKey

from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.interview import InterviewScreen
from companion.ui.widgets.key_footer import KeyFooter, only_removed

from .conftest import wait_for
from .test_interview_flow import SIZE, start_interview


def footer_keys(screen) -> list[tuple[str, str]]:
    """The keys the footer shows (a key that went away is hidden, not removed; the palette's
    key, hidden where the screen's keys need the room, is counted as there)."""
    return [(k.key, k.action) for k in screen.query_one(KeyFooter).query(FooterKey)
            if k.display or k.has_class("-command-palette")]


def expected_keys(screen) -> list[tuple[str, str]]:
    """What Textual's own Footer shows for the screen now (the first shown binding of each
    action), with help moved to the front."""
    keys: dict[str, tuple[str, str]] = {}
    for _, binding, _, _ in screen.active_bindings.values():
        if binding.show and binding.action not in keys:
            keys[binding.action] = (binding.key, binding.action)
    first = [keys.pop("app.help")] if "app.help" in keys else []
    palette = screen.active_bindings.get(screen.app.COMMAND_PALETTE_BINDING)
    return first + list(keys.values()) + ([(palette.binding.key, palette.binding.action)] if palette else [])


async def test_screens_open_without_reparsing_every_stylesheet(make_app, professional, monkeypatch):
    def reparse(self):
        raise AssertionError("every stylesheet was parsed again for one screen's CSS file")

    monkeypatch.setattr(Stylesheet, "reparse", reparse)
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        # consent.tcss applies: the checklist's border and the reading pane's bar come from it.
        assert app.screen.query_one("#items").styles.border_top[0] == "round"
        assert app.screen.query_one("#reading").styles.border_left[0] == "thick"
        screen = await start_interview(pilot, app, record=False)
        await pilot.pause()
        # interview.tcss applies.
        assert screen.query_one("#outline").styles.max_width.value == 46
        assert screen.query_one("#note").styles.dock == "bottom"
    assert not app.return_code


async def test_the_interview_replaces_the_checklist(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await start_interview(pilot, app, record=False)
        assert not any(isinstance(s, ConsentScreen) for s in app.screen_stack)
        assert isinstance(app.screen_stack[-1], InterviewScreen)


async def test_the_footer_shows_what_textual_would_and_follows_focus(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query(FooterKey))
        await pilot.pause()
        assert footer_keys(app.screen) == expected_keys(app.screen)
        screen = await start_interview(pilot, app, record=False)
        await pilot.pause()
        keys = footer_keys(screen)
        assert keys == expected_keys(screen)
        assert ("f2", "mark('covered')") in keys and keys[0] == ("f1", "app.help")
        # Every key is compact from the start, as Footer(compact=True) makes them.
        assert all(k.has_class("-compact") for k in screen.query(FooterKey))
        # A focus that changes the keys rebuilds the footer to match.
        screen.set_focus(None)
        await pilot.pause()
        assert footer_keys(screen) == expected_keys(screen) != keys


async def test_the_footer_is_not_rebuilt_when_nothing_changed(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app, record=False)
        await pilot.pause()
        before = list(screen.query(FooterKey))
        for _ in range(3):
            screen.refresh_bindings()
        await pilot.pause()
        assert list(screen.query(FooterKey)) == before  # the same widgets: nothing was mounted again


def test_only_removed_keys_are_told_apart_from_other_changes():
    def shown(*entries, palette=("ctrl+p", True)):
        return tuple((key, action, key.upper(), action, True, "", group) for key, action, group in entries), True, True, palette

    a, b, c = ("f2", "covered", None), ("f3", "skip", None), ("pagedown", "next", None)
    assert only_removed(shown(a, b, c), shown(a, b)) == {("pagedown", "next")}
    assert only_removed(shown(a, b, c), shown(b)) == {("f2", "covered"), ("pagedown", "next")}
    assert only_removed(shown(a), shown(a, b)) is None  # a key came
    assert only_removed(shown(a, b), shown(b, a)) is None  # the order changed
    assert only_removed(shown(a, b), shown(a, palette=None)) is None  # the palette key went too
    grouped = ("f4", "probe", "group")
    assert only_removed(shown(a, grouped), shown(a)) is None  # groups are drawn differently


def test_the_startup_objects_are_frozen_once(make_app):
    make_app()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    make_app()
    assert gc.get_freeze_count() == frozen  # a second app does not keep the first one's garbage


async def test_a_real_resize_still_lays_the_screens_out(make_app, professional):
    """The screens skip only the Resize to the size they were just laid out at."""
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.query_one("#items").region.right <= 80
        screen = await start_interview(pilot, app, record=False)
        await pilot.pause()
        wide = screen.query_one("#note").region.width
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert screen.query_one("#note").region.width > wide
        assert screen.query_one("#question").region.right <= SIZE[0]


def count_reflows(screen) -> list:
    """Every full layout of ``screen`` from now on."""
    reflows = []
    reflow = screen._compositor.reflow

    def counted(*args, **kwargs):
        reflows.append(1)
        return reflow(*args, **kwargs)

    screen._compositor.reflow = counted
    return reflows


async def test_the_interview_screen_is_laid_out_again_only_when_something_changed(make_app, professional, recorders):
    from textual.widgets import Static

    app = make_app(StartRequest(guide=professional, participant="PR12"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app, record=True)
        await pilot.pause()
        reflows = count_reflows(screen)
        screen.refresh(layout=True)  # what a mount finishing, or another screen removed, asks
        app.refresh(layout=True)
        await pilot.pause()
        assert not reflows
        recorders.last.advance(75)  # the status line's clock moves, 10 times a second
        await pilot.pause(0.3)
        assert "01:15" in app.export_screenshot() and not reflows  # repainted, not laid out
        await screen.mount(Static("a new line", id="added"))  # a real change is laid out
        await pilot.pause()
        assert reflows and screen.query_one("#added").region.height == 1
        reflows.clear()
        screen.add_class("-changed")
        screen.refresh(layout=True)
        await pilot.pause()
        assert reflows


async def test_the_consent_header_has_its_title_from_the_start_and_follows_a_change(make_app, professional):
    from textual.widgets._header import HeaderTitle

    app = make_app(StartRequest(guide=professional, participant="PR13"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query(HeaderTitle))
        title = app.screen.query_one(HeaderTitle)
        assert "companion" in str(title.content)  # composed filled in, before any watcher ran
        await pilot.pause()
        app.sub_title = "a changed subtitle"
        await pilot.pause()
        assert "a changed subtitle" in str(title.render())


async def test_the_checklist_styles_each_widget_once_as_it_opens(make_app, professional, monkeypatch):
    """No second pass as the screen is first shown, no footer key or button styled again for a
    state it could be made with; only the list, which takes the focus, is styled for that."""
    from collections import Counter

    from textual import events

    styled: Counter = Counter()
    apply = Stylesheet.apply

    def counted(self, node, *args, **kwargs):
        styled[node] += 1
        return apply(self, node, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "apply", counted)
    app = make_app(StartRequest(guide=professional, participant="PR15"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        screen = app.screen
        again = {f"{type(w).__name__}#{w.id}": styled[w] for w in screen.walk_children() if styled[w] > 1}
        assert set(again) <= {"Checklist#items"}, again
        # Shown again (pushed or switched to once more; Textual's pop never restyles): restyled.
        styled.clear()
        screen.post_message(events.ScreenResume())
        await pilot.pause()
        assert styled[screen.query_one("#who")] == 1


async def test_the_blank_first_screen_does_not_repaint_the_checklist(make_app, professional):
    """The screen under every other repainting (as it did a moment after start) made the
    checklist draw itself in full once more, a frame after it was complete."""
    app = make_app(StartRequest(guide=professional, participant="PR16"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        drawn = []
        display = app._display
        app._display = lambda screen, update: (drawn.append(update), display(screen, update))
        app.screen_stack[0].refresh()
        await pilot.pause(0.1)
        assert [update for update in drawn if update is not None] == []
        await pilot.resize_terminal(100, 30)  # the checklist is still laid out and drawn anew
        await pilot.pause()
        assert app.screen.query_one("#items").region.right <= 100 and drawn
    app = make_app(StartRequest())
    async with app.run_test(size=SIZE) as pilot:  # on top (the home screen gone) it paints itself
        await wait_for(pilot, lambda: len(app.screen_stack) > 1)
        await pilot.pause()
        drawn = []
        display = app._display
        app._display = lambda screen, update: (drawn.append((screen, update)), display(screen, update))
        app.pop_screen()
        await pilot.pause()
        assert any(screen is app.screen_stack[0] and update is not None for screen, update in drawn)


async def layouts_as_it_opens(pilot, app, monkeypatch) -> list:
    """The full layouts of the interview screen from the s key until it is idle, each with
    the reason Textual had (a widget that asked, or the screen itself)."""
    from textual._compositor import Compositor

    layouts = []
    reflow = Compositor.reflow

    def counted(compositor, parent, size):
        if isinstance(parent, InterviewScreen):
            layouts.append(sorted(str(w) for w in parent._layout_widgets))
        return reflow(compositor, parent, size)

    await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
    for item in app.screen.interview.guide.preamble:
        if item.required:
            app.screen.interview.tick_consent(item.id)
    monkeypatch.setattr(Compositor, "reflow", counted)
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
    await pilot.pause(0.2)
    return layouts
