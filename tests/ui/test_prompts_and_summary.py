"""Prompts are ticked like probes and land in the log; a resumed interview remembers them;
the end summary keeps core questions apart from optional ones; each reminder shows once."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from types import SimpleNamespace

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.interview import Interview
from companion.ui.app import StartRequest
from companion.ui.screens.end import render_summary
from companion.ui.screens.pickers import PromptScreen
from companion.ui.widgets.question_text import render_context, render_distress, render_follow_ups

from .conftest import read_events, wait_for
from .test_interview_flow import start_interview


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, color_system=None, file=io.StringIO())
    console.print(app.screen._compositor)
    return console.export_text()


async def go_to(pilot, screen, question_id: str) -> None:
    index = next(i for i, (_, q) in enumerate(screen.interview.flat) if q.id == question_id)
    screen.interview.go_to(index)
    screen.refresh_all()
    await pilot.pause()


async def test_prompts_are_ticked_from_the_keyboard_and_logged(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_interview(pilot, app)
        await go_to(pilot, screen, "example-worked-well")
        recorders.last.advance(30)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("2")
        await wait_for(pilot, lambda: app.screen is screen)
        recorders.last.advance(5)
        await pilot.press("f4")  # no probes here: F4 opens the prompts instead of a dead end
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("enter")  # the highlighted first prompt
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.interview.prompts == {"example-worked-well": {0, 1}}
        assert "[x] 2." in screen_text(app) and "[x] 1." in screen_text(app)
    events = read_events(Path("sessions"))
    ticks = [(e["question"], e["prompt"], e["text"], e["t"]) for e in events if e["type"] == "prompt.covered"]
    question = professional.question("example-worked-well")
    assert ticks == [("example-worked-well", 1, question.prompts[1], 30.0),
                     ("example-worked-well", 0, question.prompts[0], 35.0)]


def test_a_resumed_interview_remembers_its_ticked_prompts(professional):
    interview = Interview(writer=None, recorder=None, guide=professional)
    interview.restore([
        {"type": "question.shown", "question": "example-worked-poorly", "stage": "examples"},
        {"type": "prompt.covered", "question": "example-worked-poorly", "prompt": 3, "text": "…"},
        {"type": "probe.covered", "question": "middle-paternalism", "probe": 1, "text": "…"},
    ])
    assert interview.prompts == {"example-worked-poorly": {3}}
    assert interview.probes == {"middle-paternalism": {1}}


def fake_interview(guide, covered=(), shown=()):
    flat = list(guide.questions())
    return SimpleNamespace(guide=guide, flat=flat, notes=[], flags=[], shown=set(shown),
                           coverage={q: "covered" for q in covered}, probes={}, prompts={})


def test_the_end_summary_keeps_optional_not_reached_apart_from_core():
    guide = load_guide(shipped_guides_dir() / "service-user.yaml")
    core = [q.id for _, q in guide.questions() if not q.optional]
    optional = [q.id for _, q in guide.questions() if q.optional]
    text = render_summary(fake_interview(guide, covered=core[:-1], shown=[optional[0]])).plain
    core_part, optional_part = text.split("Optional questions:")
    assert f"Core questions: {len(core) - 1} of {len(core)} covered" in core_part
    assert core_part.count("(core, not reached)") == 1 and "(optional" not in core_part
    assert f"0 of {len(optional)} covered" in optional_part
    assert optional_part.count("(optional, not reached)") == len(optional) - 1
    assert optional_part.count("(optional, shown, not marked)") == 1


def test_a_reminder_in_both_the_stage_note_and_the_question_shows_once():
    guide = load_guide(shipped_guides_dir() / "carer.yaml")
    stage, question = next(guide.questions())
    stage = dataclasses.replace(stage, note="Offer a break if they need one.")
    question = dataclasses.replace(question, context="Offer a break if they need one.")
    assert render_context(SimpleNamespace(stage=stage, question=question)) == "Offer a break if they need one."


def test_a_question_distress_cue_replaces_the_stages():
    guide = load_guide(shipped_guides_dir() / "carer.yaml")
    stage = guide.stage_of("c-crisis")
    crisis, included = guide.question("c-crisis"), guide.question("c-included")
    assert render_distress(SimpleNamespace(stage=stage, question=crisis)) == crisis.distress
    assert render_distress(SimpleNamespace(stage=stage, question=included)) == stage.distress


def test_ticked_follow_ups_show_as_ticked():
    guide = load_guide(shipped_guides_dir() / "carer.yaml")
    question = guide.question("c-example-poorly")
    interview = SimpleNamespace(question=question, probes={}, prompts={question.id: {1}})
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    console.print(render_follow_ups(interview))
    lines = console.export_text().splitlines()
    assert lines[0].startswith("Prompts")
    assert lines[1].startswith("[ ] 1.") and lines[2].startswith("[x] 2.")
