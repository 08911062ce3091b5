"""What every format must carry: each flag's kind and text, the audio file's name; csv safe in a
spreadsheet; md as a Markdown renderer shows it; flac and opus read back by libsndfile."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from companion.errors import UsageError
from companion.export.media import Media
from companion.export.writer import FORMATS, render, write_exports
from companion.review.fold import fold
from companion.store import Store

MEDIA = Media(Path("/s/PR11/1/audio.wav"), "../audio.wav")
TEXT = [name for name, f in FORMATS.items() if f.kind == "text" and name != "qdc"]


@pytest.mark.parametrize("fmt", TEXT)
def test_every_flag_and_the_audio_file_in_every_format(view, fmt):
    import html

    text = html.unescape(render(view, fmt, MEDIA))  # vtt and eaf escape '&'
    for words in ("SAFEGUARDING", "follow protocol", "quote", "follow-up", "ask about the team meeting"):
        assert words in text, f"{fmt} lacks {words!r}"
    assert "audio.wav" in text


def formula_view(guide):
    texts = ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tindented", "plain ‘café’ 😀 مرحبا"]
    events = [{"seq": 1, "t": 0.0, "wall": "", "type": "session.start", "participant": "PR11", "guide": guide.id}]
    for i, text in enumerate(texts, start=2):
        events.append({"seq": i, "t": float(i), "wall": "", "type": "note", "text": text, "codes": [],
                       "question": None, "stage": None})
    return fold(guide, events), texts


def test_csv_is_formula_safe_with_a_bom_and_reads_back_in_pandas(guide, readers):
    view, texts = formula_view(guide)
    text = render(view, "csv")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    notes = [r for r in readers.csv(text) if r["type"] == "note"]
    assert [r["text"] for r in notes] == ["'" + t if t[0] in "=+-@\t" else t for t in texts]
    for row in notes:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


def test_no_csv_cell_starts_a_formula_whatever_the_log_names(guide, readers):
    """Stage, question, code and flag names come from the log (a damaged or hostile one too), the
    audio's name from the disk: every cell of every row is neutralised, not only the text."""
    hostile = {"stage": "=stage", "question": "+question"}
    events = [
        {"seq": 1, "t": 0.0, "wall": "", "type": "session.start", "participant": "PR11", "guide": guide.id},
        {"seq": 2, "t": 1.0, "wall": "", "type": "question.shown", **hostile},
        {"seq": 3, "t": 2.0, "wall": "", "type": "note", "text": "-1", "codes": ["@code"], **hostile},
        {"seq": 4, "t": 3.0, "wall": "", "type": "flag", "kind": "=kind", "note": None, "text": "@x", **hostile},
        {"seq": 5, "t": 4.0, "wall": "", "type": "flag", "kind": "-kind", "note": 3},
        {"seq": 6, "t": -2.0, "wall": "", "type": "recording.gap", "start": -2.0, "length": 1.0, "reason": "-gap"},
        {"seq": 7, "t": 5.0, "wall": "", "type": "question.covered", **hostile},
    ]
    media = Media(Path("/x/=audio.wav"), "=audio.wav")
    rows = readers.csv(render(fold(guide, events), "csv", media))
    assert {r["type"] for r in rows} >= {"note", "flag", "gap", "question.shown", "question.covered"}
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values()), row
    note = next(r for r in rows if r["type"] == "note")
    assert (note["stage"], note["question"], note["text"], note["codes"]) == ("'=stage", "'+question", "'-1", "'@code")


def rendered_md(view) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(render(view, "md"))


def test_md_shows_what_was_typed(guide):
    events = [
        {"seq": 1, "t": 0.0, "wall": "", "type": "session.start", "participant": "SU106", "guide": guide.id},
        {"seq": 2, "t": 1.0, "wall": "", "type": "question.shown", "question": "background", "stage": "context"},
        {"seq": 3, "t": 52.0, "wall": "", "type": "note", "text": "Tom &amp; Jerry <b>x</b> *not bold*",
         "codes": [], "question": "background", "stage": "context"},
        {"seq": 4, "t": 40.0, "wall": "", "type": "flag", "kind": "follow-up", "note": None,
         "text": "ask about 'the plan'", "question": "background", "stage": "context"},
        {"seq": 5, "t": 60.0, "wall": "", "type": "note", "text": "She said 'it was ‘home’ to me' then", "codes": [],
         "question": "background", "stage": "context"},
        {"seq": 6, "t": 61.0, "wall": "", "type": "flag", "kind": "quote", "note": 5},
    ]
    view = fold(guide, events)
    html = rendered_md(view)
    assert "Tom &amp;amp; Jerry &lt;b&gt;x&lt;/b&gt; *not bold*" in html  # shown as typed, nothing rendered
    text = render(view, "md")
    # The follow-up flag at 00:40 comes before the note at 00:52.
    assert text.index("[00:00:40] **follow-up:**") < text.index("[00:00:52]")
    assert "‘She said “it was ‘home’ to me” then’ SU106" in text
    from companion.export.markdown import nest_quotes

    assert nest_quotes("don't say \"no\" – it's ‘fine’") == "don't say “no” – it's “fine”"


def test_flac_is_lossless_and_opus_small(tmp_path, guide):
    """A 48 kHz session: FLAC holds exactly its samples, Opus is about 30 times smaller."""
    import soundfile

    from companion.store import Store as _Store

    writer = _Store(tmp_path / "store").create(guide, "PR11")
    writer.update_meta(audio={"mode": "audio", "rate": 48000})
    segment = writer.new_segment()
    rng = np.random.default_rng(3)
    t = np.arange(48000 * 6) / 48000
    samples = (8000 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
               + rng.normal(0, 300, len(t))).astype("<i2")
    with wave.open(str(segment.final), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(48000)
        w.writeframes(samples.tobytes())
    writer.finish_segment(segment.index, len(samples), 48000)
    writer.close()
    record = Store(tmp_path / "store").open(writer.name)
    (tmp_path / "out").mkdir()
    flac, opus = write_exports(record, ["flac", "opus"], tmp_path / "out", warn=None)
    data, rate = soundfile.read(str(flac), dtype="int16")
    assert rate == 48000 and np.array_equal(data, samples)
    info = soundfile.info(str(opus))
    assert info.format == "OGG" and info.subtype == "OPUS" and abs(info.duration - 6.0) < 0.02
    wav = (record.path / "audio.wav").stat().st_size
    print(f"wav {wav} B, flac {flac.stat().st_size} B, opus {opus.stat().st_size} B: {wav / opus.stat().st_size:.0f}x")
    assert wav / opus.stat().st_size > 15


def test_opus_refuses_a_rate_it_cannot_carry_in_one_sentence(stored, tmp_path):
    root, ref = stored  # recorded at 1000 Hz
    with pytest.raises(UsageError, match="Opus cannot carry audio recorded at 1000 Hz"):
        write_exports(Store(root).open(ref), "opus", tmp_path / "x.opus", warn=None)
    assert not (tmp_path / "x.opus").exists()


def test_a_session_without_audio_has_nothing_to_compress(tmp_path, guide):
    writer = Store(tmp_path / "store").create(guide, "PR11")
    writer.close()
    with pytest.raises(UsageError, match="has no audio"):
        write_exports(Store(tmp_path / "store").open(writer.name), "flac", tmp_path / "x.flac", warn=None)
