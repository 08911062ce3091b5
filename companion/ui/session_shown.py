"""What the session view shows of one fold of a session's log: the timeline's rows in time
order, the outline as covered, the quotes and the safeguarding flags — worked out off the UI
thread, in the worker that read the session (or folded a correction)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from companion.timefmt import clock

# Fixed widths: sizing columns to fit would measure every cell of a long session.
COLUMNS = (("Time", 8), ("What", 16), ("Text", 160))
COVERAGE_WORDS = {"covered": "✓ covered", "skipped": "– skipped", "shown-not-marked": "○ shown, not marked", "not-reached": "· not reached"}


def timeline_rows(view) -> list[tuple[float, str, str, str]]:
    """(time, kind, text, key) for every note, flag, coverage mark, break and gap, in time order."""
    labels = {c.id: c.label for c in view.guide.codebook}
    rows = []
    for note in view.notes:
        text = note.text + (" (corrected)" if note.corrected else "")
        if note.codes:
            text += "  #" + " #".join(labels.get(c, c) for c in note.codes)
        rows.append((note.t, "note" + (" (break)" if note.during_break else ""), text, f"note:{note.seq}"))
    for flag in view.flags:
        about = view.note(flag.note).text if flag.note is not None and view.note(flag.note) else "this moment"
        extra = f" — {flag.text}" if flag.text else ""
        rows.append((flag.t, f"⚑ {flag.kind}", f"{about}{extra}", f"flag:{flag.seq}"))
    for event in view.coverage_events:
        if event.type != "question.shown":
            question = view.guide.question(event.question)
            what = event.text if event.type in ("probe.covered", "prompt.covered") else (question.ask if question else event.question)
            rows.append((event.t, event.type.replace("question.", ""), what, f"cov:{event.seq}"))
    for span in view.breaks:
        rows.append((span.start, "⏸ break", f"{span.wall_seconds or 0:.0f} s by the clock", f"break:{span.start}"))
    for gap in view.gaps:
        rows.append((gap.start, "⚠ gap", f"{gap.length:.1f} s lost: {gap.reason}", f"gap:{gap.start}"))
    return sorted(rows, key=lambda row: row[0])


class TimelineCells(Sequence):
    """What the timeline shows of each row — its time, kind and (one line of) text — made as
    a row is drawn, not for every row of a long session before the screen can open."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        t, kind, text, _ = self.rows[index]
        return clock(t), kind, text.replace("\n", " ")[:200]


class Shown:
    """Everything the screen shows of one fold, worked out before it reaches the UI thread
    (the screen is made in the worker that read the session; a correction's fold in its own)."""

    def __init__(self, view):
        self.rows = timeline_rows(view)
        self.cells = TimelineCells(self.rows)
        self.outline = render_outline(view)
        self.quotes = render_flags(view, "quote", view.participant)
        self.safeguarding = render_flags(view, "safeguarding", view.participant)


def render_outline(view) -> Text:
    """Each question after its mark (the marks are named once, on the first line): a side
    panel at 80 columns has room for the mark and the start of the question, not a word too."""
    words = list(COVERAGE_WORDS.values())
    text = Text(f"{'  '.join(words[:2])}\n{'  '.join(words[2:])}\n", style="dim")
    for stage in view.guide.stages:
        text.append(f"{stage.title}\n", style="bold")
        for question in stage.questions:
            state = view.coverage[question.id].state if question.id in view.coverage else "not-reached"
            text.append(f"  {COVERAGE_WORDS[state][0]} {' '.join(question.ask.split())}\n")
    return text


def render_flags(view, kind: str, participant: str) -> Text:
    text = Text()
    flags = [f for f in view.flags if f.kind == kind]
    if not flags:
        text.append(f"No {kind} flags in this session.", style="italic")
    for flag in flags:
        note = view.note(flag.note) if flag.note is not None else None
        quoted = f"‘{note.text}’ {participant}" if note else "(a moment, no note)"
        text.append(f"{clock(flag.t):>8}  {quoted}\n")
        if flag.text:
            text.append(f"          {flag.text}\n", style="italic")
    return text
