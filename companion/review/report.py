"""Across sessions: for each question of a guide, in how many sessions it was covered,
skipped, shown but not marked, or never reached; and how often each code was used."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from companion.review.fold import COVERAGE_STATES, SessionView


@dataclass
class QuestionTally:
    stage: str
    question: str
    ask: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COVERAGE_STATES, 0))

    @property
    def sessions(self) -> int:
        """Sessions whose guide copy held this question."""
        return sum(self.counts.values())


@dataclass
class CodeTally:
    code: str
    label: str
    notes: int  # notes tagged with it (after re-tagging)
    sessions: int  # sessions with at least one such note


@dataclass
class GuideReport:
    guide: str
    title: str
    sessions: int
    questions: list[QuestionTally]
    codes: list[CodeTally]

    def to_json(self) -> dict:
        return {
            "guide": self.guide,
            "title": self.title,
            "sessions": self.sessions,
            "questions": [{"stage": q.stage, "question": q.question, "ask": q.ask, **q.counts} for q in self.questions],
            "codes": [vars(c) for c in self.codes],
        }


def tally(views: list[SessionView]) -> list[GuideReport]:
    """One report per guide id, in order of first appearance."""
    groups: dict[str, list[SessionView]] = {}
    for view in views:
        groups.setdefault(view.guide.id, []).append(view)
    return [_report(group) for group in groups.values()]


def _report(views: list[SessionView]) -> GuideReport:
    # The newest guide copy gives the order; questions only older copies held follow it.
    newest = views[-1].guide
    questions: dict[str, QuestionTally] = {}
    for view in [views[-1], *views[:-1]]:
        for stage, question in view.guide.questions():
            questions.setdefault(question.id, QuestionTally(stage.id, question.id, question.ask))
    labels = {}
    for view in views:
        labels.update({c.id: c.label for c in view.guide.codebook})
    labels.update({c.id: c.label for c in newest.codebook})
    notes, sessions = Counter(), Counter()
    for view in views:
        for cov in view.coverage.values():
            questions[cov.question].counts[cov.state] += 1
        used = Counter(code for note in view.notes for code in note.codes)
        notes.update(used)
        sessions.update(used.keys())
    codes = [CodeTally(code, labels.get(code, code), notes[code], sessions[code])
             for code in sorted(notes, key=lambda c: (-notes[c], c))]
    codes += [CodeTally(c.id, c.label, 0, 0) for c in newest.codebook if c.id not in notes]
    return GuideReport(newest.id, newest.title, len(views), list(questions.values()), codes)


def store_views(store, guide: str | None = None, keyring=None) -> tuple[list[SessionView], list[str]]:
    """Every session of a store folded (of one guide when given), and the ones that could not be read.
    Encrypted sessions need ``keyring`` (the study's private key)."""
    from companion.review.fold import fold

    views, skipped = [], []
    for summary in store.sessions():
        if guide and summary.guide != guide:
            continue
        record = store.open(summary.path, keyring)
        if record.guide is None:
            skipped.append(f"skipped {summary.ref}: its guide copy cannot be read")
            continue
        views.append(fold(record.guide, record.events, record.meta))
    return views, skipped
