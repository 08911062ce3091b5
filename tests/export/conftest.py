"""A realistic session as an event log: breaks, a resumed segment, corrections, tags, flags."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from companion.guide.model import (
    Code, ClosingItem, ConsentItem, Guide, IdRule, Question, Stage, Study,
)
from companion.review.fold import fold

START = datetime(2024, 3, 5, 10, 0, 0, tzinfo=timezone(timedelta(hours=0)))


def make_guide() -> Guide:
    return Guide(
        id="professional",
        title="Interview – Topic Guide (Professional Version)",
        audience="professional",
        study=Study("Mental Health Recovery and Care Coordination Research Project", "Northumbria University",
                    date(2015, 6, 30)),
        participant_id=IdRule("PR", r"PR[0-9]{1,4}", "PR11"),
        preamble=(
            ConsentItem("thanks", "Thanks for agreeing to be involved."),
            ConsentItem("record", "With your permission we will digitally record the interview.", True, True),
            ConsentItem("consent-form", "Please complete the consent form.", True),
        ),
        stages=(
            Stage("context", "Context", (
                Question("background", "Can I begin with some background on you?", probes=("Role?", "Years?")),
            )),
            Stage("early", "Early stages – setting up", (
                Question("early-goal", "Is recovery the goal of care coordination?"),
                Question("first-meeting", "Describe a first meeting that went well."),
            )),
            Stage("middle", "Middle stages – consolidation", (
                Question("stuck", "How do you know when things are stuck?"),
                Question("carers", "What role do carers play?"),
            )),
            Stage("final", "Final stages", (
                Question("exit", "How does care coordination end?"),
            )),
        ),
        closing=(ClosingItem("anything-else", "Anything else you wish to say?"),
                 ClosingItem("thanks", "Thank you for your time.")),
        codebook=(
            Code("listening", "Listening and responding", "Theme 1"),
            Code("perceptions", "Sharing perceptions of recovery"),
            Code("stuck", "Recognising when you are stuck"),
            Code("stuck.recognising", "Recognising", parent="stuck"),
            Code("family", "Including and educating family & <supporters>"),
        ),
    )


class Log:
    """Builds events the way the recorder writes them: seq, t, wall, type, fields."""

    def __init__(self) -> None:
        self.events: list[dict] = []
        self.paused = 0.0  # wall seconds spent in breaks, which the audio timeline skips

    def add(self, t: float, type: str, **fields) -> int:
        seq = len(self.events) + 1
        if type == "recording.resume":
            self.paused += 300.0
        wall = (START + timedelta(seconds=t + self.paused)).isoformat(timespec="milliseconds")
        self.events.append({"seq": seq, "t": t, "wall": wall, "type": type, **fields})
        return seq


def make_events() -> list[dict]:
    log = Log()
    log.add(0.0, "session.start", participant="PR11", guide="professional", guide_title="Interview", audience="professional")
    for item in ("thanks", "record", "consent-form"):
        log.add(0.0, "consent.tick", item=item, checked=True)
    log.add(0.0, "recording.start", mode="audio", segment=1, device="null", rate=48000)
    log.add(2.5, "question.shown", question="background", stage="context")
    log.add(3.0, "note", text="Care coordinator for 11 years", codes=[], question="background", stage="context")
    n_typo = log.add(9.25, "note", text="Moved form nursing", codes=["listening"], question="background", stage="context")
    log.add(10.0, "probe.covered", question="background", probe=0, text="Role?")
    log.add(30.0, "question.covered", question="background", stage="context")
    log.add(31.0, "question.shown", question="early-goal", stage="early")
    n_quote = log.add(59.9996, "note", text="Recovery is the goal, but whose recovery?\nIt has to be theirs.",
                      codes=["perceptions"], question="early-goal", stage="early")
    log.add(61.0, "flag", kind="quote", note=n_quote)
    log.add(62.0, "question.covered", question="early-goal", stage="early")
    log.add(63.0, "question.shown", question="first-meeting", stage="early")
    log.add(64.0, "recording.break")
    # Notes typed during a break sit at the break point, marked.
    log.add(64.0, "note", text="Participant asked for a break — tea", codes=[], question="first-meeting",
            stage="early", during_break=True)
    log.add(64.0, "note", text="Second note at the same moment", codes=["family"], question="first-meeting",
            stage="early", during_break=True)
    log.add(64.0, "recording.resume")
    log.add(70.0, "note", text="Described a home visit <with> family & friends --> good", codes=["family", "listening"],
            question="first-meeting", stage="early")
    log.add(80.0, "question.skipped", question="first-meeting", stage="early")
    log.add(81.0, "question.shown", question="stuck", stage="middle")
    n_sg = log.add(95.5, "note", text="Mentioned a current risk to a child", codes=[], question="stuck", stage="middle")
    log.add(96.0, "flag", kind="safeguarding", note=n_sg, text="follow protocol")
    log.add(100.0, "recording.gap", start=100.0, length=2.5, reason="device unplugged")
    log.add(103.0, "recording.state", state="fault", reason="device lost")
    # The process died; the session resumed into a second audio segment on the same timeline.
    log.add(110.0, "session.resume", segment=2)
    log.add(110.0, "recording.start", mode="audio", segment=2, device="null", rate=48000)
    log.add(115.0, "note", text="Back after the restart", codes=["stuck"], question="stuck", stage="middle")
    log.add(120.0, "flag", kind="follow-up", note=None, text="ask about the team meeting", question="stuck", stage="middle")
    log.add(121.0, "recording.overflow", count=3)
    log.add(125.0, "question.covered", question="stuck", stage="middle")
    log.add(126.0, "question.shown", question="carers", stage="middle")
    log.add(127.0, "note", text="", codes=[], question="carers", stage="middle")
    log.add(3599.9996, "note", text="One hour in", codes=[], question="carers", stage="middle")
    log.add(3601.0, "closing.tick", item="anything-else")
    log.add(3602.0, "closing.tick", item="thanks")
    log.add(3603.0, "recording.stop", duration=3603.0)
    log.add(3603.0, "session.end", status="complete")
    # After the interview: corrections and re-tags are new events.
    log.add(3603.0, "note.corrected", note=n_typo, text="Moved from nursing")
    log.add(3603.0, "note.tagged", note=n_typo, codes=["listening", "stuck.recognising"])
    return log.events


@pytest.fixture
def guide() -> Guide:
    return make_guide()


@pytest.fixture
def events() -> list[dict]:
    return make_events()


@pytest.fixture
def meta() -> dict:
    return {
        "participant": "PR11",
        "session": "2024-03-05-1000",
        "guide": "professional",
        "started": START.isoformat(),
        "ended": (START + timedelta(seconds=3603)).isoformat(),
        "status": "complete",
        "retain_until": "2018-06-30",
        "audio": {"mode": "audio", "segments": [
            {"file": "audio-01.wav", "start": 0.0, "frames": 48000 * 110, "rate": 48000, "duration": 110.0},
            {"file": "audio-02.wav", "start": 110.0, "frames": 48000 * 3493, "rate": 48000, "duration": 3493.0},
        ]},
    }


@pytest.fixture
def view(guide, events, meta):
    return fold(guide, events, meta)


# --- Independent readers: each export parsed back by something that is not the exporter ----

import io as _io
import re as _re
from datetime import timedelta as _td
from pathlib import Path as _Path
from types import SimpleNamespace as _NS

HERE = _Path(__file__).resolve().parent
AUDACITY_LINE = _re.compile(r"(\d+\.\d{6})\t(\d+\.\d{6})\t([^\t\r\n]*)")
NVIVO_TIMESPAN = _re.compile(r"(\d{2}):([0-5]\d):([0-5]\d)\.(\d)-(\d{2}):([0-5]\d):([0-5]\d)\.(\d)")


def _ms(delta: _td) -> int:
    return round(delta.total_seconds() * 1000)


def _hms_ms(text: str) -> int:
    h, m, s = text.split(":")
    sec, frac = s.replace(",", ".").split(".")
    return (int(h) * 3600 + int(m) * 60 + int(sec)) * 1000 + int(frac)


def read_vtt(text: str) -> list[tuple[int, int, str]]:
    import html

    import webvtt

    # webvtt-py leaves character references as written; a player decodes them, as here.
    return [(_hms_ms(c.start), _hms_ms(c.end), html.unescape(c.text)) for c in webvtt.from_string(text)]


def read_srt(text: str) -> list[tuple[int, int, str]]:
    import srt

    return [(_ms(s.start), _ms(s.end), s.content) for s in srt.parse(text, ignore_errors=False)]


def validate_eaf(data: str) -> None:
    import os

    from lxml import etree

    doc = etree.fromstring(data.encode("utf-8"))
    schemas = [HERE / "eaf3_schema.xsd"]
    if os.environ.get("COMPANION_EAF_XSD"):
        schemas.append(_Path(os.environ["COMPANION_EAF_XSD"]))
    for path in schemas:
        schema = etree.XMLSchema(etree.parse(str(path)))
        assert schema.validate(doc), f"{path.name}: {schema.error_log}"


def read_eaf(data: str, tmp_path: _Path) -> dict[str, list[tuple[int, int, str]]]:
    """Tier id -> (start ms, end ms, value), read by pympi-ling after schema validation."""
    from pympi.Elan import Eaf

    validate_eaf(data)
    path = tmp_path / "read.eaf"
    path.write_text(data, encoding="utf-8")
    eaf = Eaf(str(path))
    return {tier: sorted(eaf.get_annotation_data_for_tier(tier)) for tier in eaf.get_tier_names()}


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows as pandas reads the file Excel would open: UTF-8 with its BOM, every cell a string."""
    import pandas

    assert text.startswith("\ufeff"), "no UTF-8 byte-order mark"
    frame = pandas.read_csv(_io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)
    return frame.to_dict("records")


def read_audacity(text: str) -> list[tuple[int, int, str]]:
    assert text.endswith("\n")
    out = []
    for line in text[:-1].split("\n"):
        match = AUDACITY_LINE.fullmatch(line)
        assert match, f"not a label line: {line!r}"
        out.append((round(float(match[1]) * 1000), round(float(match[2]) * 1000), match[3]))
    return out


def _tab_rows(text: str, header: tuple[str, ...]) -> list[tuple[int, int, list[str]]]:
    """NVivo's plain-text import: the same number of tabs on every line, a timespan column."""
    lines = text.rstrip("\n").split("\n")
    assert tuple(lines[0].split("\t")) == header
    out = []
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == len(header), f"not {len(header)} cells: {line!r}"
        match = NVIVO_TIMESPAN.fullmatch(cells[0])
        assert match, f"bad timespan: {cells[0]!r}"
        g = [int(x) for x in match.groups()]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 10 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 10 + g[7]
        out.append((start, end, cells[1:]))
    return out


def read_nvivo_text(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end in tenths of a second, [content, audio]) per row after the header."""
    return _tab_rows(text, ("Timespan", "Content", "Audio"))


def read_nvivo_tsv(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end in tenths of a second, cells) per row after the header."""
    return _tab_rows(text, ("Timespan", "Content", "Stage", "Question", "Codes", "Flags", "Audio"))


@pytest.fixture
def readers():
    return _NS(vtt=read_vtt, srt=read_srt, eaf=read_eaf, validate_eaf=validate_eaf, csv=read_csv,
               audacity=read_audacity, nvivo_text=read_nvivo_text, nvivo_tsv=read_nvivo_tsv)


# --- A session written through the real store ---------------------------------------------


STORED_RATE = 1000  # a low rate keeps the hour of audio small; WAV and the join take any rate


def _write_segment(folder: _Path, name: str, seconds: float) -> int:
    import wave

    frames = int(seconds * STORED_RATE)
    with wave.open(str(folder / name), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(STORED_RATE)
        w.writeframes(bytes(frames * 2))
    return frames


def write_stored_session(root: _Path, audio: bool = True) -> str:
    """Write make_events() through companion.store, with its two audio segments (110 s, then
    3493 s from 110 s), and return its PARTICIPANT/SESSION-ID."""
    from companion.store import Store

    writer = Store(root).create(make_guide(), "PR11")
    writer.update_meta(audio={"mode": "audio", "rate": STORED_RATE})
    events = make_events()
    first = writer.new_segment()
    for event in events[1:]:
        fields = {k: v for k, v in event.items() if k not in ("seq", "t", "wall", "type")}
        if event["type"] == "session.end":
            continue
        if event["type"] == "session.resume":
            frames = _write_segment(writer.path, first.final.name, 110) if audio else 110 * STORED_RATE
            writer.finish_segment(first.index, frames, STORED_RATE)
            writer.append(event["type"], event["t"], **fields)
            second = writer.new_segment()
            continue
        writer.append(event["type"], event["t"], **fields)
    frames = _write_segment(writer.path, second.final.name, 3493) if audio else 3493 * STORED_RATE
    writer.finish_segment(second.index, frames, STORED_RATE)
    writer.close()
    return writer.name


@pytest.fixture
def stored(tmp_path) -> tuple[_Path, str]:
    root = tmp_path / "sessions"
    return root, write_stored_session(root)


@pytest.fixture
def write_session():
    return write_stored_session
