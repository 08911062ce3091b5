"""Across sessions: for each question of a guide, in how many sessions it was covered,
skipped, shown but not marked, or never reached; and how often each code was used."""

from __future__ import annotations

from collections import Counter

from dataclasses import dataclass, field

from companion.review.fold import COVERAGE_STATES


@dataclass
class QuestionTally:
    stage: str
    question: str
    ask: str
    optional: bool = False
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
            "questions": [{"stage": q.stage, "question": q.question, "ask": q.ask, "optional": q.optional, **q.counts}
                          for q in self.questions],
            "codes": [vars(c) for c in self.codes],
        }


def store_reports(store, guide: str | None = None, keyring=None) -> tuple[list[GuideReport], list[str]]:
    """One report per guide id (in order of first appearance) over every session of a store,
    from its index: no log is read unless it changed, no session's view is kept, and each
    distinct guide copy was parsed once. Also the sessions left out, one line each."""
    summaries = store.sessions()
    hashes = store.index.guide_hashes([s.ref for s in summaries])
    groups: dict[str, list[tuple[str, str]]] = {}
    skipped = []
    for summary in summaries:
        if guide and summary.guide != guide:
            continue
        if not hashes.get(summary.ref):
            skipped.append(f"skipped {summary.ref}: its guide copy cannot be read")
            continue
        groups.setdefault(summary.guide, []).append((summary.ref, hashes[summary.ref]))
    sealed = sealed_codes(store, [ref for group in groups.values() for ref, _ in group], keyring)
    return [_report(store.index, group, sealed) for group in groups.values()], skipped


def sealed_codes(store, refs: list[str], keyring) -> dict[str, Counter]:
    """The codes of encrypted sessions' notes (the index never holds them: they are sealed),
    read with the study's key; KeyRequired without it."""
    from companion.review.fold import fold

    sealed = [ref for ref in refs if (store.root / ref / "datakey-01.age").exists()]
    if sealed and keyring is None:
        from companion.crypto.errors import KeyRequired

        raise KeyRequired(f"{len(sealed)} session(s) in {store.root} are encrypted: the report counts their "
                          "codes with the study's private key: give --key FILE.")
    out = {}
    for ref in sealed:
        record = store.open(ref, keyring)
        view = fold(record.guide, record.events, record.meta)
        out[ref] = Counter(code for note in view.notes for code in note.codes)
    return out


def _report(index, group: list[tuple[str, str]], sealed: dict[str, Counter]) -> GuideReport:
    refs = [ref for ref, _ in group]
    copies = list(dict.fromkeys(h for _, h in group))  # distinct guide copies, oldest session first
    guides = index.guides(copies)
    newest = guides[group[-1][1]]
    # The newest guide copy gives the order; questions only older copies held follow it.
    questions: dict[str, QuestionTally] = {}
    labels: dict[str, str] = {}
    for copy in [newest.hash, *copies]:
        for stage, question, ask, optional in guides[copy].questions:
            questions.setdefault(question, QuestionTally(stage, question, ask, optional))
    for copy in [*copies, newest.hash]:
        labels.update(dict(guides[copy].codebook))
    for (question, state), n in index.coverage_counts(refs).items():
        if question in questions:
            questions[question].counts[state] += n
    used = index.code_counts(refs)
    for ref in refs:  # an encrypted session's codes, read with the key
        for code, n in sealed.get(ref, Counter()).items():
            notes, sessions = used.get(code, (0, 0))
            used[code] = (notes + n, sessions + 1)
    codes = [CodeTally(code, labels.get(code, code), notes, sessions)
             for code, (notes, sessions) in sorted(used.items(), key=lambda item: (-item[1][0], item[0]))]
    codes += [CodeTally(code, label, 0, 0) for code, label in newest.codebook if code not in used]
    return GuideReport(newest.id, newest.title, len(group), list(questions.values()), codes)
