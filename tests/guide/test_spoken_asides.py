"""No shipped guide reads an interviewer's aside aloud.

The seed topic guide mixes questions with notes the interviewer wrote to themselves
("What are their views…", "(They may not agree.)"). Everything the participant hears —
stage intros, lead-ins, questions, probes, prompts, counter-views to present, the
preamble and the closing — must be free of them; asides belong in `context`, `note` or
`distress`, which the screen shows to the interviewer only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.guide.loader import load_guide
from companion.guide.model import Guide

GUIDES = Path(__file__).resolve().parents[2] / "guides"

# Words that, heard by the participant, can only be the interviewer talking to themselves.
ASIDES = (
    "their views",          # the seed's note-to-self for "your views"
    "they may not agree",
    "unravelling the issues",
    "the participant",
    "interviewer",
    "explain wrap",
    "don't press",
    "offer a break",
)  # fmt: skip


def heard(guide: Guide) -> list[tuple[str, str]]:
    """(where, text) for everything said aloud, in order."""
    said = [(f"preamble {i.id}", i.text) for i in guide.preamble]
    for stage, q in guide.questions():
        said += [(f"stage {stage.id} intro", stage.intro)]
        said += [(f"{q.id} {part}", text) for part, text in
                 [("lead_in", q.lead_in), ("ask", q.ask), ("present", q.present)]]  # fmt: skip
        said += [(f"{q.id} probe", text) for text in q.probes + q.prompts]
    return said + [(f"closing {i.id}", i.text) for i in guide.closing]


def asides_in(text: str) -> list[str]:
    words = re.sub(r"\s+", " ", text.replace("\u2019", "'")).lower()
    return [aside for aside in ASIDES if aside in words]


def test_the_check_catches_the_seed_line_it_was_written_for():
    assert asides_in("What are their views on service user and carer\nled research?") == ["their views"]
    assert asides_in("What are your views on service user and carer led research?") == []


@pytest.mark.parametrize("name", ["professional", "service-user", "carer"])
def test_no_aside_is_read_aloud(name):
    guide = load_guide(GUIDES / f"{name}.yaml")
    found = [(where, asides_in(text)) for where, text in heard(guide) if asides_in(text)]
    assert found == []
