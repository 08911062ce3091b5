"""The journal's fast reading (a clean log decoded as one JSON array) reads exactly what the
line-by-line reading does, and gives way to it whenever a log is not clean."""

from __future__ import annotations

import pytest

from companion.store import journal


def line(seq, t=1.0, **extra) -> bytes:
    return journal.encode_event({"seq": seq, "t": t, "wall": "2026-01-01T10:00:00.000+00:00", "type": "note", **extra})


CASES = {
    "clean": line(1) + line(2) + line(3, text="a, b\nc"),
    "empty": b"",
    "torn tail": line(1) + line(2)[:-9],
    "bad line": line(1) + b"not json\n" + line(2),
    "two values on a line": line(1) + line(2)[:-1] + b"," + line(3),
    "blank line": line(1) + b"\n" + line(2),
    "trailing spaces": line(1)[:-1] + b"   \n" + line(2),
    "seq out of order": line(2) + line(1) + line(3),
    "seq a boolean": line(1) + line(True) + line(3),
    "not an object": line(1) + b"[1, 2]\n",
    "bad utf-8": line(1) + b'{"seq": 2, "t": 1, "wall": "\xff", "type": "x"}\n',
}


@pytest.mark.parametrize("name", CASES)
def test_fast_and_line_by_line_agree(name):
    data = CASES[name]
    fast, slow = journal.parse(data), journal._parse_lines(data)
    assert (fast.events, fast.good, fast.bad, fast.torn, fast.problems) == \
        (slow.events, slow.good, slow.bad, slow.torn, slow.problems)


def test_only_a_clean_log_takes_the_fast_way():
    assert journal._parse_clean(CASES["clean"]) is not None
    assert journal._parse_clean(CASES["seq out of order"]).problems  # clean lines, order noted
    for name in ("torn tail", "bad line", "two values on a line", "blank line", "seq a boolean"):
        assert journal._parse_clean(CASES[name]) is None, name
