"""Hostile note text survives every format: parsed back intact, in its place, at its time."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from companion.export.audacity import render_audacity
from companion.export.elan import render_eaf
from companion.export.markdown import render_md
from companion.export.nvivo import render_nvivo_text, render_nvivo_tsv
from companion.export.subtitles import render_srt, render_vtt
from companion.export.table import render_csv
from companion.export.text import clean, lines, one_line
from companion.export.timefmt import to_ms
from companion.review.fold import fold

ADVERSARIAL = [
    "00:00:01.000 --> 00:00:02.000",
    "a --> b",
    "first paragraph\n\nsecond after a blank line",
    "\n\n\nleading and trailing blank lines\n\n",
    "   \n\t\n  ",
    "<script>alert('x')</script> & <b>bold</b> &amp; already",
    "tab\tseparated\tvalues",
    "emoji 😀👩🏽‍⚕️ and flags 🇬🇧",
    "right-to-left: שלום עולם and مرحبا بالعالم",
    "carriage\r\nreturn\rlines\u2028and separators\u2029too",
    "control\x00chars\x07and\x1bescape",
    "NOTE this looks like a WebVTT block",
    "WEBVTT",
    "1",
    '"quoted", with, commas',
    "x" * 10_000,
    "",
]


def one_note(guide, text: str, t: float = 12.3456) -> list[dict]:
    return [
        {"seq": 1, "t": 0.0, "wall": "", "type": "session.start", "participant": "SU106", "guide": guide.id},
        {"seq": 2, "t": 1.0, "wall": "", "type": "question.shown", "question": "background", "stage": "context"},
        {"seq": 3, "t": t, "wall": "", "type": "note", "text": text, "codes": ["listening"],
         "question": "background", "stage": "context"},
        {"seq": 4, "t": t + 1, "wall": "", "type": "flag", "kind": "quote", "note": None, "text": text},
        {"seq": 5, "t": t + 2, "wall": "", "type": "session.end", "status": "complete"},
    ]


def check_all_formats(guide, text: str, readers, tmp_path: Path, t: float = 12.3456) -> None:
    view = fold(guide, one_note(guide, text, t))
    note = view.notes[0]
    start, end = to_ms(note.t), to_ms(note.end)
    assert end > start
    block = "\n".join(lines(text))
    flat = one_line(text)

    vtt = readers.vtt(render_vtt(view))
    assert len(vtt) == 2 and vtt[0][:2] == (start, end)
    assert vtt[0][2].split("\n")[: len(lines(text)) or 1] == (lines(text) or ["(moment)"])

    srt = readers.srt(render_srt(view))
    assert len(srt) == 2 and srt[0][:2] == (start, end)
    assert srt[0][2].startswith(block.replace("-->", "→") or "(moment)")

    # Question labels are points; a note whose text happens to start "Q " spans time.
    labels = [label for label in readers.audacity(render_audacity(view))
              if not (label[0] == label[1] and label[2].startswith("Q "))]
    assert len(labels) == 2 and labels[0][:2] == (start, end)
    assert labels[0][2].startswith(flat or "(moment)")

    rows = [r for r in readers.csv(render_csv(view)) if r["type"] == "note"]
    written = clean(text)
    # A cell a spreadsheet would run as a formula gets a leading apostrophe; nothing else changes.
    assert len(rows) == 1 and rows[0]["text"] == ("'" + written if written[:1] in ("=", "+", "-", "@", "\t") else written)

    tiers = readers.eaf(render_eaf(view), tmp_path)
    assert [(s, e) for s, e, _ in tiers["note"]] == [(start, end)]
    assert tiers["note"][0][2] == clean(text)

    paragraphs = readers.nvivo_text(render_nvivo_text(view))
    assert len(paragraphs) == 2 and paragraphs[0][2][0].startswith(flat or "(moment)")
    rows = readers.nvivo_tsv(render_nvivo_tsv(view))
    assert len(rows) == 2 and rows[0][2][0] == (flat or "(moment)")

    md = render_md(view)
    assert "<script>" not in md
    quote_line = next(line for line in md.splitlines() if "’ SU106" in line)
    assert quote_line.startswith("- ‘")


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:20]))
def test_adversarial_text(guide, text, readers, tmp_path):
    check_all_formats(guide, text, readers, tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), t=st.floats(min_value=0, max_value=20_000, allow_nan=False))
def test_any_text_at_any_time(guide, readers, tmp_path, text, t):
    check_all_formats(guide, text, readers, tmp_path, t)


def test_vtt_never_carries_a_raw_arrow_or_blank_line_in_a_cue(guide):
    text = "a --> b\n\n\nc"
    vtt = render_vtt(fold(guide, one_note(guide, text)))
    cues = vtt.split("\n\n")[2:]
    for cue in cues:
        assert cue.count("-->") == 1
    assert html.unescape("a --&gt; b") == "a --> b" and "a --&gt; b" in vtt
