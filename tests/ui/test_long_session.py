"""A long session in review: the view takes keys with its thousands of rows all there at once
(only those on screen are drawn), in order, and a correction far down keeps the cursor where it was."""

from __future__ import annotations

import json
from pathlib import Path

from companion.store import Store
from companion.ui.app import StartRequest
from companion.ui.screens.session_view import SessionScreen

from .conftest import wait_for


def drawn(table) -> str:
    """The timeline's lines as they are on screen now."""
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


NOTES = 2500


def long_session(guide) -> str:
    writer = Store(Path("sessions")).create(guide, "PR11")
    writer.flush()
    writer.abandon()
    lines = [{"seq": n + 2, "t": float(n), "wall": "2026-03-05T10:00:00.000+00:00", "type": "note",
              "text": f"note {n}", "codes": [], "question": None, "stage": None} for n in range(NOTES)]
    with open(writer.path / "events.jsonl", "a", encoding="utf-8") as log:
        log.write("".join(json.dumps(line) + "\n" for line in lines))
    return f"PR11/{writer.session_id}"


async def test_the_view_takes_keys_with_every_row_in(make_app, workdir, professional):
    ref = long_session(professional)
    app = make_app(StartRequest(review=ref))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.query("#timeline")
                       and app.screen.query_one("#timeline").row_count)
        screen = app.screen
        table = screen.query_one("#timeline")
        assert table.row_count == NOTES  # every row, none drawn until seen
        await pilot.press("down", "down", "down")
        assert table.cursor_row == 3
        await pilot.press("end")
        assert table.cursor_row == NOTES - 1
        assert str(table.get_row_at(NOTES - 1)[2]) in drawn(table)  # scrolled to it, and drawn
        await pilot.press("home", "pagedown")
        assert 3 < table.cursor_row < 40 and str(table.get_row_at(table.cursor_row)[2]) in drawn(table)
        assert [str(table.get_row_at(i)[2]) for i in (0, NOTES - 1)] == ["note 0", f"note {NOTES - 1}"]
        table.move_cursor(row=NOTES - 10)
        await pilot.press("e", "ctrl+u", *"fixed", "enter")
        await wait_for(pilot, lambda: any(n.text == "fixed" for n in screen.view.notes))
        assert table.cursor_row == NOTES - 10
        assert str(table.get_row_at(NOTES - 10)[2]) == "fixed (corrected)"
        await wait_for(pilot, lambda: table.row_count == NOTES)
