"""``csv``: one row per note, flag, coverage event (probe and prompt ticks too), break and gap,
in time order.

For spreadsheets: UTF-8 with a byte-order mark (Excel reads the file as UTF-8 only with
one), and every cell that a spreadsheet would run as a formula — one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return — starts with a ``'`` instead (OWASP's
advice against CSV injection). Every row names the session's one audio file.
"""

from __future__ import annotations

import csv
import io
from operator import itemgetter

from companion.export.common import clean_text, filled, flag_words, memo, printed_hms_ms, printed_seconds_ms
from companion.export.media import Media
from companion.review.fold import SessionView

# "optional": core or optional for a row about a question (the guide marks some optional).
COLUMNS = ("start", "end", "start_hms", "end_hms", "stage", "question", "type", "text", "codes", "flags", "audio", "optional")
BOM = "\ufeff"
# A cell a spreadsheet would evaluate starts with one of these: it gets a leading apostrophe.
FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def neutral(cell: str) -> str:
    """The cell as a spreadsheet shows it, never runs it."""
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell


def rows(view: SessionView, media: Media | None = None) -> list[list[str]]:
    """The rows, cells in COLUMNS order and neutralised, sorted by start then by the log's order.

    What the log or the guide words (stage, question, text, codes, flags, audio) is
    neutralised once per distinct value; the times are printed digits and the type and
    optional columns companion's own words, which never start a formula."""
    audio = neutral(media.relative) if media else ""
    core_or_optional = {q: "optional" if cov.optional else "core" for q, cov in view.coverage.items()}
    found: list[tuple[float, int, list[str]]] = []
    seconds, clock = printed_seconds_ms(view), printed_hms_ms(view)
    cleaned = clean_text(view)  # the memos below must not hold the view itself
    safe = memo(view, "csv_cell", neutral)
    safe_text = filled(view, "csv_text", lambda text: neutral(cleaned[text]), lambda _: list(cleaned),
                       lambda texts: map(neutral, map(cleaned.__getitem__, texts)))

    def add(order: int, start: float, end: float, stage, question, kind: str, text: str = "", codes=(), flags=()):
        found.append((start, order, [
            seconds[start], seconds[end], clock[start], clock[end], safe[stage or ""], safe[question or ""], kind,
            safe_text[text], safe[";".join(codes)], safe[";".join(flags)], audio,
            core_or_optional.get(question, "core") if question else "",
        ]))

    # The notes (most rows) as add() makes them, without a call each; a note's codes, a few
    # dozen distinct sets, joined and neutralised once per set.
    safe_codes = memo(view, "csv_codes", lambda codes: neutral(";".join(codes)))
    for n in view.notes:
        t, end, question = n.t, n.end, n.question
        found.append((t, n.seq, [
            seconds[t], seconds[end], clock[t], clock[end], safe[n.stage or ""], safe[question or ""], "note",
            safe_text[n.text], safe_codes[n.codes], safe[";".join([flag_words(f) for f in n.flags])] if n.flags else "",
            audio, core_or_optional.get(question, "core") if question else "",
        ]))
    for f in view.flags:
        note = view.note(f.note) if f.note is not None else None
        add(f.seq, f.t, f.end, f.stage, f.question, "flag", f.text or (note.text if note else ""), (), [f.kind])
    for ev in view.coverage_events:  # ev.type is one of fold.COVERAGE_TYPES
        add(ev.seq, ev.t, ev.t, ev.stage, ev.question, ev.type, ev.text)
    for b in view.breaks:
        add(0, b.start, b.end, None, None, "break")
    for g in view.gaps:
        add(0, g.start, g.start + g.length, None, None, "gap", g.reason)
    found.sort(key=itemgetter(0, 1))
    return [row for _, _, row in found]


def render_csv(view: SessionView, media: Media | None = None) -> str:
    buffer = io.StringIO()
    # CSV quoting carries newlines, tabs and quotes in the text unchanged; any reader gets them back.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(view, media))
    return BOM + buffer.getvalue()
