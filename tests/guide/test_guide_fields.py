"""The guide fields that carry the interview's care: `optional`, `present`, `distress`
(stage and question) and closing notes — loaded, checked with located messages, and
kept in the copy a session keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.guide.loader import GuideError, guide_data, load_guide_text

VALID = Path(__file__).resolve().parent / "valid"


def with_fields(mini_text: str) -> str:
    text = mini_text.replace(
        "    note: Keep it brief.\n",
        "    note: Keep it brief.\n    distress: Pause the recording and check in.\n",
    )
    text = text.replace(
        "        context: (They may not agree.)\n",
        "        context: (They may not agree.)\n"
        "        present: Some say it is not. What do you make of that?\n"
        "        optional: true\n",
    )
    text = text.replace(
        "          - What was happening?\n",
        "          - What was happening?\n        distress: This can bring back hard times; go gently.\n",
    )
    return text.replace(
        "    text: Anything else you wish to say?\n",
        "    text: Anything else you wish to say?\n    note: Leave time for this.\n",
    )


def test_new_fields_load_into_the_model(mini_text):
    guide = load_guide_text(with_fields(mini_text), "g.yaml", VALID)
    goal, example = guide.question("early-goal"), guide.question("example")
    assert goal.optional and not example.optional and not guide.question("background").optional
    assert goal.present == "Some say it is not. What do you make of that?"
    early = guide.stage_of("early-goal")
    assert early.distress == "Pause the recording and check in."
    # A question's own cue replaces its stage's: the screen shows one, never both.
    assert early.distress_for(goal) == "Pause the recording and check in."
    assert early.distress_for(example) == "This can bring back hard times; go gently."
    assert guide.closing[0].note == "Leave time for this."


def test_new_fields_are_kept_in_the_session_copy(mini_text):
    guide = load_guide_text(with_fields(mini_text), "g.yaml", VALID)
    data = guide_data(guide)
    question = data["stages"][1]["questions"][0]
    assert list(question) == ["id", "ask", "present", "probes", "context", "optional"]
    assert data["stages"][1]["distress"] and data["closing"][0]["note"] == "Leave time for this."
    assert "optional" not in data["stages"][1]["questions"][1]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("        context: (They may not agree.)\n", "        context: (They may not agree.)\n        optinal: true\n",
         "unknown key 'optinal' in question 'early-goal' — did you mean 'optional'?"),
        ("    note: Keep it brief.\n", "    note: Keep it brief.\n    distres: Pause.\n",
         "unknown key 'distres' in stage 'early' — did you mean 'distress'?"),
        ("        context: (They may not agree.)\n", "        context: (They may not agree.)\n        presnt: A view.\n",
         "unknown key 'presnt' in question 'early-goal' — did you mean 'present'?"),
        ("        context: (They may not agree.)\n", "        context: (They may not agree.)\n        optional: maybe\n",
         "'optional' in question 'early-goal' should be true or false, not text ('maybe')"),
        ("        context: (They may not agree.)\n", "        context: (They may not agree.)\n        present: 42\n",
         "'present' in question 'early-goal' should be text, not a number (42) — put it in quotes"),
        ("    text: Anything else you wish to say?\n", "    text: Anything else you wish to say?\n    notes: x\n",
         "unknown key 'notes' in closing item 'anything-else' — did you mean 'note'?"),
    ],
    ids=["misspelt-optional", "misspelt-distress", "misspelt-present", "optional-not-boolean", "present-number", "closing-notes"],
)
def test_new_fields_are_checked_with_located_messages(mini_text, old, new, expected):
    assert old in mini_text
    text = mini_text.replace(old, new)
    with pytest.raises(GuideError) as caught:
        load_guide_text(text, "g.yaml", VALID)
    [problem] = caught.value.problems
    line = text[: text.index(new) + len(old)].count("\n") + 1  # the added line
    assert problem.startswith(f"g.yaml:{line}:") and expected in problem, problem


def test_a_stage_distress_cue_may_be_shared_with_a_yaml_alias(mini_text):
    text = mini_text.replace("    title: Context\n", "    title: Context\n    distress: &cue Pause and check in.\n")
    text = text.replace("    note: Keep it brief.\n", "    note: Keep it brief.\n    distress: *cue\n")
    guide = load_guide_text(text, "g.yaml", VALID)
    assert [s.distress for s in guide.stages] == ["Pause and check in.", "Pause and check in."]
