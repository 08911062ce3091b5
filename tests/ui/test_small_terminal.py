"""At a laptop terminal's default 80×24. The consent checklist: the list scrolls in the room it
has, and what says whether recording may start — the gate line and both ways to start — stays
in view; the start buttons take a click as their keys (s, w) do, and only when they may. The
New interview form: its buttons stay in view with an error under the participant ID."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for
from .test_bursts import new_interview_form
from .test_interview_flow import tick_items

SMALL = (80, 24)


def in_view(screen, selector: str) -> bool:
    region = screen.query_one(selector).region
    return region.height > 0 and region.y >= 0 and region.bottom <= SMALL[1] - 1  # the footer is the last line


async def test_the_gate_and_the_buttons_stay_in_view_at_80x24(make_app):
    carer = load_guide(shipped_guides_dir() / "carer.yaml")  # the longest checklist shipped
    app = make_app(StartRequest(guide=carer, participant="C07"))
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        screen = app.screen
        for selector in ("#reading", "#missing", "#record", "#norecord"):
            assert in_view(screen, selector), selector
        items = screen.query_one("#items")
        assert items.max_scroll_y > 0  # the carer guide's 14 items do not fit: the list scrolls
        await tick_items(pilot, screen, {i.id for i in screen.interview.guide.preamble})
        assert items.highlighted == len(screen.interview.guide.preamble) - 1
        assert items.scroll_y > 0  # the last item was scrolled into view to be ticked
        assert "Ready: recording may start." in str(screen.query_one("#missing").render())


async def test_a_start_button_takes_a_click_only_when_it_may(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR14"))
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#record").disabled
        await pilot.click("#record")  # nothing ticked: a click does nothing
        await pilot.pause()
        assert app.screen is screen and recorders.last.state.kind == "idle"
        required = {i.id for i in screen.interview.guide.preamble if i.required}
        await tick_items(pilot, screen, required)
        await pilot.pause()
        assert not screen.query_one("#record").disabled
        await pilot.click("#record")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert recorders.last.state.kind == "recording"
    types = [e["type"] for e in read_events(Path("sessions"))]
    assert "recording.start" in types


async def test_the_item_read_aloud_stays_in_the_list_and_the_cursor_stops_at_the_ends(make_app, professional):
    """At 80×24 a long item read aloud takes the pane more lines and the list fewer: the item
    highlighted stays in the list's view. One Down too many from the last item stays on it, so
    the Space after it cannot untick the first item."""
    app = make_app(StartRequest(guide=professional, participant="PR16"))
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        await pilot.pause()
        screen, items = app.screen, app.screen.query_one("#items")
        preamble = screen.interview.guide.preamble
        for index in range(len(preamble)):
            await pilot.pause()
            top, rows = int(items.scroll_y), items.scrollable_content_region.height
            assert top <= items.highlighted < top + rows, (index, top, rows)
            await pilot.press("down")
        assert items.highlighted == len(preamble) - 1
        await pilot.press("down", "down", "space")  # too many Downs, then a tick
        await pilot.pause()
        assert items.highlighted == len(preamble) - 1
        assert screen.interview.consent.get(preamble[-1].id) and not screen.interview.consent.get(preamble[0].id)
        await pilot.press("home", "up", "space")  # and at the top, Up stays on the first item
        await pilot.pause()
        assert items.highlighted == 0 and screen.interview.consent.get(preamble[0].id)


async def test_the_new_interview_form_keeps_its_buttons_in_view_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        form = await new_interview_form(pilot, app)
        await pilot.press("enter", *"Jane Smith")  # the first guide; a name where the ID goes
        await pilot.pause()
        assert "never use a name" in str(form.query_one("#participant-help").render())
        for selector in ("#participant-help", "#continue", "#back"):
            assert in_view(form, selector), selector
        assert form.query_one("#continue").disabled
        await pilot.click("#back")
        await wait_for(pilot, lambda: app.screen is not form)


async def test_a_safeguarding_flag_shows_on_the_status_line_at_80_columns(make_app, professional, recorders):
    """In clock mode the status line is longest; the flag comes before who and which guide,
    so the cut end of the line is never the flag."""
    from .test_interview_flow import start_interview

    app = make_app(StartRequest(guide=professional, participant="PR17"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_interview(pilot, app, record=False)
        await pilot.press("f6", "space", "s")
        await pilot.press(*"mentioned risk", "enter", "n")
        await wait_for(pilot, lambda: screen.interview.safeguarding)
        await pilot.pause(0.3)
        status = screen.query_one("#status")
        assert "CLOCK MODE" in str(status.render())
        line = str(status.render())  # one row high: what lies past its width is cut
        assert line.index("SAFEGUARDING FLAGGED") + len("SAFEGUARDING FLAGGED") <= status.region.width, line


async def test_the_notes_panel_at_80x24_shows_each_note_on_a_line_with_its_time_and_state(make_app, professional, recorders):
    """Two rows: a wrapped note showed only its last line, with no time. Here each note is one
    line, its time, whether it is saved and its flags before its words."""
    from .test_interview_flow import start_interview

    app = make_app(StartRequest(guide=professional, participant="PR18"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_interview(pilot, app)
        recorders.last.advance(61)
        long = "second note, longer, about how the family was involved in the plan and who decided"
        await pilot.press(*"first note", "enter", *long, "enter", "f6", "q")
        await wait_for(pilot, lambda: len(screen.interview.notes) == 2
                       and all(n.status == "saved" for n in screen.interview.notes) and screen.interview.flags)
        await pilot.pause(0.3)
        notes = screen.query_one("#notes")
        assert notes.has_class("-compact")
        lines = str(screen.query_one("#notes-text").render()).splitlines()
        assert [line.split()[:2] for line in lines] == [["01:01", "[saved]"], ["01:01", "[saved]"]]
        assert "⚑ quote" in lines[1] and lines[1].index("⚑ quote") < lines[1].index("second note")
        await pilot.resize_terminal(120, 40)  # room again: notes wrap, their state after them
        await pilot.pause(0.3)
        assert not notes.has_class("-compact")
        assert str(screen.query_one("#notes-text").render()).splitlines()[0].endswith("[saved]")


async def test_the_end_screen_shows_the_closing_item_to_say_in_full(make_app, recorders):
    """The closing list cuts long items (the carer guide's run to three lines at 80 columns);
    the pane under it says the highlighted one whole, and follows the cursor."""
    from companion.ui.screens.end import EndScreen

    from .test_interview_flow import start_interview

    carer = load_guide(shipped_guides_dir() / "carer.yaml")
    app = make_app(StartRequest(guide=carer, participant="C19"))
    async with app.run_test(size=SMALL) as pilot:
        await start_interview(pilot, app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        longest = max(range(len(carer.closing)), key=lambda i: len(carer.closing[i].text))
        await pilot.press(*["down"] * longest)
        await pilot.pause()
        said = " ".join(str(app.screen.query_one("#reading").render()).split())
        assert said == f"Say: {' '.join(carer.closing[longest].text.split())}"
        assert in_view(app.screen, "#reading") and in_view(app.screen, "#finish")


def footer_text(screen) -> list[str]:
    """The footer's keys as drawn, left to right, the ones in view only."""
    from textual.widgets._footer import FooterKey

    footer = screen.query_one("Footer")
    return [str(k.render()).strip() for k in footer.query(FooterKey)
            if k.display and k.region.width and k.region.right <= footer.region.right]


async def test_at_80_columns_help_comes_first_and_the_palette_gives_way_to_the_screens_keys(make_app, professional):
    """Help (which names the palette's key, ctrl+p, too) is the last key a narrow terminal cuts."""
    from .test_interview_flow import start_interview

    app = make_app(StartRequest(guide=professional, participant="PR21"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await start_interview(pilot, app, record=False)
        await pilot.pause()
        shown = footer_text(screen)
        assert shown[0] == "F1 Help" and "F9 End" in shown and "ctrl+p palette" not in shown, shown
        await pilot.resize_terminal(120, 40)  # room for it again
        await pilot.pause()
        assert "ctrl+p palette" in footer_text(screen)
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert "F9 End" in footer_text(screen) and "ctrl+p palette" not in footer_text(screen)


def test_keys_are_written_one_way_a_keymaps_too(make_app):
    """Esc, F3, ctrl+b: as help, the buttons and `companion keys` write them (a key the
    keymap rebinds has no display of its own; Textual would write esc, f3, ^b)."""
    from textual.binding import Binding

    app = make_app(StartRequest())
    shown = {key: app.get_key_display(Binding(key, "x", "X")) for key in ("escape", "f3", "ctrl+b", "ctrl+f2", "left", "q")}
    assert shown == {"escape": "Esc", "f3": "F3", "ctrl+b": "ctrl+b", "ctrl+f2": "ctrl+F2", "left": "←", "q": "q"}
    assert app.get_key_display(Binding("f9", "x", "X", key_display="F9!")) == "F9!"


@pytest.mark.parametrize("request_, width, last", [(StartRequest(), 79, "q Quit"), (StartRequest(), 80, "q Quit"),
                                                   (StartRequest(review=""), 55, "F3 Coverage report")],
                         ids=["home-79", "home-80", "browser-55"])
async def test_the_first_screens_footer_shows_the_palette_where_it_fits(make_app, request_, width, last):
    """Home at 79 columns has room for its keys and the palette's, the session browser at 55:
    measured once the keys are styled (compact), not as they mount, which hid it for good."""
    app = make_app(request_)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1 and footer_text(app.screen))
        await pilot.pause(0.2)
        shown = footer_text(app.screen)
        assert "ctrl+p palette" in shown and last in shown, shown
        await pilot.resize_terminal(width - 9, 24)  # no room: it gives way, and comes back
        await pilot.pause(0.2)
        assert "ctrl+p palette" not in footer_text(app.screen) and last in footer_text(app.screen)
        await pilot.resize_terminal(width, 24)
        await pilot.pause(0.2)
        assert "ctrl+p palette" in footer_text(app.screen)


async def test_the_palette_key_is_measured_compact_from_its_first_fit(make_app, monkeypatch):
    """Its first measure, as the home screen is first laid out, must be right on its own: a
    later rebuild of the keys (which measured them again) may not come, or come first."""
    from companion.ui.widgets.footer import Footer

    async def rebuild_unfitted(self) -> None:  # the keys, without the fit that follows
        self._rebuilding = False
        shown = self.keys_to_show()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    monkeypatch.setattr(Footer, "_rebuild", rebuild_unfitted)
    app = make_app(StartRequest())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1 and footer_text(app.screen))
        await pilot.pause(0.2)
        assert footer_text(app.screen)[-2:] == ["q Quit", "ctrl+p palette"]
