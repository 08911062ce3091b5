"""Leaving the consent checklist asks first: keep the session to resume, discard it (a
mistyped participant ID caught before the start), or stay. Checked on the store on disk."""

from __future__ import annotations

import json
from pathlib import Path

from companion.store import Store
from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.pickers import LeaveChecklistScreen

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, tick_items


async def at_checklist(pilot, app) -> ConsentScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
    screen = app.screen
    await wait_for(pilot, lambda: screen.interview.recorder is not None)  # the session exists
    await tick_items(pilot, screen, {"record"})
    return screen


async def test_escape_asks_and_a_second_escape_stays(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR41"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_checklist(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveChecklistScreen))
        assert "PR41" in str(app.screen.query_one("Label").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("down", "space")  # the checklist still takes keys
        await wait_for(pilot, lambda: len(screen.interview.consent) == 2)
        assert not screen.interview.ended


async def test_k_keeps_the_session_to_resume(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR42"))
    async with app.run_test(size=SIZE) as pilot:
        await at_checklist(pilot, app)
        await pilot.press("escape", "k")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    [summary] = Store(Path("sessions")).sessions()
    assert (summary.participant, summary.status) == ("PR42", "interrupted")
    assert ("consent.tick", "record") in [(e["type"], e.get("item")) for e in read_events(Path("sessions"))]


async def test_d_discards_a_wrong_id_and_logs_it(make_app, professional, recorders):
    """PR24 typed for PR42: the session under the wrong ID goes, and only it — another
    session already held for PR24 is left alone (withdrawing PR24 would have taken it)."""
    earlier = Store(Path("sessions")).create(professional, "PR24")
    earlier.close()
    app = make_app(StartRequest(guide=professional, participant="PR24"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_checklist(pilot, app)
        ref = screen.interview.writer.name
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "discarded" in str(app.screen.query_one("#saved").render())
    assert [s.session for s in Store(Path("sessions")).sessions()] == [earlier.session_id]
    [deleted] = [json.loads(line) for line in Path("sessions/purge-log.jsonl").read_text().splitlines()]
    assert (f"{deleted['participant']}/{deleted['session']}", deleted["reason"]) == (ref, "discarded before the start")
    audit = [json.loads(line) for line in Path("sessions/audit-log.jsonl").read_text().splitlines()]
    assert [(e["command"], e["sessions"], e["outcome"]) for e in audit] == [("discard", [ref], "ok")]


async def test_a_session_that_cannot_be_closed_keeps_the_checklist_usable(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR43"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_checklist(pilot, app)
        finish = screen.interview.finish

        def full_disk(status):
            raise OSError(28, "No space left on device")

        screen.interview.finish = full_disk
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: any("could not be closed" in n.message for n in app._notifications))
        assert app.screen is screen
        screen.interview.finish = finish  # the disk freed: leaving works again
        await pilot.press("escape", "k")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_discard_that_cannot_be_logged_says_it_was_done(make_app, professional, recorders, monkeypatch):
    """The deletion happened and the audit log then failed: the home screen must not claim the
    session was kept."""
    from companion import audit

    record = audit.record

    def failing(root, command, sessions, outcome):
        if outcome == "ok":
            raise audit.AuditError("Cannot write the audit log: disk full.")
        return record(root, command, sessions, outcome)

    monkeypatch.setattr(audit, "record", failing)
    app = make_app(StartRequest(guide=professional, participant="PR44"))
    async with app.run_test(size=SIZE) as pilot:
        await at_checklist(pilot, app)
        await pilot.press("escape", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: "PR44" in str(app.screen.query_one("#saved").render()))
        said = str(app.screen.query_one("#saved").render())
    assert "was discarded, but" in said and "Cannot write the audit log" in said
    assert not list(Path("sessions").glob("PR44/*"))


async def test_ctrl_q_at_the_checklist_asks_as_escape_does(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR47"))
    async with app.run_test(size=SIZE) as pilot:
        await at_checklist(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, LeaveChecklistScreen))
        assert app.is_running
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
