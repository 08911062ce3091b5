"""The command line's tables on a laptop terminal's 80 columns: no row wraps; the columns left
out are named; a pipe keeps every column."""

from __future__ import annotations

import io

from companion.commands.table import print_table

ROWS = [("PARTICIPANT", "SESSION", "GUIDE", "STARTED", "NOTES", "STATUS"),
        ("PR1", "20261123-112147", "professional", "2026-11-23 11:21", "566", "complete"),
        ("SU12", "20261124-090000", "service-user", "2026-11-24 09:00", "7", "interrupted")]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_narrow_terminal_loses_the_columns_named_first_and_says_so(monkeypatch):
    import os

    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((64, 24)))
    out = Terminal()
    print_table(ROWS, droppable=("STARTED", "GUIDE", "NOTES"), out=out)
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 64 for line in lines)
    assert lines[0].split() == ["PARTICIPANT", "SESSION", "GUIDE", "NOTES", "STATUS"]  # STARTED was enough
    assert lines[1].split() == ["PR1", "20261123-112147", "professional", "566", "complete"]
    assert lines[-1] == "(Hidden at 64 columns: STARTED.)"


def test_a_wide_terminal_and_a_pipe_keep_every_column(monkeypatch):
    import os

    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((200, 24)))
    for out in (Terminal(), io.StringIO()):  # a pipe is never narrowed, whatever the terminal
        print_table(ROWS, droppable=("STARTED",), right_aligned={"NOTES"}, out=out)
        lines = out.getvalue().splitlines()
        assert len(lines) == 3 and "2026-11-23 11:21" in lines[1]
        assert lines[2].split()[5] == "7" and lines[2].index("    7") > 0  # right-aligned under NOTES
    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((20, 24)))
    out = io.StringIO()
    print_table(ROWS, droppable=("STARTED",), out=out)
    assert "2026-11-23 11:21" in out.getvalue() and "Hidden" not in out.getvalue()
