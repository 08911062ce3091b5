"""Optional questions and ticked prompts: the fold keeps them, and every export that names
questions says which were optional and which prompts were asked — read back by parsers
that are not the exporters."""

from __future__ import annotations

import dataclasses

import pytest

from companion.export.audacity import render_audacity
from companion.export.elan import render_eaf
from companion.export.markdown import render_md
from companion.export.table import render_csv
from companion.review.fold import COVERED, NOT_REACHED, SHOWN, fold

from .conftest import Log, make_guide


@pytest.fixture
def guide():
    """The test guide with 'first-meeting' given prompts and 'carers' and 'exit' made optional."""
    base = make_guide()
    stages = []
    for stage in base.stages:
        questions = []
        for q in stage.questions:
            if q.id == "first-meeting":
                q = dataclasses.replace(q, prompts=("What was happening?", "What made it go well?", "What changed?"))
            if q.id in ("carers", "exit"):
                q = dataclasses.replace(q, optional=True)
            questions.append(q)
        stages.append(dataclasses.replace(stage, questions=tuple(questions)))
    return dataclasses.replace(base, stages=tuple(stages))


@pytest.fixture
def view(guide):
    log = Log()
    log.add(0.0, "session.start", participant="PR11", guide="professional")
    log.add(0.0, "recording.start", mode="audio", segment=1)
    log.add(1.0, "question.shown", question="first-meeting", stage="early")
    log.add(5.0, "prompt.covered", question="first-meeting", prompt=2, text="What changed?")
    log.add(6.0, "prompt.covered", question="first-meeting", prompt=0, text="What was happening?")
    log.add(7.0, "prompt.covered", question="first-meeting", prompt=0, text="What was happening?")  # twice: once
    log.add(9.0, "question.covered", question="first-meeting", stage="early")
    log.add(10.0, "question.shown", question="carers", stage="middle")
    log.add(12.0, "note", text="Her mother is involved", codes=[], question="carers", stage="middle")
    log.add(14.0, "recording.break")
    log.add(14.0, "recording.resume")
    log.add(20.0, "recording.stop")
    log.add(20.0, "session.end", status="complete")
    return fold(guide, log.events)


def test_the_fold_keeps_prompts_ticked_and_which_questions_are_optional(view):
    meeting = view.coverage["first-meeting"]
    assert meeting.prompts == (0, 2) and meeting.probes == () and meeting.state == COVERED
    assert [e.prompt for e in view.coverage_events if e.type == "prompt.covered"] == [2, 0, 0]
    assert {q: c.optional for q, c in view.coverage.items()} == {
        "background": False, "early-goal": False, "first-meeting": False, "stuck": False, "carers": True, "exit": True,
    }
    assert [c.question for c in view.not_covered(optional=False)] == ["background", "early-goal", "stuck"]
    assert [(c.question, c.state) for c in view.not_covered(optional=True)] == [("carers", SHOWN), ("exit", NOT_REACHED)]
    assert view.states(optional=True)[NOT_REACHED] == 1 and view.states(optional=False)[NOT_REACHED] == 3


def test_a_prompt_tick_alone_shows_the_question_was_reached(guide):
    log = Log()
    log.add(3.0, "prompt.covered", question="first-meeting", prompt=1, text="What made it go well?")
    cov = fold(guide, log.events).coverage["first-meeting"]
    assert (cov.state, cov.prompts, cov.stage) == (SHOWN, (1,), "early")


def test_md_lists_prompts_asked_and_keeps_optional_apart(view):
    text = render_md(view)
    assert "*first-meeting — core, covered*" in text
    assert "Prompts asked: What was happening?; What changed?" in text
    assert "*carers — optional, shown, not marked*" in text
    core, optional = text.split("### Core questions")[1].split("### Optional questions")
    assert "(stuck): not reached" in core and "(exit)" not in core
    assert "(exit): not reached" in optional and "(carers): shown, not marked" in optional


def test_csv_has_a_row_per_prompt_tick_and_says_core_or_optional(view, readers):
    rows = readers.csv(render_csv(view))
    prompts = [(r["question"], r["text"], r["optional"]) for r in rows if r["type"] == "prompt.covered"]
    assert prompts == [("first-meeting", "What changed?", "core"), ("first-meeting", "What was happening?", "core"),
                       ("first-meeting", "What was happening?", "core")]
    [note] = [r for r in rows if r["type"] == "note"]
    assert note["optional"] == "optional"
    assert {r["optional"] for r in rows if not r["question"]} == {""}


def test_eaf_and_audacity_mark_optional_questions(view, readers, tmp_path):
    tiers = readers.eaf(render_eaf(view), tmp_path)
    assert [v for _, _, v in tiers["question"]] == [
        "Describe a first meeting that went well.", "(optional) What role do carers play?",
    ]
    labels = [t for _, _, t in readers.audacity(render_audacity(view)) if t.startswith("Q ")]
    assert labels == ["Q first-meeting", "Q carers (optional)"]


def test_the_report_tells_core_from_optional_questions_never_covered(tmp_path, guide):
    """Across sessions a core question never covered is a gap; an optional one may be by design."""
    from companion.commands.report import format_report
    from companion.review.report import store_reports
    from companion.store import Store

    writer = Store(tmp_path).create(guide, "PR11")
    writer.append("question.shown", 1.0, question="background", stage="context")
    writer.append("question.covered", 2.0, question="background", stage="context")
    writer.close()
    reports, skipped = store_reports(Store(tmp_path))
    assert skipped == [] and {q.question: q.optional for q in reports[0].questions} == {
        "background": False, "early-goal": False, "first-meeting": False, "stuck": False, "carers": True, "exit": True}
    assert reports[0].to_json()["questions"][-1]["optional"] is True
    text = format_report(reports[0])
    assert "Core questions never covered: early-goal, first-meeting, stuck\n" in text
    assert "Optional questions never covered: carers, exit\n" in text
    rows = {line.split()[1]: line.split()[2] for line in text.splitlines() if line.startswith(("context ", "middle "))}
    assert rows == {"background": "core", "stuck": "core", "carers": "optional"}
