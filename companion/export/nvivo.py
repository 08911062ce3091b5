"""``nvivo`` and ``nvivo-tsv``: transcripts NVivo and QualCoder import with their timestamps.

The text form is a paragraph per note beginning ``[hh:mm:ss]`` (QualCoder and NVivo both
read that timestamp). The tab-delimited form has a header row and a ``Timespan`` column
``hh:mm:ss.s-hh:mm:ss.s``, the shape NVivo's transcript import maps to its timespan field.
"""

from __future__ import annotations

from companion.export.common import code_labels
from companion.export.cues import cues
from companion.export.text import one_line
from companion.export.timefmt import hms, hms_tenths, to_ms
from companion.review.fold import SessionView

TSV_COLUMNS = ("Timespan", "Content", "Stage", "Question", "Codes")


def timespan(start: float, end: float) -> str:
    """``hh:mm:ss.s-hh:mm:ss.s``, at least a tenth long: a short note must not vanish in tenths."""
    end_tenths = max((to_ms(end) + 50) // 100, (to_ms(start) + 50) // 100 + 1)
    return f"{hms_tenths(start)}-{hms_tenths(end_tenths / 10)}"


def render_nvivo_text(view: SessionView) -> str:
    paragraphs = []
    for cue in cues(view):
        text = one_line(cue.text) or "(moment)"
        if cue.extra:
            text += f" [{one_line(cue.extra)}]"
        paragraphs.append(f"[{hms(cue.start)}] {text}")
    return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


def render_nvivo_tsv(view: SessionView) -> str:
    out = ["\t".join(TSV_COLUMNS)]
    for cue in cues(view):
        text = one_line(cue.text) or "(moment)"
        if cue.extra and cue.ident.startswith("flag"):
            text += f" [{one_line(cue.extra)}]"
        cells = (
            timespan(cue.start, cue.end),
            text,
            cue.stage or "",
            cue.question or "",
            one_line(", ".join(code_labels(view, cue.codes))),
        )
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"
