"""The cues of the timed-text formats (WebVTT, SRT, Audacity, NVivo): notes and flags in time order."""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple

from companion.export.common import flag_words, flat_text, shared, tag_words
from companion.review.fold import SessionView


class Cue(NamedTuple):
    ident: str  # note-12, flag-30
    start: float
    end: float
    text: str  # raw; each format cleans it its own way
    extra: str  # tags and flags (kind and text), one line; empty when none
    question: str | None
    stage: str | None
    codes: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # each flag as "KIND: its text"


def cues(view: SessionView) -> list[Cue]:
    """Made once per fold: every timed-text format of an export shares them."""
    return shared(view, "cues", _cues)


def contents(view: SessionView) -> list[str]:
    """Each cue on one line with its tags and flags in brackets, in cue order: an Audacity
    label's text and an NVivo row's content, made once per fold."""
    return shared(view, "cue_contents", _contents)


def _contents(view: SessionView) -> list[str]:
    flat = flat_text(view)
    return [(flat[c.text] or "(moment)") + (f" [{flat[c.extra]}]" if c.extra else "") for c in cues(view)]


def _cues(view: SessionView) -> list[Cue]:
    found = []
    tags = tag_words(view)
    cue = Cue._make  # a tuple made in C: thousands of cues
    for n in view.notes:
        codes = n.codes
        extra = "tags: " + tags[codes] if codes else ""
        flags = ()
        if n.flags:
            flags = tuple([flag_words(f) for f in n.flags])
            extra += ("; flags: " if extra else "flags: ") + ", ".join(flags)
        found.append(cue((f"note-{n.seq}", n.t, n.end, n.text, extra, n.question, n.stage, codes, flags)))
    for f in view.flags:
        if f.note is not None:
            continue  # shown on its note's cue
        words = flag_words(f, with_text=False)
        found.append(Cue(f"flag-{f.seq}", f.t, f.end, f.text, f"flag: {words}", f.question, f.stage, (),
                         (flag_words(f),)))
    found.sort(key=itemgetter(1, 0))  # by start, then by ident
    return found
