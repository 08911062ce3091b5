"""SVG snapshots of the questions that carry the most at once — a counter-view, a distress
cue, interviewer context, probes — at a small laptop's 80×24 and a comfortable 120×40.
Update with --snapshot-update after checking the pictures."""

from __future__ import annotations

import pytest

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.ui.app import StartRequest

from companion.ui.widgets.question_panel import QuestionPanel

from .conftest import steady, wait_for
from .test_interview_flow import start_interview

WORST = [("service-user", "su-wellness-plan"), ("carer", "c-own-wellbeing"), ("professional", "middle-paternalism")]


def at_question(question_id: str):
    async def run(pilot):
        screen = await start_interview(pilot, pilot.app)
        index = next(i for i, (_, q) in enumerate(screen.interview.flat) if q.id == question_id)
        screen.interview.go_to(index)
        screen.refresh_all()
        await settled(pilot, screen)
        pilot.app.clear_notifications()

    return run


async def settled(pilot, screen) -> None:
    """The panel has laid out the new question and says whether there is more: the
    'more' line follows the layout by a refresh, and a busy machine must not catch it halfway."""
    panel = screen.query_one(QuestionPanel)
    body = panel.query_one("#question-body")
    more = panel.query_one("#question-more")
    await pilot.pause()
    await wait_for(pilot, lambda: more.display == (body.max_scroll_y > 0))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(("guide_name", "question_id"), WORST, ids=[q for _, q in WORST])
def test_question_snapshot(make_app, snap_compare, guide_name, question_id, size):
    guide = load_guide(shipped_guides_dir() / f"{guide_name}.yaml")
    app = make_app(StartRequest(guide=guide, participant=guide.participant_id.example))
    assert snap_compare(app, terminal_size=size, run_before=steady(at_question(question_id)))


def test_early_diagnosis_presents_its_counter_view_at_80x24(make_app, snap_compare):
    guide = load_guide(shipped_guides_dir() / "professional.yaml")
    app = make_app(StartRequest(guide=guide, participant="PR11"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady(at_question("early-diagnosis")))


def test_end_summary_keeps_optional_apart(make_app, snap_compare):
    """The end screen of a service-user interview: flags, the closing reminders (debrief,
    contacts sheet), core questions not covered, then the optional ones apart."""
    guide = load_guide(shipped_guides_dir() / "service-user.yaml")

    async def run(pilot):
        await start_interview(pilot, pilot.app)
        for _ in range(3):
            await pilot.press("f2", "pagedown")
        await pilot.press("f9")
        await pilot.pause()
        pilot.app.clear_notifications()

    app = make_app(StartRequest(guide=guide, participant="SU106"))
    assert snap_compare(app, terminal_size=(100, 40), run_before=steady(run))
