"""The tag picker ticks and unticks codes with space and applies exactly the ticked set:
a note keeps the codes the interviewer chose, gets a second, loses one — never one it was not given."""

from __future__ import annotations

from pathlib import Path

from companion.ui.app import StartRequest
from companion.ui.screens.interview import InterviewScreen
from companion.ui.screens.code_picker import CodeScreen

from .conftest import read_events, wait_for
from .test_bursts import burst
from .test_interview_flow import SIZE, start_interview, type_note
from .test_review import recorded, select_row, session_ready  # noqa: F401 (a fixture)


def tags(events) -> list[list[str]]:
    return [e["codes"] for e in events if e["type"] == "note.tagged"]


async def with_a_note(pilot, app, recorders, text: str):
    """The interview screen, its last note saved."""
    screen = await start_interview(pilot, app)
    await type_note(pilot, recorders.last, text)
    await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
    return screen


async def open_picker(pilot, app) -> CodeScreen:
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
    return app.screen


async def clear_filter(pilot, picker) -> None:
    await pilot.press(*["backspace"] * len(picker.query_one("#filter").value))


async def test_tick_two_untick_one_applies_exactly_the_ticked_set(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await with_a_note(pilot, app, recorders, "Felt heard at last")

        picker = await open_picker(pilot, app)
        await pilot.press(*"family", "space", "enter")  # the note's first code
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert screen.interview.last_note.codes == ("family",)

        picker = await open_picker(pilot, app)
        assert picker.query_one("#codes").selected == ["family"]  # an existing code shows ticked
        await pilot.press(*"listen", "space")
        assert picker.query_one("#filter").value == "listen"  # space ticks; it is never typed
        await clear_filter(pilot, picker)
        await pilot.press(*"perceptions", "space")
        await clear_filter(pilot, picker)
        await pilot.press(*"family", "space")  # unticks it
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert screen.interview.last_note.codes == ("listening", "perceptions")
    assert tags(read_events(Path("sessions"))) == [["family"], ["listening", "perceptions"]]


async def test_the_highlight_stays_on_its_code_while_the_filter_narrows(make_app, professional, recorders):
    """Down to the third code, then type: Enter must not fall back to whatever is first."""
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await with_a_note(pilot, app, recorders, "Stuck for months")
        picker = await open_picker(pilot, app)
        await pilot.press(*"stuck", "down", "down")
        chosen = picker.highlighted_code()
        assert chosen.startswith("stuck.")
        await pilot.press(*"ing")  # "stucking" matches nothing: no code is highlighted
        await pilot.press("backspace", "backspace", "backspace")  # the code is listed again
        assert picker.highlighted_code() == chosen
        await pilot.press("space", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
    assert tags(read_events(Path("sessions"))) == [[chosen]]


async def test_a_burst_of_keys_ticks_as_typed_one_by_one(make_app, professional, recorders):
    """All in one read, from the typed command /t on, as a fast typist or SSH sends keys:
    two codes ticked, no space typed."""
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await with_a_note(pilot, app, recorders, "Carers kept out")
        burst(app, "/", "t", "enter", *"listen", "space", *["backspace"] * 6, *"confiden", "space", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and screen.interview.last_note.codes)
    assert tags(read_events(Path("sessions"))) == [["listening", "confidentiality"]]


async def test_enter_with_nothing_ticked_says_what_it_applies(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await with_a_note(pilot, app, recorders, "Listened to")
        picker = await open_picker(pilot, app)
        await pilot.press(*"listen")
        await pilot.pause()
        assert "Enter tags it Listening and responding" in str(picker.query_one("#apply-hint").render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
    assert tags(read_events(Path("sessions"))) == [["listening"]]


async def test_typing_past_every_match_in_a_burst_does_not_crash(make_app, professional, recorders):
    """A highlight still on its way when the filter empties the list must not bring the app down."""
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await with_a_note(pilot, app, recorders, "Stuck for months")
        burst(app, "f5", *"stuck", "down", "down", "space", "x", "backspace", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and screen.interview.last_note.codes)
        assert app.return_code is None and app.is_running
    assert tags(read_events(Path("sessions"))) == [["stuck.unstuck"]]


async def test_t_in_the_session_view_adds_a_second_code_and_removes_one(make_app, recorded):
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        view = app.screen
        note = lambda: next(n for n in view.view.notes if n.text == "Carers are never asked")  # noqa: E731
        select_row(view, "Carers are never asked")
        await pilot.press("t", *"family", "space", "enter")
        await wait_for(pilot, lambda: note().codes == ("family",))
        select_row(view, "Carers are never asked  #Including and educating family and supporters")  # the row shows its code
        await pilot.press("t", *"listen", "space", *["backspace"] * 6, *"family", "space", "enter")
        await wait_for(pilot, lambda: note().codes == ("listening",))
    assert tags(read_events(Path("sessions"))) == [["family"], ["listening"]]


async def test_words_matching_no_code_keep_the_picker_open(make_app, professional, recorders):
    """F5 and a note typed on behind it: the words match no code, and Enter does not close the
    picker on them (they were gone without a trace); Esc closes it, nothing tagged."""
    app = make_app(StartRequest(guide=professional, participant="PR25"))
    async with app.run_test(size=SIZE) as pilot:
        await with_a_note(pilot, app, recorders, "talked about her sister")
        picker = await open_picker(pilot, app)
        burst(app, *"she said yes", "enter")
        await wait_for(pilot, lambda: "No code matches “" in str(picker.query_one("#apply-hint").render()))
        await pilot.pause(0.2)
        assert app.screen is picker  # (its spaces ticked what the filter showed then: Esc undoes them)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
    assert tags(read_events(Path("sessions"))) == []
