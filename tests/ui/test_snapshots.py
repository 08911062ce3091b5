"""SVG snapshots of the key screens (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

from companion.ui.app import StartRequest

from .conftest import steady, wait_for
from .test_interview_flow import start_interview, type_note


def test_home(make_app, snap_compare):
    async def loaded(pilot):
        await wait_for(pilot, lambda: hasattr(pilot.app.screen, "guides"))

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steady(loaded))


def test_consent(make_app, professional, snap_compare):
    async def consent(pilot):
        from companion.ui.screens.consent import ConsentScreen

        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConsentScreen))
        await pilot.press("space")

    app = make_app(StartRequest(guide=professional, participant="PR11"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=steady(consent))


def interview_with_notes(recorders):
    async def run(pilot):
        await start_interview(pilot, pilot.app)
        recorders.last.advance(75)
        await type_note(pilot, recorders.last, "Twenty years as a CPN; now team lead")
        await pilot.press("f2", "pagedown")
        recorders.last.advance(20)
        await type_note(pilot, recorders.last, "Took part because carers are not heard")
        await wait_for(pilot, lambda: all(n.status == "saved" for n in pilot.app.screen.interview.notes))
        await pilot.press("f6", "q")
        await pilot.pause()
        pilot.app.clear_notifications()  # toasts expire on a timer: keep them out of the picture

    return run


def test_interview_80x24(make_app, professional, recorders, snap_compare):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady(interview_with_notes(recorders)))


def test_interview_120x40(make_app, professional, recorders, snap_compare):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=steady(interview_with_notes(recorders)))


def test_end_summary(make_app, professional, recorders, snap_compare):
    async def run(pilot):
        await interview_with_notes(recorders)(pilot)
        await pilot.press("f9")
        await pilot.pause()
        pilot.app.clear_notifications()

    app = make_app(StartRequest(guide=professional, participant="PR11"))
    assert snap_compare(app, terminal_size=(100, 40), run_before=steady(run))


def test_interview_light_theme(make_app, professional, recorders, snap_compare):
    async def run(pilot):
        pilot.app.theme = "textual-light"
        await interview_with_notes(recorders)(pilot)

    app = make_app(StartRequest(guide=professional, participant="PR11"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=steady(run))


def test_interview_no_color(make_app, professional, recorders, snap_compare, monkeypatch):
    """With NO_COLOR every state still reads: words and marks, not colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=steady(interview_with_notes(recorders)))
