"""Names, labels and texts the exporters share: what every format derives alike from a fold
is made once per fold and kept with it (``SessionView.derived``)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, TypeVar

from companion.export.text import clean, clean_lines, one_line
from companion.export.timefmt import clock, milliseconds, to_ms
from companion.review.fold import SessionView

T = TypeVar("T")


def shared(view: SessionView, key: str, make: Callable[[SessionView], T]) -> T:
    """What every format derives alike from a fold, made once per fold: an export of all
    formats reads the log once, labels it once and cues it once."""
    try:
        return view.derived[key]
    except KeyError:
        value = view.derived[key] = make(view)
        return value


class Memo(dict):
    """``fn`` of each key, made on first use: ``memo[key]`` is a plain dict lookup after."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


def memo(view: SessionView, name: str, fn: Callable[[Any], T]) -> dict[Any, T]:
    """``fn`` remembered for this fold: the formats of one export print the same moments and
    the same note texts, each worked out once. ``fn``'s results are shared: never change them."""
    return shared(view, "memo:" + name, lambda _: Memo(fn))


def _first_by_id(items) -> dict[str, Any]:
    """Each id's first item, as the guide's own lookups find it."""
    found: dict[str, Any] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def _code_names(view: SessionView) -> dict[str, str]:
    return {ident: code.label for ident, code in _first_by_id(view.guide.codebook).items()}


def code_names(view: SessionView) -> dict[str, str]:
    """Each code's label by its id (a code no longer in the guide is named by its id)."""
    return shared(view, "code_names", _code_names)


def code_label(view: SessionView, code_id: str) -> str:
    return code_names(view).get(code_id, code_id)


def code_labels(view: SessionView, codes: tuple[str, ...]) -> list[str]:
    names = code_names(view)
    return [names.get(c, c) for c in codes]


# The moments of a fold as every format prints them: each moment rounded to whole milliseconds
# once, each whole second printed once (HH:MM:SS, shared by the millisecond and tenth forms);
# tests/export/test_shared_work.py holds them to timefmt's definitions. The fold's own moments
# and texts are worked out together the first time a format asks for them (a loop over
# thousands, not a call through the memo for each); anything else is worked out on first use.
def filled(view: SessionView, name: str, fn: Callable[[Any], T], keys_of: Callable[[SessionView], list],
            values_of: Callable[[list], Iterable[T]] | None = None) -> dict[Any, T]:
    """``memo(view, name, fn)``, made with ``fn`` of each of ``keys_of(view)`` at once
    (``values_of(keys)``: the same values, made faster)."""
    def make(v: SessionView) -> Memo:
        table, keys = Memo(fn), keys_of(v)
        table.update(zip(keys, values_of(keys) if values_of else map(fn, keys)))
        return table
    return shared(view, "memo:" + name, make)


def _moments(view: SessionView) -> list[float]:
    """Every moment the formats print of this fold: notes, flags, coverage marks, spans, gaps."""
    found = dict.fromkeys([0.0, view.duration])
    for items in (view.notes, view.flags):
        found.update(dict.fromkeys([i.t for i in items]))
        found.update(dict.fromkeys([i.end for i in items]))
    found.update(dict.fromkeys([e.t for e in view.coverage_events]))
    for span in (*view.breaks, *view.stage_spans, *view.question_spans):
        found.update({span.start: None, span.end: None})
    for gap in view.gaps:
        found.update({gap.start: None, gap.start + gap.length: None})
    return list(found)


def _texts(view: SessionView) -> list[str]:
    """Every note's and flag's text, once each."""
    return list(dict.fromkeys([n.text for n in view.notes] + [f.text for f in view.flags]))


def moment_ms(view: SessionView) -> dict[float, int]:
    """Each moment in whole milliseconds (``timefmt.to_ms``)."""
    return filled(view, "ms", to_ms, _moments)


def _clocks(view: SessionView) -> dict[int, str]:
    """Each whole second of the fold's moments as ``timefmt.clock`` prints it."""
    ms = moment_ms(view)
    return filled(view, "clock", clock, lambda _: list({m // 1000: None for m in ms.values()}))


def printed_hms_ms(view: SessionView) -> dict[float, str]:
    """Each moment as ``timefmt.hms_ms`` prints it: ``HH:MM:SS.mmm``."""
    ms, clocks = moment_ms(view), _clocks(view)
    return filled(view, "hms_ms", lambda t: f"{clocks[ms[t] // 1000]}.{milliseconds(ms[t])}", lambda _: list(ms),
                   lambda moments: [f"{clocks[m // 1000]}.{milliseconds(m)}" for m in map(ms.__getitem__, moments)])


def printed_seconds_ms(view: SessionView) -> dict[float, str]:
    """Each moment as ``timefmt.seconds_ms`` prints it: seconds with three decimals."""
    ms = moment_ms(view)
    return filled(view, "seconds_ms", lambda t: f"{ms[t] // 1000}.{milliseconds(ms[t])}", lambda _: list(ms),
                   lambda moments: [f"{m // 1000}.{milliseconds(m)}" for m in map(ms.__getitem__, moments)])


def printed_tenths(view: SessionView) -> dict[int, str]:
    """Each whole number of tenths as ``timefmt.tenths_clock`` prints it: ``HH:MM:SS.s``."""
    ms, clocks = moment_ms(view), _clocks(view)
    return filled(view, "tenths_clock", lambda tenths: f"{clocks[tenths // 10]}.{tenths % 10}",
                   lambda _: list({(m + 50) // 100: None for m in ms.values()}),  # each moment's nearest tenth
                   lambda tenths: [f"{clocks[t // 10]}.{t % 10}" for t in tenths])


def text_lines(view: SessionView) -> dict[str, list[str]]:
    """Each text's non-blank lines (``text.lines``), made once per fold from its clean text."""
    cleaned = clean_text(view)
    return filled(view, "lines", lambda text: clean_lines(cleaned[text]), lambda _: list(cleaned),
                   lambda texts: map(clean_lines, map(cleaned.__getitem__, texts)))


def flat_text(view: SessionView) -> dict[str, str]:
    """Each text on one line (``text.one_line``), made once per fold from its lines."""
    lines_of = text_lines(view)
    return filled(view, "one_line", lambda text: " ".join(lines_of[text]), lambda _: list(lines_of),
                   lambda texts: map(" ".join, map(lines_of.__getitem__, texts)))


def clean_text(view: SessionView) -> dict[str, str]:
    """Each text without control characters (``text.clean``), made once per fold."""
    return filled(view, "clean", clean, _texts)


def tag_words(view: SessionView) -> dict[tuple[str, ...], str]:
    """A note's codes as every format words them: their labels, comma-separated."""
    names = code_names(view)  # the memo must not hold the view itself
    return memo(view, "tag_words", lambda codes: ", ".join([names.get(c, c) for c in codes]))


def stage_title(view: SessionView, stage_id: str | None) -> str:
    stage = shared(view, "stages", lambda v: _first_by_id(v.guide.stages)).get(stage_id)
    return stage.title if stage else (stage_id or "")


def question_ask(view: SessionView, question_id: str | None) -> str:
    questions = shared(view, "questions", lambda v: _first_by_id(q for _, q in v.guide.questions()))
    question = questions.get(question_id) if question_id else None
    return question.ask if question else (question_id or "")


def is_optional(view: SessionView, question_id: str | None) -> bool:
    cov = view.coverage.get(question_id) if question_id else None
    return bool(cov and cov.optional)


def question_label(view: SessionView, question_id: str | None) -> str:
    """The question as asked, marked when the guide has it optional (asked when time allows)."""
    ask = question_ask(view, question_id)
    return f"(optional) {ask}" if is_optional(view, question_id) else ask


def base_name(view: SessionView) -> str:
    """``<participant>-<session>``: the stem of every export file of a session."""
    parts = [p for p in (view.participant, view.session) if p]
    return "-".join(parts) or "session"


FLAG_LABELS = {"quote": "quote", "safeguarding": "SAFEGUARDING", "follow-up": "follow-up"}


def flag_label(kind: str) -> str:
    return FLAG_LABELS.get(kind, kind)


def flag_words(flag, with_text: bool = True) -> str:
    """A flag as every format names it: its kind, and the text typed with it (one line)."""
    text = one_line(flag.text) if with_text else ""
    return f"{flag_label(flag.kind)}: {text}" if text else flag_label(flag.kind)


def safeguarding_warning(view: SessionView) -> str | None:
    """One sentence for stderr when an export will carry safeguarding material."""
    count = len(view.safeguarding_flags())
    if not count:
        return None
    plural = "flag" if count == 1 else "flags"
    return (
        f"warning: {view.participant or 'this session'} has {count} safeguarding {plural}; "
        "the export contains it — store and share it under the study's safeguarding protocol."
    )
