"""At 80×24 — a small laptop terminal — every question of every shipped guide shows, without
scrolling, what the interviewer must see: the question, the distress cue, and any counter-view
to present. The rest (context, probes, prompts) may scroll, and then the panel says so."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.ui.app import StartRequest
from companion.ui.widgets.question_panel import MUST_SEE, QuestionPanel

from .test_interview_flow import start_interview


def within(inner, outer) -> bool:
    return (
        inner.x >= outer.x and inner.y >= outer.y
        and inner.right <= outer.right and inner.bottom <= outer.bottom
    )  # fmt: skip


@pytest.mark.parametrize("name", ["professional", "service-user", "carer"])
async def test_must_see_parts_of_every_question_are_in_view_at_80x24(make_app, name):
    guide = load_guide(shipped_guides_dir() / f"{name}.yaml")
    app = make_app(StartRequest(guide=guide, participant=guide.participant_id.example))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_interview(pilot, app)
        panel = screen.query_one(QuestionPanel)
        body = panel.query_one("#question-body", VerticalScroll)
        hidden = []
        for index, (stage, question) in enumerate(screen.interview.flat):
            screen.interview.go_to(index)
            screen.refresh_all()
            await pilot.pause()
            assert body.scroll_y == 0, question.id  # a new question starts at its top
            expected = {"#ask": True, "#present": bool(question.present),
                        "#distress": bool(stage.distress_for(question))}  # fmt: skip
            for part in MUST_SEE:
                widget = panel.query_one(part, Static)
                assert widget.display == expected[part], (question.id, part)
                if widget.display and not within(widget.region, body.content_region):
                    hidden.append((question.id, part))
            overflowing = body.max_scroll_y > 0
            more = panel.query_one("#question-more", Static)
            assert more.display == overflowing, question.id
            if overflowing:
                assert "more below" in str(more.render())
        assert hidden == []


async def test_the_rest_scrolls_with_the_arrow_keys_and_says_so(make_app):
    guide = load_guide(shipped_guides_dir() / "service-user.yaml")
    app = make_app(StartRequest(guide=guide, participant="SU106"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_interview(pilot, app)
        panel = screen.query_one(QuestionPanel)
        body = panel.query_one("#question-body", VerticalScroll)
        for index in range(len(screen.interview.flat)):  # the first question with more than fits
            screen.interview.go_to(index)
            screen.refresh_all()
            await pilot.pause()
            if body.max_scroll_y > 0:
                break
        assert body.max_scroll_y > 0
        for _ in range(20):
            await pilot.press("down")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        assert "more above" in str(panel.query_one("#question-more", Static).render())
        assert screen.query_one("#note").has_focus  # typing a note is never interrupted
