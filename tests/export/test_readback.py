"""Every export parsed back by an independent reader, with the log's times to the millisecond."""

from __future__ import annotations

from companion.export.audacity import render_audacity
from pathlib import Path

from companion.export.elan import render_eaf
from companion.export.media import Media
from companion.export.markdown import render_md
from companion.export.nvivo import render_nvivo_text, render_nvivo_tsv
from companion.export.subtitles import render_srt, render_vtt
from companion.export.table import render_csv
from companion.export.timefmt import to_ms


def cue_spans(view) -> list[tuple[int, int]]:
    """Notes and moment flags, as the timed-text formats carry them."""
    spans = [(to_ms(n.t), to_ms(n.end)) for n in view.notes]
    spans += [(to_ms(f.t), to_ms(f.end)) for f in view.flags if f.note is None]
    return sorted(spans)


def test_vtt_reads_back(view, readers):
    text = render_vtt(view)
    assert text.startswith("WEBVTT\n\nNOTE ")
    cues = readers.vtt(text)
    assert sorted((s, e) for s, e, _ in cues) == cue_spans(view)
    texts = [t for _, _, t in cues]
    assert any(t.startswith("Described a home visit <with> family & friends --> good") for t in texts)
    assert "01:00:00.000 --> 01:00:01.000" in text  # 3599.9996 carried into the hour


def test_srt_reads_back(view, readers):
    cues = readers.srt(render_srt(view))
    assert sorted((s, e) for s, e, _ in cues) == cue_spans(view)
    assert any("Recovery is the goal, but whose recovery?\nIt has to be theirs." in t for _, _, t in cues)


def test_audacity_reads_back(view, readers):
    labels = readers.audacity(render_audacity(view))
    ranges = sorted((s, e) for s, e, t in labels if not t.startswith("Q "))
    assert ranges == cue_spans(view)
    points = [(s, e) for s, e, t in labels if t.startswith("Q ")]
    shown = [ev for ev in view.coverage_events if ev.type == "question.shown"]
    assert points == [(to_ms(ev.t), to_ms(ev.t)) for ev in shown]


def test_csv_reads_back(view, readers):
    rows = readers.csv(render_csv(view))
    notes = [r for r in rows if r["type"] == "note"]
    assert [(round(float(r["start"]) * 1000), round(float(r["end"]) * 1000)) for r in notes] == [
        (to_ms(n.t), to_ms(n.end)) for n in view.notes]
    assert [r["text"] for r in notes] == [n.text for n in view.notes]
    assert notes[1]["codes"] == "listening;stuck.recognising"
    assert {r["type"] for r in rows} >= {"note", "flag", "question.shown", "question.covered",
                                         "question.skipped", "probe.covered", "break", "gap"}
    for r in rows:
        assert r["start_hms"].count(":") == 2 and len(r["start_hms"]) == 12
    flags = [r for r in rows if r["type"] == "flag"]
    assert [r["flags"] for r in flags] == ["quote", "safeguarding", "follow-up"]


MEDIA = Media(Path("/s/PR11/1/audio.wav"), "../audio.wav")


def test_eaf_validates_and_reads_back(view, readers, tmp_path):
    tiers = readers.eaf(render_eaf(view, MEDIA), tmp_path)
    notes = sorted(a for name, anns in tiers.items() if name.startswith("note") for a in anns)
    assert [(s, e) for s, e, _ in notes] == sorted((to_ms(n.t), to_ms(n.end)) for n in view.notes)
    assert "note-2" in tiers  # the two notes typed in the same break moment cannot share a tier
    assert [(s, e) for s, e, _ in tiers["stage"]] == [(to_ms(s.start), to_ms(s.end)) for s in view.stage_spans]
    assert [(s, e) for s, e, _ in tiers["question"]] == [(to_ms(q.start), to_ms(q.end)) for q in view.question_spans]
    assert sorted(v for _, _, v in tiers["flag"]) == [
        "SAFEGUARDING: follow protocol", "follow-up: ask about the team meeting",
        "quote: Recovery is the goal, but whose recovery?\nIt has to be theirs."]
    codes = sorted(v for name, anns in tiers.items() if name.startswith("code") for _, _, v in anns)
    assert "Recognising" in codes
    for anns in tiers.values():
        assert all(e > s for s, e, _ in anns)
        assert all(a[1] <= b[0] for a, b in zip(anns, anns[1:])), "overlap within a tier"


def test_eaf_links_the_one_audio_file(view, tmp_path):
    from lxml import etree

    doc = etree.fromstring(render_eaf(view, MEDIA).encode())
    [descriptor] = doc.findall("HEADER/MEDIA_DESCRIPTOR")
    assert descriptor.get("RELATIVE_MEDIA_URL") == "../audio.wav"
    assert descriptor.get("MEDIA_URL") == "file:///s/PR11/1/audio.wav"
    assert descriptor.get("MIME_TYPE") == "audio/x-wav" and descriptor.get("TIME_ORIGIN") is None
    assert not [p for p in doc.findall("HEADER/PROPERTY") if "segment" in p.get("NAME")]
    assert doc.get("FORMAT") == "3.0" and doc.get("VERSION") == "3.0"
    assert [c.tag for c in doc][:2] == ["HEADER", "TIME_ORDER"]


def tenths(view) -> list[tuple[int, int]]:
    return [((s + 50) // 100, max((e + 50) // 100, (s + 50) // 100 + 1)) for s, e in cue_spans(view)]


def test_nvivo_text_is_tab_delimited_with_a_timespan(view, readers):
    rows = readers.nvivo_text(render_nvivo_text(view, MEDIA))
    assert [(s, e) for s, e, _ in rows] == tenths(view)
    assert {cells[1] for *_, cells in rows} == {"../audio.wav"}
    contents = [cells[0] for *_, cells in rows]
    assert "Mentioned a current risk to a child [flags: SAFEGUARDING: follow protocol]" in contents
    assert "ask about the team meeting [flag: follow-up]" in contents


def test_nvivo_tsv_reads_back_with_every_flag(view, readers):
    rows = readers.nvivo_tsv(render_nvivo_tsv(view, MEDIA))
    assert [(s, e) for s, e, _ in rows] == tenths(view)
    flags = {cells[0]: cells[4] for *_, cells in rows if cells[4]}
    assert flags == {
        "Recovery is the goal, but whose recovery? It has to be theirs.": "quote",
        "Mentioned a current risk to a child": "SAFEGUARDING: follow protocol",
        "ask about the team meeting": "follow-up: ask about the team meeting",
    }
    assert {cells[5] for *_, cells in rows} == {"../audio.wav"}


def test_md_report(view):
    text = render_md(view)
    assert "- **Participant ID:** PR11" in text
    assert "- **Retain until:** 2018-06-30" in text
    assert "‘Recovery is the goal, but whose recovery? It has to be theirs.’ PR11" in text
    assert "## Safeguarding" in text and "follow protocol" in text
    assert "How does care coordination end? (exit): not reached" in text
    assert "- [00:00:09] Moved from nursing *(corrected)* — tags: Listening and responding, Recognising" in text
    assert "\\<with\\>" in text  # no raw HTML from a note


def test_a_clock_mode_session_without_audio_still_validates(guide, readers, tmp_path):
    from companion.review.fold import fold

    events = [
        {"seq": 1, "t": 0.0, "wall": "", "type": "session.start", "participant": "C09", "guide": guide.id},
        {"seq": 2, "t": 0.0, "wall": "", "type": "recording.start", "mode": "clock", "segment": None,
         "reason": "no input device"},
        {"seq": 3, "t": 5.0, "wall": "", "type": "note", "text": "only a note", "codes": ["nonexistent-code"],
         "question": None, "stage": None},
    ]
    view = fold(guide, events)
    tiers = readers.eaf(render_eaf(view), tmp_path)
    assert tiers["note"] == [(5000, 9000, "only a note")]
    assert tiers["stage"] == [] and tiers["code"] == [(5000, 9000, "nonexistent-code")]
    assert "## Before the first question" in render_md(view)
