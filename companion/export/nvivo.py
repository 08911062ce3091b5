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

from companion.export.common import code_labels
from companion.export.cues import cues
from companion.export.media import Media
from companion.export.text import one_line
from companion.export.timefmt import hms_tenths, to_ms
from companion.review.fold import SessionView

TEXT_COLUMNS = ("Timespan", "Content", "Audio")
TSV_COLUMNS = ("Timespan", "Content", "Stage", "Question", "Codes", "Flags", "Audio")


def timespan(start: float, end: float) -> str:
    """``hh:mm:ss.s-hh:mm:ss.s``, at least a tenth long: a short note must not vanish in tenths."""
    end_tenths = max((to_ms(end) + 50) // 100, (to_ms(start) + 50) // 100 + 1)
    return f"{hms_tenths(start)}-{hms_tenths(end_tenths / 10)}"


def _cell(text: str) -> str:
    return one_line(text)  # no tab, no line break: one row, the same number of tabs on every line


def _table(rows: list[tuple[str, ...]]) -> str:
    return "".join("\t".join(row) + "\n" for row in rows)


def render_nvivo_text(view: SessionView, media: Media | None = None) -> str:
    audio = _cell(media.relative) if media else ""
    rows = [TEXT_COLUMNS]
    for cue in cues(view):
        text = _cell(cue.text) or "(moment)"
        if cue.extra:
            text += f" [{_cell(cue.extra)}]"
        rows.append((timespan(cue.start, cue.end), text, audio))
    return _table(rows)


def render_nvivo_tsv(view: SessionView, media: Media | None = None) -> str:
    audio = _cell(media.relative) if media else ""
    rows = [TSV_COLUMNS]
    for cue in cues(view):
        rows.append((
            timespan(cue.start, cue.end),
            _cell(cue.text) or "(moment)",
            cue.stage or "",
            cue.question or "",
            _cell(", ".join(code_labels(view, cue.codes))),
            _cell("; ".join(cue.flags)),
            audio,
        ))
    return _table(rows)
