"""What the exports share and the short cuts they take change no byte of what they write:
one fold exported in every format writes what each format writes from a fold of its own; the
fast text, Markdown and GUID functions agree with the plain definitions they replace."""

from __future__ import annotations

import gc
import math
import re
import uuid
import weakref
from datetime import datetime, timezone
from pathlib import Path

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from companion.collector import collector_paused
from companion.export.common import printed_hms_ms, printed_seconds_ms, printed_tenths
from companion.export.elan import render_eaf
from companion.export.markdown import md_escape
from companion.export.media import Media
from companion.export.qdpx import SessionSource, render_project
from companion.export.refi_codes import GUID_NAMESPACE, guid
from companion.export.text import clean, lines
from companion.export.timefmt import hms, hms_ms, hms_tenths, seconds_ms, tenths_clock, to_ms
from companion.export.writer import FORMATS, render
from companion.review.fold import fold

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
MEDIA = Media(Path("/sessions/PR11/1/audio.wav"), "../audio.wav")
TEXT_FORMATS = [name for name, f in FORMATS.items() if f.kind == "text" and name != "eaf"]
# Characters at every edge the short cuts test for: controls, every line break str.splitlines
# knows, runs of spaces and tabs, surrogates and non-characters, Markdown's markup.
EDGES = st.text(alphabet=st.sampled_from(
    [chr(c) for c in range(0x00, 0x21)] + [chr(c) for c in range(0x7f, 0xa1)]
    + list("\u2028\u2029\ufffe\uffff\ud800\u3000ab\\`*_[]<>#|&é😀")), max_size=16)


def everything(view) -> list[str]:
    return ([render(view, fmt, MEDIA) for fmt in TEXT_FORMATS] + [render_eaf(view, MEDIA, date=NOW)]
            + [render_project([SessionSource(view, None)], "p", now=NOW)[0]])


def test_one_fold_in_every_format_writes_what_each_writes_alone(guide, events, meta):
    shared = fold(guide, events, meta)
    together = everything(shared)
    alone = []
    for index in range(len(together)):
        own = fold(guide, events, meta)  # a fold of its own for each format
        alone.append(everything(own)[index])
    assert together == alone
    assert shared.derived and not fold(guide, events, meta).derived  # shared, and only by that fold


def test_what_an_export_shares_dies_with_its_fold(guide, events, meta):
    view = fold(guide, events, meta)
    everything(view)
    gone = weakref.ref(view)
    gc.disable()  # freed by reference counting alone: the shared work holds no cycle back to the fold
    try:
        del view
        assert gone() is None
    finally:
        gc.enable()


def _clean(text: str) -> str:
    return "\n".join(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]", "", line)
                     for line in text.splitlines())


def _lines(text: str) -> list[str]:
    return [line for line in (re.sub(r"[ \t]+", " ", line).strip() for line in _clean(text).split("\n")) if line]


@settings(max_examples=1000, deadline=None)
@given(text=EDGES)
def test_clean_and_lines_agree_with_their_definitions(text):
    assert clean(text) == _clean(text)
    assert lines(text) == _lines(text)
    assert md_escape(text) == re.sub(r"([\\`*_\[\]<>#|&])", r"\\\1", text)


@settings(max_examples=300, deadline=None)
@given(key=st.text(max_size=40))
def test_guids_are_uuid5_of_their_key(key):
    assert guid(key) == str(uuid.uuid5(GUID_NAMESPACE, key))


@settings(max_examples=500, deadline=None)
@given(seconds=st.floats(min_value=-5, max_value=400_000, allow_nan=False))
def test_clock_times_agree_with_their_definitions(seconds):
    ms = max(0, math.floor(seconds * 1000 + 0.5))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    assert hms_ms(seconds) == f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"
    assert hms_ms(seconds, ",") == f"{h:02d}:{m:02d}:{s:02d},{milli:03d}"
    assert hms(seconds) == f"{h:02d}:{m:02d}:{s:02d}"
    tenths = (ms + 50) // 100
    h, rest = divmod(tenths * 100, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    assert hms_tenths(seconds) == f"{h:02d}:{m:02d}:{s:02d}.{milli // 100}"


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seconds=st.floats(min_value=-5, max_value=400_000, allow_nan=False))
def test_a_folds_printed_moments_agree_with_timefmt(guide, seconds):
    view = fold(guide, [])
    assert printed_hms_ms(view)[seconds] == hms_ms(seconds)
    assert printed_seconds_ms(view)[seconds] == seconds_ms(seconds)
    tenths = (to_ms(seconds) + 50) // 100
    assert printed_tenths(view)[tenths] == tenths_clock(tenths) == hms_tenths(seconds)


def _laid_out_again(written: str, space: str) -> str:
    """``written`` without its layout, then laid out by ET.indent."""
    root = ET.fromstring(written.encode("utf-8"))
    for element in root.iter():  # forget the layout, keep every value
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    ET.indent(root, space=space)
    return ET.tostring(root, encoding="unicode")


def test_eaf_is_laid_out_as_elementtree_indents_it(guide, events, meta):
    """The time slots and annotations get their line breaks as they are made: the document is
    byte for byte what ET.indent makes of the same elements."""
    written = render_eaf(fold(guide, events, meta), MEDIA, date=NOW)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    assert written == '<?xml version="1.0" encoding="UTF-8"?>\n' + _laid_out_again(written, "    ") + "\n"


def test_a_project_is_laid_out_as_elementtree_indents_it(guide, events, meta):
    """The selections and notes get their line breaks as they are made: project.qde is byte for
    byte what ET.indent makes of the same elements, for several sessions, with and without audio."""
    views = [fold(guide, events, meta), fold(guide, [], {"participant": "PR12", "session": "1"}),
             fold(guide, events, {**meta, "session": "2"})]
    sources = [SessionSource(views[0], Path("/s/a.wav")), SessionSource(views[1], None), SessionSource(views[2], None)]
    written = render_project(sources, "p", now=NOW)[0]
    ET.register_namespace("", "urn:QDA-XML:project:1.0")
    assert written == '<?xml version="1.0" encoding="utf-8"?>\n' + _laid_out_again(written, "  ") + "\n"


def test_the_collector_runs_again_after_an_export_and_stays_off_when_it_was(guide, events, meta):
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        1 / 0
    assert gc.isenabled()  # back on after a failure too
    gc.disable()
    try:
        render(fold(guide, events, meta), "eaf", MEDIA)
        assert not gc.isenabled()  # whoever turned it off still has it off
    finally:
        gc.enable()
