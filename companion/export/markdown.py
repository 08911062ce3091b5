"""``md``: a readable report of one session — facts, then stage → question → notes."""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from companion.export.common import (flag_label, flag_words, memo, printed_hms_ms, question_ask, stage_title,
                                      tag_words, text_lines)
from companion.export.media import Media
from companion.export.text import one_line
from companion.export.timefmt import hms
from companion.review.fold import COVERED, NOT_REACHED, SHOWN, SKIPPED, FlagView, NoteView, SessionView

# The characters Markdown would read as markup; the backslash first, so that the
# backslashes added before the others are not escaped again.
_MD_SPECIAL = "\\`*_[]<>#|&"
# Quotation marks as typed (straight or curly); an apostrophe inside a word is neither.
_OPENING = "'‘\"“"
_CLOSING = "'’\"”"
_MARKS = set(_OPENING + _CLOSING)

LINE = itemgetter(2)  # of (moment, seq, line)
STATE_WORDS = {COVERED: "covered", SKIPPED: "skipped", SHOWN: "shown, not marked", NOT_REACHED: "not reached"}


def md_escape(text: str) -> str:
    """Backslash-escape what Markdown would turn into markup, HTML or a character reference
    (a typed ``&amp;`` stays ``&amp;``)."""
    for ch in _MD_SPECIAL:  # str.replace scans in C: faster here than one regex or translate
        if ch in text:
            text = text.replace(ch, "\\" + ch)
    return text


def render_md(view: SessionView, media: Media | None = None) -> str:
    out: list[str] = []
    out += _facts(view, media)
    out += _safeguarding(view)
    out += _body(view)
    out += _quotes(view)
    out += _uncovered(view)
    return "\n".join(out).rstrip("\n") + "\n"


def _facts(view: SessionView, media: Media | None) -> list[str]:
    meta = view.meta
    rows = [
        ("Participant ID", view.participant),
        ("Session", view.session),
        ("Guide", f"{view.guide.title} ({view.guide.id})"),
        ("Started", meta.get("started")),
        ("Ended", meta.get("ended")),
        ("Duration", hms(view.duration)),
        ("Status", view.status),
        ("Recording", view.mode or "not started"),
        ("Audio", media.relative if media else None),
        ("Retain until", meta.get("retain_until")),
    ]
    out = [f"# Interview {md_escape(view.participant)} — {md_escape(view.guide.title)}", ""]
    out += [f"- **{name}:** {md_escape(str(value))}" for name, value in rows if value not in (None, "")]
    if view.consent:
        ticks = ", ".join(f"{item} {'✓' if ok else '✗'}" for item, ok in view.consent.items())
        out.append(f"- **Consent:** {md_escape(ticks)}")
    if view.breaks:
        spans = ", ".join(_break_words(b) for b in view.breaks)
        out.append(f"- **Breaks:** {spans}")
    if view.gaps:
        spans = ", ".join(f"{hms(g.start)} ({g.length:.1f} s, {md_escape(g.reason)})" for g in view.gaps)
        out.append(f"- **Audio gaps:** {spans}")
    return out + [""]


def _break_words(span) -> str:
    if span.wall_seconds is None:
        return f"at {hms(span.start)}"
    return f"at {hms(span.start)} ({span.wall_seconds / 60:.0f} min)"


def _safeguarding(view: SessionView) -> list[str]:
    flags = view.safeguarding_flags()
    if not flags:
        return []
    out = ["## Safeguarding", ""]
    for flag in flags:
        note = view.note(flag.note) if flag.note is not None else None
        said = md_escape(one_line(note.text)) if note else ""
        typed = md_escape(one_line(flag.text))
        text = " — ".join(part for part in (said, typed) if part)
        out.append(f"- [{hms(flag.t)}] {text or '(no text)'}")
    return out + [""]


def _note_line(note: NoteView, clock: dict[float, str], lines_of: dict[str, list[str]],
               tags: dict[tuple[str, ...], str]) -> str:
    """``tags``: a note's codes as Markdown words (escaped). Thousands of notes: one string
    grown in place, most notes one line."""
    said = lines_of[note.text]
    body = md_escape(said[0]) if len(said) == 1 else " / ".join([md_escape(line) for line in said])
    # HH:MM:SS (timefmt.hms) is the shared HH:MM:SS.mmm without its milliseconds.
    line = f"- [{clock[note.t][:-4]}] {body or '(empty note)'}"
    if note.during_break:
        line += " *(during a break)*"
    if note.original_text is not None:
        line += " *(corrected)*"
    if note.codes:
        line += " — tags: " + tags[note.codes]
    if note.flags:
        line += " — flags: " + md_escape(", ".join(flag_words(f) for f in note.flags))
    return line


def _moment_line(flag: FlagView) -> str:
    text = md_escape(one_line(flag.text)) or "(moment)"
    return f"- [{hms(flag.t)}] **{flag_label(flag.kind)}:** {text}"


def _entries(view: SessionView) -> dict[str | None, list[str]]:
    """Each question's notes and moment flags as lines, in time order (None: before any question)."""
    timed: dict[str | None, list[tuple[float, int, str]]] = defaultdict(list)
    clock, lines_of, words, asked = printed_hms_ms(view), text_lines(view), tag_words(view), view.coverage
    tags = memo(view, "md_tag_words", lambda codes: md_escape(words[codes]))  # a few dozen distinct sets
    for note in view.notes:
        key = note.question if note.question in asked else None
        timed[key].append((note.t, note.seq, _note_line(note, clock, lines_of, tags)))
    for flag in view.flags:
        if flag.note is None and flag.kind != "safeguarding":  # safeguarding has its own section
            key = flag.question if flag.question in asked else None
            timed[key].append((flag.t, flag.seq, _moment_line(flag)))
    return {key: list(map(LINE, sorted(items))) for key, items in timed.items()}


def _body(view: SessionView) -> list[str]:
    out: list[str] = []
    entries = _entries(view)
    if entries.get(None):
        out += ["## Before the first question", "", *entries[None], ""]
    for stage in view.guide.stages:
        out += [f"## {md_escape(stage.title)}", ""]
        for question in stage.questions:
            cov = view.coverage[question.id]
            kind = "optional" if cov.optional else "core"
            out += [f"### {md_escape(one_line(question.ask))}", "", f"*{question.id} — {kind}, {STATE_WORDS[cov.state]}*", ""]
            out += _asked(question.probes, cov.probes, "Probes asked") + _asked(question.prompts, cov.prompts, "Prompts asked")
            if entries.get(question.id):
                out += [*entries[question.id], ""]
    return out


def _asked(items: tuple[str, ...], ticked: tuple[int, ...], title: str) -> list[str]:
    """The probes or prompts ticked during the interview, by their words."""
    said = [items[i] for i in ticked if 0 <= i < len(items)]
    return [f"{title}: " + "; ".join(md_escape(one_line(s)) for s in said), ""] if said else []


def nest_quotes(text: str) -> str:
    """Quotation marks inside a quotation, alternating as British style cites them: double
    inside the outer single marks, single inside those (‘… “… ‘…’ …” …’)."""
    if not any(mark in text for mark in _MARKS):
        return text  # nothing to nest (most text): no walk through it character by character
    out, depth = [], 0
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in _CLOSING and depth and not after.isalnum() and not before.isspace():
            out.append("”" if depth % 2 else "’")
            depth -= 1
        elif ch in _OPENING and not before.isalnum() and not after.isspace():
            depth += 1
            out.append("“" if depth % 2 else "‘")
        else:
            out.append(ch)
    return "".join(out)


def quote_text(view: SessionView, text: str) -> str:
    """The study's citation style: ‘quote text’ SU106, quotes inside it nested."""
    return f"‘{nest_quotes(one_line(text))}’ {view.participant}".rstrip()


def _quotes(view: SessionView) -> list[str]:
    quotes = [f for f in view.flags if f.kind == "quote"]
    if not quotes:
        return []
    out = ["## Quotes", ""]
    for flag in quotes:
        note = view.note(flag.note) if flag.note is not None else None
        text = note.text if note else flag.text
        where = f" ({hms(flag.t)}, {flag.question})" if flag.question else f" ({hms(flag.t)})"
        typed = f" — {md_escape(one_line(flag.text))}" if note and flag.text else ""
        out.append(f"- {md_escape(quote_text(view, text))}{where}{typed}")
    return out + [""]


def _uncovered(view: SessionView) -> list[str]:
    """Core questions not covered, then optional ones apart: an optional question not reached is no gap."""
    out = ["## Not covered", ""]
    if not view.not_covered(optional=False) and not view.not_covered(optional=True):
        return out + ["Every question was covered.", ""]
    for optional, title in ((False, "Core questions"), (True, "Optional questions")):
        missing = view.not_covered(optional)
        if not missing:
            continue
        out += [f"### {title}", ""]
        for cov in missing:
            stage, ask = stage_title(view, cov.stage), one_line(question_ask(view, cov.question))
            out.append(f"- {md_escape(stage)} → {md_escape(ask)} ({cov.question}): {STATE_WORDS[cov.state]}")
        out.append("")
    return out
