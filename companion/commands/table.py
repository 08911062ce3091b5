"""A plain-text table for the terminal: each column as wide as its widest cell.

On a terminal too narrow for every column (a laptop's terminal opens at 80), the columns a
reader can most easily do without are left out, in the order given, and named on a line
under the table, so no row wraps into the next. Piped to a file or another program the
table keeps every column (scripts read it).
"""

from __future__ import annotations

import shutil
import sys

GAP = "  "


def print_table(rows: list[tuple[str, ...]], droppable: tuple[str, ...] = (), right_aligned: set[str] = frozenset(),
                out=None) -> None:
    """``rows[0]`` is the header; ``droppable`` and ``right_aligned`` name header cells."""
    out = out or sys.stdout
    header = rows[0]
    kept = list(range(len(header)))
    room = shutil.get_terminal_size().columns if out.isatty() else None
    widths = [max(len(row[i]) for row in rows) for i in kept]
    left_out = []
    for name in droppable:
        if room is None or _width(kept, widths) <= room:
            break
        kept.remove(header.index(name))
        left_out.append(name)
    for line in table_lines(rows, right_aligned, kept):
        print(line, file=out)
    if left_out:
        print(f"(Hidden at {room} columns: {', '.join(left_out)}.)", file=out)


def table_lines(rows: list[tuple[str, ...]], right_aligned=frozenset(), kept: list[int] | None = None) -> list[str]:
    """The table's lines: the columns ``kept`` (all by default), each as wide as its widest cell."""
    header = rows[0]
    kept = range(len(header)) if kept is None else kept
    widths = {i: max(len(row[i]) for row in rows) for i in kept}
    return [GAP.join(row[i].rjust(widths[i]) if header[i] in right_aligned else row[i].ljust(widths[i])
                     for i in kept).rstrip() for row in rows]


def _width(kept: list[int], widths: list[int]) -> int:
    return sum(widths[i] for i in kept) + len(GAP) * (len(kept) - 1)
