"""Torn and garbage lines: detected on read, reported, set aside, and no good line lost."""

from __future__ import annotations

import json

import pytest

from companion.store.journal import CORRUPT_NAME, JOURNAL_NAME, parse


def event(seq: int, t: float = 0.0, type: str = "note", **fields) -> bytes:
    fields = fields or {"text": f"note {seq}", "codes": [], "question": None, "stage": None}
    line = {"seq": seq, "t": t, "wall": "2026-11-22T10:15:03.000+00:00", "type": type, **fields}
    return (json.dumps(line) + "\n").encode()


@pytest.fixture
def session(store, guide):
    """A closed-as-interrupted session: events 1 (start), 2-4 (notes), 5 (end)."""
    writer = store.create(guide, "PR11")
    for i in range(3):
        writer.append("note", float(i + 1), text=f"note {i}", codes=[], question=None, stage=None)
    writer.close("interrupted")
    return writer.path


def test_a_whole_log_parses_clean():
    parsed = parse(event(1) + event(2))
    assert parsed.clean and [e["seq"] for e in parsed.events] == [1, 2]


def test_torn_last_line_is_set_aside_and_every_line_before_it_kept(store, session):
    journal = session / JOURNAL_NAME
    good = journal.read_bytes()
    torn = event(6)[:23]  # a power cut in the middle of a line
    journal.write_bytes(good + torn)
    record = store.open(session)
    assert [e["seq"] for e in record.events] == [1, 2, 3, 4, 5]
    assert len(record.problems) == 1 and "line 6 was cut short (torn)" in record.problems[0]
    assert journal.read_bytes() == good
    assert (session / CORRUPT_NAME).read_bytes() == torn + b"\n"
    assert store.open(session).problems == []  # set aside once, clean afterwards


@pytest.mark.parametrize("garbage", [
    b"\x00\x00\x00\x00",  # a block of zeros after a crash on some file systems
    b"{\"seq\": 3, \"t\": 1.0",  # half an object, then a newline
    b"not json at all",
    b"[1, 2, 3]",
    b"{\"seq\": \"two\", \"t\": 0, \"wall\": \"w\", \"type\": \"note\"}",
    b"\xff\xfe\xfa",  # not UTF-8
])
def test_a_garbage_line_in_the_middle_is_set_aside_and_the_rest_kept(store, session, garbage):
    journal = session / JOURNAL_NAME
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:2]) + garbage + b"\n" + b"".join(lines[2:]))
    record = store.open(session)
    assert [e["seq"] for e in record.events] == [1, 2, 3, 4, 5]
    assert record.problems == [f"{JOURNAL_NAME} line 3 is not an event and was set aside in {CORRUPT_NAME}."]
    assert journal.read_bytes() == b"".join(lines)
    assert (session / CORRUPT_NAME).read_bytes() == garbage + b"\n"


def test_a_summary_reports_the_problem(store, session):
    (session / JOURNAL_NAME).open("ab").write(b'{"seq": 6, "t"')
    [summary] = store.sessions()
    assert summary.problems and "torn" in summary.problems[0]
    assert summary.notes == 3


def test_resuming_cuts_a_torn_tail_so_new_lines_start_clean(store, session):
    journal = session / JOURNAL_NAME
    journal.open("ab").write(b'{"seq": 6, "t": 9.0, "wall": "x", "ty')
    writer = store.resume(session)
    assert writer.problems and "torn" in writer.problems[0]
    writer.append("note", 5.0, text="after", codes=[], question=None, stage=None).result()
    writer.close()
    parsed = parse(journal.read_bytes())
    assert parsed.clean
    assert [e["seq"] for e in parsed.events] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [e["type"] for e in parsed.events[-3:]] == ["session.resume", "note", "session.end"]


def test_a_live_session_is_read_but_never_changed(store, guide):
    writer = store.create(guide, "PR11")
    writer.flush()
    journal = writer.path / JOURNAL_NAME
    journal.open("ab").write(b'{"seq": 2, "t"')  # what a reader might see mid-write
    record = store.open(writer.path)
    assert [e["seq"] for e in record.events] == [1]
    assert "left as it is" in record.problems[0]
    assert journal.read_bytes().endswith(b'{"seq": 2, "t"')
    assert not (writer.path / CORRUPT_NAME).exists()
    writer.abandon()


def test_out_of_order_seq_is_reported_but_kept():
    parsed = parse(event(1) + event(3) + event(2))
    assert [e["seq"] for e in parsed.events] == [1, 3, 2]
    assert parsed.problems == [f"{JOURNAL_NAME} line 3: seq 2 does not follow seq 3."]
