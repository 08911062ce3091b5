"""Fold an event log into a SessionView: the one read model every view uses.

The end-of-interview summary, the review screens, the exports and the
cross-session report all read a session through ``fold``; none keeps a second
source of truth. Corrections and re-tags are later events applied here, so the
original log is never rewritten.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from companion.guide.model import Guide

# Coverage states of a question, as every view names them.
COVERED = "covered"
SKIPPED = "skipped"
SHOWN = "shown-not-marked"
NOT_REACHED = "not-reached"
COVERAGE_STATES = (COVERED, SKIPPED, SHOWN, NOT_REACHED)

# A note is typed at a point in time; views that need a span give it at most this long.
POINT_SPAN = 4.0

# Events written after the interview (corrections) or that only edit earlier
# events carry no moment of their own on the timeline.
EDIT_TYPES = frozenset({"note.tagged", "note.corrected"})
COVERAGE_TYPES = frozenset({"question.shown", "question.covered", "question.skipped", "probe.covered", "prompt.covered"})
FOLLOW_UP_TYPES = frozenset({"probe.covered", "prompt.covered"})  # ticks under a question


@dataclass
class FlagView:
    seq: int
    kind: str
    t: float
    end: float
    note: int | None
    text: str
    question: str | None
    stage: str | None


@dataclass
class NoteView:
    seq: int
    t: float
    end: float
    text: str
    codes: tuple[str, ...]
    question: str | None
    stage: str | None
    during_break: bool = False
    original_text: str | None = None  # set when a correction replaced the text
    flags: list[FlagView] = field(default_factory=list)

    @property
    def corrected(self) -> bool:
        return self.original_text is not None


@dataclass
class CoverageEvent:
    """question.shown / covered / skipped, probe.covered or prompt.covered, as a point on the timeline."""

    seq: int
    t: float
    type: str
    question: str
    stage: str | None
    text: str = ""  # the probe's or prompt's text for probe.covered / prompt.covered
    probe: int | None = None  # the probe's index for probe.covered
    prompt: int | None = None  # the prompt's index for prompt.covered


@dataclass
class Coverage:
    question: str
    stage: str
    state: str
    first_shown: float | None = None
    marked_at: float | None = None  # when covered/skipped was last marked
    probes: tuple[int, ...] = ()
    prompts: tuple[int, ...] = ()
    optional: bool = False  # the guide marks the question optional: "not reached" is no gap


@dataclass
class Span:
    id: str
    start: float
    end: float
    wall_seconds: float | None = None  # breaks: how long by the clock (the audio timeline skips them)


@dataclass
class Gap:
    start: float
    length: float
    reason: str


@dataclass
class SessionView:
    guide: Guide
    meta: dict[str, Any]
    notes: list[NoteView]
    flags: list[FlagView]
    coverage: dict[str, Coverage]  # question id -> coverage, in guide order
    coverage_events: list[CoverageEvent]
    stage_spans: list[Span]
    question_spans: list[Span]
    breaks: list[Span]
    gaps: list[Gap]
    consent: dict[str, bool]
    closing: list[str]
    duration: float
    safeguarding: bool
    status: str
    mode: str | None  # "audio" / "clock" from the first recording.start, None if never started
    by_seq: dict[int, NoteView] = field(default_factory=dict, repr=False, compare=False)
    # What the exporters derive from the fold (cues, labels), made once and shared by every
    # format of one export; a fold is never changed once made.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def participant(self) -> str:
        return str(self.meta.get("participant") or "")

    @property
    def session(self) -> str:
        return str(self.meta.get("session") or "")

    def note(self, seq: int) -> NoteView | None:
        if len(self.by_seq) != len(self.notes):  # a view built by hand, not by fold
            self.by_seq = {n.seq: n for n in self.notes}
        return self.by_seq.get(seq)

    def safeguarding_flags(self) -> list[FlagView]:
        return [f for f in self.flags if f.kind == "safeguarding"]

    def states(self, optional: bool | None = None) -> dict[str, int]:
        """How many questions are in each coverage state: all, or only the optional
        (``optional=True``) or core (``False``) ones."""
        counts = dict.fromkeys(COVERAGE_STATES, 0)
        for cov in self.coverage.values():
            if optional is None or cov.optional == optional:
                counts[cov.state] += 1
        return counts

    def not_covered(self, optional: bool) -> list[Coverage]:
        """Core (or optional) questions not marked covered, in guide order."""
        return [c for c in self.coverage.values() if c.optional == optional and c.state != COVERED]


def fold(guide: Guide, events: Iterable[dict], meta: dict | None = None) -> SessionView:
    """The session as every view sees it. ``events`` need not be sorted; seq orders them."""
    ordered = sorted(events, key=lambda e: e.get("seq", 0))
    meta = dict(meta or {})
    _fill_meta_from_log(meta, ordered)
    ends = _EndFinder(ordered)
    duration = _duration(ordered)

    notes = _notes(ordered, ends)
    by_seq = {n.seq: n for n in notes}
    flags = _flags(ordered, ends, by_seq)
    coverage_events = [_coverage_event(e, guide) for e in ordered if e["type"] in COVERAGE_TYPES]
    stage_spans, question_spans = _spans(ordered, duration)
    return SessionView(
        guide=guide,
        meta=meta,
        notes=notes,
        flags=flags,
        coverage=_coverage(guide, ((e.type, e.question, e.t, e.probe, e.prompt) for e in coverage_events)),
        coverage_events=coverage_events,
        stage_spans=stage_spans,
        question_spans=question_spans,
        breaks=_breaks(ordered, duration),
        gaps=[Gap(float(e["start"]), float(e["length"]), str(e.get("reason", ""))) for e in ordered if e["type"] == "recording.gap"],
        consent=_consent(ordered),
        closing=_closing(ordered),
        duration=duration,
        safeguarding=any(f.kind == "safeguarding" for f in flags),
        status=_status(ordered, meta),
        mode=next((e.get("mode") for e in ordered if e["type"] == "recording.start"), None),
        by_seq=by_seq,
    )


class _EndFinder:
    """The end of a point event: the next moment on the timeline, or POINT_SPAN on, whichever
    is sooner — never zero length."""

    def __init__(self, ordered: list[dict]):
        self.times = sorted({float(e["t"]) for e in _timeline(ordered)})

    def __call__(self, start: float) -> float:
        i = bisect.bisect_right(self.times, start)
        limit = start + POINT_SPAN
        if i < len(self.times):
            # Times within half a millisecond print the same; keep the span visible once rounded.
            nxt = self.times[i]
            if nxt - start >= 0.001:
                return min(nxt, limit)
            later = self.times[bisect.bisect_left(self.times, start + 0.001, i):]
            return min(later[0], limit) if later else limit
        return limit


def _timeline(ordered: list[dict]) -> list[dict]:
    """Events that are moments of the interview itself: nothing after session.end, no edits."""
    out = []
    for event in ordered:
        if event["type"] in EDIT_TYPES:
            continue
        out.append(event)
        if event["type"] == "session.end":
            break
    return out


def _duration(ordered: list[dict]) -> float:
    times = [float(e["t"]) for e in _timeline(ordered)]
    stops = [float(e["t"]) for e in ordered if e["type"] == "recording.stop"]
    return max(times + stops + [0.0])


def _fill_meta_from_log(meta: dict, ordered: list[dict]) -> None:
    """A bare event list (tests, a damaged session.yaml) still names its participant and guide."""
    start = next((e for e in ordered if e["type"] == "session.start"), None)
    if start:
        meta.setdefault("participant", start.get("participant"))
        meta.setdefault("guide", start.get("guide"))
        meta.setdefault("started", start.get("wall"))
    end = next((e for e in reversed(ordered) if e["type"] == "session.end"), None)
    if end:
        meta.setdefault("ended", end.get("wall"))


def _status(ordered: list[dict], meta: dict) -> str:
    if meta.get("status"):
        return str(meta["status"])
    end = next((e for e in reversed(ordered) if e["type"] == "session.end"), None)
    return str(end["status"]) if end else "in progress"


def _notes(ordered: list[dict], ends: _EndFinder) -> list[NoteView]:
    notes: dict[int, NoteView] = {}
    for e in ordered:
        kind = e["type"]
        if kind == "note":
            t = float(e["t"])
            notes[e["seq"]] = NoteView(
                seq=e["seq"],
                t=t,
                end=ends(t),
                text=str(e.get("text") or ""),
                codes=tuple(e.get("codes") or ()),
                question=e.get("question"),
                stage=e.get("stage"),
                during_break=bool(e.get("during_break")),
            )
        elif kind == "note.corrected" and e.get("note") in notes:
            note = notes[e["note"]]
            if note.original_text is None:
                note.original_text = note.text
            note.text = str(e.get("text") or "")
        elif kind == "note.tagged" and e.get("note") in notes:
            notes[e["note"]].codes = tuple(e.get("codes") or ())
    return sorted(notes.values(), key=lambda n: (n.t, n.seq))


def _flags(ordered: list[dict], ends: _EndFinder, notes: dict[int, NoteView]) -> list[FlagView]:
    flags = []
    for e in ordered:
        if e["type"] != "flag":
            continue
        note = notes.get(e.get("note")) if e.get("note") is not None else None
        # A flag on a note marks the note's moment, not the moment the key was pressed.
        t = note.t if note else float(e["t"])
        flag = FlagView(
            seq=e["seq"],
            kind=str(e["kind"]),
            t=t,
            end=note.end if note else ends(t),
            note=note.seq if note else None,
            text=str(e.get("text") or ""),
            question=e.get("question") or (note.question if note else None),
            stage=e.get("stage") or (note.stage if note else None),
        )
        flags.append(flag)
        if note:
            note.flags.append(flag)
    return sorted(flags, key=lambda f: (f.t, f.seq))


def _coverage_event(e: dict, guide: Guide) -> CoverageEvent:
    stage = e.get("stage")
    if stage is None:  # probe.covered and prompt.covered name only their question
        found = guide.stage_of(str(e["question"]))
        stage = found.id if found else None
    return CoverageEvent(
        seq=e["seq"],
        t=float(e["t"]),
        type=e["type"],
        question=str(e["question"]),
        stage=stage,
        text=str(e.get("text") or ""),
        probe=e.get("probe"),
        prompt=e.get("prompt"),
    )


def coverage_of(guide: Guide, events: Iterable[dict]) -> dict[str, Coverage]:
    """The coverage of a fold alone (the store's index keeps only this of a session)."""
    ordered = sorted(events, key=lambda e: e.get("seq", 0))
    # Plain tuples, not CoverageEvents: a listing folds the marks of every log it reads.
    return _coverage(guide, ((e["type"], str(e["question"]), float(e["t"]), e.get("probe"), e.get("prompt"))
                             for e in ordered if e["type"] in COVERAGE_TYPES))


def _coverage(guide: Guide, marks: Iterable[tuple]) -> dict[str, Coverage]:
    """``marks``: (type, question, t, probe, prompt) in the order they were made."""
    coverage = {q.id: Coverage(q.id, s.id, NOT_REACHED, optional=q.optional) for s, q in guide.questions()}
    for kind, question, t, probe, prompt in marks:
        cov = coverage.get(question)
        if cov is None:  # a question no longer in this guide copy: nothing to show it against
            continue
        if kind == "question.shown":
            if cov.first_shown is None:
                cov.first_shown = t
            if cov.state == NOT_REACHED:
                cov.state = SHOWN
        elif kind in ("question.covered", "question.skipped"):
            # The last mark wins: an interviewer may skip, then come back and cover it.
            cov.state = COVERED if kind == "question.covered" else SKIPPED
            cov.marked_at = t
        elif kind in FOLLOW_UP_TYPES:
            if cov.state == NOT_REACHED:
                cov.state = SHOWN
            if probe is not None and probe not in cov.probes:
                cov.probes = tuple(sorted(cov.probes + (int(probe),)))
            if prompt is not None and prompt not in cov.prompts:
                cov.prompts = tuple(sorted(cov.prompts + (int(prompt),)))
    return coverage


def _spans(ordered: list[dict], duration: float) -> tuple[list[Span], list[Span]]:
    """Stage and question spans: each current from its question.shown to the next change."""
    shown = [e for e in ordered if e["type"] == "question.shown"]
    return _runs([(float(e["t"]), e.get("stage")) for e in shown], duration), _runs(
        [(float(e["t"]), e.get("question")) for e in shown], duration
    )


def _runs(marks: list[tuple[float, str | None]], duration: float) -> list[Span]:
    spans: list[Span] = []
    for t, ident in marks:
        if ident is None:
            continue
        if spans and spans[-1].id == ident:
            continue
        if spans:
            spans[-1].end = t
        spans.append(Span(str(ident), t, duration))
    for span in spans:
        span.end = max(span.end, span.start)
    return [s for s in spans if s.end > s.start]


def _breaks(ordered: list[dict], duration: float) -> list[Span]:
    breaks: list[Span] = []
    opened: dict | None = None
    for e in ordered:
        held = e["type"] == "recording.break" or (e["type"] == "recording.start" and e.get("on_break"))
        if held and opened is None:  # a session resumed on a break re-opens one a stop closed
            opened = e
        elif e["type"] in ("recording.resume", "recording.stop") and opened is not None:
            breaks.append(Span("break", float(opened["t"]), float(e["t"]), _wall_between(opened, e)))
            opened = None
    if opened is not None:
        breaks.append(Span("break", float(opened["t"]), duration))
    return breaks


def _wall_between(first: dict, second: dict) -> float | None:
    try:
        return (datetime.fromisoformat(second["wall"]) - datetime.fromisoformat(first["wall"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return None


def _closing(ordered: list[dict]) -> list[str]:
    """The closing items said, in the order first ticked; one ticked and unticked again is not."""
    said: dict[str, bool] = {}  # keeps the order items were first ticked in
    for e in (e for e in ordered if e["type"] == "closing.tick"):
        said[str(e["item"])] = e.get("checked", True) is not False
    return [item for item, on in said.items() if on]


def _consent(ordered: list[dict]) -> dict[str, bool]:
    consent: dict[str, bool] = {}
    for e in ordered:
        if e["type"] == "consent.tick":
            consent[str(e["item"])] = bool(e["checked"])
    return consent
