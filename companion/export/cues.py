"""The cues of the timed-text formats (WebVTT, SRT, Audacity, NVivo): notes and flags in time order."""

from __future__ import annotations

from dataclasses import dataclass

from companion.export.common import code_labels, flag_label
from companion.review.fold import SessionView


@dataclass(frozen=True)
class Cue:
    ident: str  # note-12, flag-30
    start: float
    end: float
    text: str  # raw; each format cleans it its own way
    extra: str  # tags and flags, one line; empty when none
    question: str | None
    stage: str | None
    codes: tuple[str, ...] = ()


def cues(view: SessionView) -> list[Cue]:
    found = []
    for n in view.notes:
        extra = []
        if n.codes:
            extra.append("tags: " + ", ".join(code_labels(view, n.codes)))
        if n.flags:
            extra.append("flags: " + ", ".join(flag_label(f.kind) for f in n.flags))
        found.append(Cue(f"note-{n.seq}", n.t, n.end, n.text, "; ".join(extra), n.question, n.stage, n.codes))
    for f in view.flags:
        if f.note is not None:
            continue  # shown on its note's cue
        found.append(Cue(f"flag-{f.seq}", f.t, f.end, f.text, f"flag: {flag_label(f.kind)}", f.question, f.stage))
    return sorted(found, key=lambda c: (c.start, c.ident))
