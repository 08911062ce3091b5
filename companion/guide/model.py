"""The topic guide as the rest of the companion sees it: plain frozen data.

Loading and validation live in ``companion.guide.loader`` (reading with marks in
``yaml_marks``, typed fields in ``fields``, the structure in ``build``, writing back in
``writing``); nothing here reads files.
Ids are stable and unique within a guide, so the event log can refer to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Iterator

AUDIENCES = ("professional", "service-user", "carer")


@dataclass(frozen=True)
class Study:
    name: str
    institution: str = ""
    project_end: date | None = None
    retention_years: int = 3


@dataclass(frozen=True)
class IdRule:
    """What a participant ID looks like, e.g. prefix ``PR``, pattern ``PR\\d{2,3}``, example ``PR11``."""

    prefix: str
    pattern: str
    example: str

    def matches(self, candidate: str) -> bool:
        return re.fullmatch(self.pattern, candidate) is not None


@dataclass(frozen=True)
class ConsentItem:
    """One preamble item, read through with the participant and ticked."""

    id: str
    text: str
    required: bool = False
    # True for the permission to record: unticked, the interview may still run, unrecorded.
    recording_permission: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    ask: str
    lead_in: str = ""  # said aloud before the question (framing, a statement)
    probes: tuple[str, ...] = ()  # follow-ups, each ticked when asked
    prompts: tuple[str, ...] = ()  # sub-prompts, e.g. under "Describe a time when…"; ticked too
    context: str = ""  # for the interviewer only: never read aloud
    present: str = ""  # said to the participant after they answer (e.g. a counter-view)
    distress: str = ""  # what to do if the participant becomes distressed; replaces the stage's
    optional: bool = False  # asked if time allows; the end summary keeps it apart from core questions


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str = ""  # said aloud when the stage opens
    note: str = ""  # for the interviewer only
    distress: str = ""  # what to do if the participant becomes distressed, for every question here

    def distress_for(self, question: Question) -> str:
        """The distress cue shown with ``question``: its own, else the stage's (never both)."""
        return question.distress or self.distress


@dataclass(frozen=True)
class ClosingItem:
    id: str
    text: str
    note: str = ""  # for the interviewer only


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    description: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Guide:
    id: str
    title: str
    audience: str
    study: Study
    participant_id: IdRule
    preamble: tuple[ConsentItem, ...]
    stages: tuple[Stage, ...]
    closing: tuple[ClosingItem, ...] = ()
    codebook: tuple[Code, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def questions(self) -> Iterator[tuple[Stage, Question]]:
        """Every question in order, with its stage."""
        for stage in self.stages:
            for question in stage.questions:
                yield stage, question

    @property
    def question_count(self) -> int:
        return sum(len(stage.questions) for stage in self.stages)

    def question(self, question_id: str) -> Question | None:
        found = self._by_question.get(question_id)
        return found[1] if found else None

    def stage_of(self, question_id: str) -> Stage | None:
        found = self._by_question.get(question_id)
        return found[0] if found else None

    @cached_property
    def _by_question(self) -> dict[str, tuple[Stage, Question]]:
        """Question id -> (stage, question), made once: the fold and a listing look up
        every mark of every log. The first of a repeated id wins, as a scan in order would."""
        found: dict[str, tuple[Stage, Question]] = {}
        for stage, question in self.questions():
            found.setdefault(question.id, (stage, question))
        return found

    def code(self, code_id: str) -> Code | None:
        return next((c for c in self.codebook if c.id == code_id), None)
