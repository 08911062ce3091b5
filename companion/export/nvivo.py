"""``nvivo`` and ``nvivo-tsv``: transcript rows NVivo imports into the session's audio source.

NVivo imports plain text as tab- or comma-delimited lines with a timespan (Import Transcript
Entries: every line holds the same number of tabs; one column maps to Timespan, one to
Content; a header row is allowed). Both forms are that shape, with a ``Timespan`` column
``hh:mm:ss.s-hh:mm:ss.s`` (NVivo keeps tenths of a second):

- ``nvivo`` (.txt): Timespan, Content (the note with its tags and flags), Audio;
- ``nvivo-tsv`` (.tsv): the same split into Stage, Question, Codes and Flags columns, for
  NVivo's custom transcript fields.

The Audio column names the session's one audio file, the source to import the rows into.
"""

from __future__ import annotations

from typing import Callable

from companion.export.common import flat_text, moment_ms, printed_tenths, shared, tag_words
from companion.export.cues import contents, cues
from companion.export.media import Media
from companion.export.text import one_line
from companion.export.timefmt import tenths_clock, to_ms
from companion.review.fold import SessionView

TEXT_COLUMNS = ("Timespan", "Content", "Audio")
TSV_COLUMNS = ("Timespan", "Content", "Stage", "Question", "Codes", "Flags", "Audio")


def timespan(start: float, end: float) -> str:
    """``hh:mm:ss.s-hh:mm:ss.s``, at least a tenth long: a short note must not vanish in tenths."""
    return _tenths_span(to_ms(start), to_ms(end), tenths_clock)


def _tenths_span(start_ms: int, end_ms: int, clock: Callable[[int], str]) -> str:
    first = (start_ms + 50) // 100
    last = max((end_ms + 50) // 100, first + 1)
    return f"{clock(first)}-{clock(last)}"


def _timespans(view: SessionView) -> list[str]:
    """Each cue's timespan in cue order, made once per fold for both forms (each printed tenth
    from the fold's shared memo: one cue's end is mostly the next one's start)."""
    return shared(view, "nvivo_timespans", _cue_timespans)


def _cue_timespans(view: SessionView) -> list[str]:
    ms, clock = moment_ms(view), printed_tenths(view)
    spans = []
    for cue in cues(view):  # _tenths_span, inline: thousands of cues
        first, last = (ms[cue.start] + 50) // 100, (ms[cue.end] + 50) // 100
        spans.append(f"{clock[first]}-{clock[last if last > first else first + 1]}")
    return spans


def _cell(text: str) -> str:
    return one_line(text)  # no tab, no line break: one row, the same number of tabs on every line


def _table(rows: list[tuple[str, ...]]) -> str:
    return "".join(["\t".join(row) + "\n" for row in rows])


def render_nvivo_text(view: SessionView, media: Media | None = None) -> str:
    audio = _cell(media.relative) if media else ""
    return _table([TEXT_COLUMNS, *((span, text, audio) for span, text in zip(_timespans(view), contents(view)))])


def render_nvivo_tsv(view: SessionView, media: Media | None = None) -> str:
    audio = _cell(media.relative) if media else ""
    flat = flat_text(view)
    tags = tag_words(view)
    rows = [TSV_COLUMNS]
    for cue, span in zip(cues(view), _timespans(view)):
        rows.append((
            span,
            flat[cue.text] or "(moment)",
            cue.stage or "",
            cue.question or "",
            flat[tags[cue.codes]] if cue.codes else "",  # _cell, once per set of codes
            _cell("; ".join(cue.flags)) if cue.flags else "",
            audio,
        ))
    return _table(rows)
