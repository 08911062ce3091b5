"""A whole interview driven from the keyboard with Pilot, checked on the event log on disk."""

from __future__ import annotations

from pathlib import Path

from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.end import EndScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for

SIZE = (120, 40)


async def tick_items(pilot, screen, wanted: set[str]) -> None:
    """Move down the checklist and tick the wanted items with space, as an interviewer would."""
    items = [item.id for item in screen.interview.guide.preamble]
    for index, item in enumerate(items):
        if item in wanted:
            await pilot.press("space")
        if index < len(items) - 1:
            await pilot.press("down")


async def start_interview(pilot, app, record: bool = True) -> InterviewScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
    screen = app.screen
    required = {i.id for i in screen.interview.guide.preamble if i.required}
    if not record:
        required -= {i.id for i in screen.interview.guide.preamble if i.recording_permission}
    await tick_items(pilot, screen, required)
    await pilot.press("s" if record else "w")
    await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
    return app.screen


class FullDisk:
    """The disk fills under the real writer, at the file: every line written fails until freed()."""

    def __init__(self, writer):
        self.journal = writer._journal
        self.append = self.journal.append
        self.journal.append = self.fail

    @staticmethod
    def fail(line: bytes) -> None:
        raise OSError(28, "No space left on device")

    def freed(self) -> None:
        self.journal.append = self.append


async def type_note(pilot, recorder, text: str, thinking: float = 3.0) -> None:
    """Typing starts, the interviewer takes a few seconds, then Enter: the note keeps the start time."""
    await pilot.press(text[0])
    recorder.advance(thinking)
    await pilot.press(*text[1:], "enter")


async def test_recording_cannot_start_before_required_consent(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        await pilot.press("s")  # nothing ticked yet
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)
        assert app.screen.query_one("#record").disabled
        await tick_items(pilot, app.screen, {"record"})  # permission to record, but no consent form
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConsentScreen)
        assert recorders.last.state.kind == "idle"
    events = read_events(Path("sessions"))
    assert "recording.start" not in [e["type"] for e in events]
    assert [(e["item"], e["checked"]) for e in events if e["type"] == "consent.tick"] == [("record", True)]


async def test_whole_interview_from_the_keyboard(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR11", initials="JS"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        rec = recorders.last
        rec.advance(10)
        await type_note(pilot, rec, "Works in a CMHT")  # at 10 s, typed until 13 s
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
        await pilot.press("f2")  # covered
        await pilot.press("pagedown")
        rec.advance(5)  # 18 s
        await type_note(pilot, rec, "Wanted service users heard", thinking=2)
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
        await pilot.press("f5")  # tag the last note
        await pilot.press(*"listen", "space", *["backspace"] * 6, *"family", "space", "enter")  # two codes ticked
        await pilot.press("f6", "q")  # quote on the last note
        await pilot.press("f8", *"goal of care", "enter")  # jump by words
        assert screen.interview.question.id == "early-recovery-goal"
        await pilot.press("f4", "1")  # its first probe
        await pilot.press("f8", *"diagnosis", "enter")
        assert screen.interview.question.id == "early-diagnosis"
        await pilot.press("f3")  # skipped
        await pilot.press("f7")  # a break: the timeline stops
        rec.advance(60)
        await type_note(pilot, rec, "Participant made tea")
        await pilot.press("f7")  # resume
        rec.advance(4)
        await pilot.press("f6", "space", "f")  # follow-up on this moment, not the note
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        await pilot.press("space", "down", "space")
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and screen.interview.ended)
        await wait_for(pilot, lambda: "Session saved" in str(app.screen.query_one("#saved").render()))

    events = read_events(Path("sessions"))
    kinds = [e["type"] for e in events]
    assert kinds[0] == "session.start" and kinds[-1] == "session.end"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    start = kinds.index("recording.start")
    assert all(kinds.index(k) < start for k in kinds if k == "consent.tick")
    notes = [e for e in events if e["type"] == "note"]
    assert [(n["text"], n["t"], n["question"]) for n in notes] == [
        ("Works in a CMHT", 10.0, "background"),
        ("Wanted service users heard", 18.0, "why-take-part"),
        ("Participant made tea", 20.0, "early-diagnosis"),
    ]
    assert notes[2]["during_break"] is True
    [tag] = [e for e in events if e["type"] == "note.tagged"]
    assert tag["note"] == notes[1]["seq"] and tag["codes"] == ["listening", "family"]
    flags = [(e["kind"], e["note"], e["t"]) for e in events if e["type"] == "flag"]
    assert flags == [("quote", notes[1]["seq"], 18.0), ("follow-up", None, 24.0)]
    covered = [(e["type"], e["question"]) for e in events if e["type"] in ("question.covered", "question.skipped")]
    assert covered == [("question.covered", "background"), ("question.skipped", "early-diagnosis")]
    [probe] = [e for e in events if e["type"] == "probe.covered"]
    assert (probe["question"], probe["probe"]) == ("early-recovery-goal", 0)
    brk = next(e for e in events if e["type"] == "recording.break")
    res = next(e for e in events if e["type"] == "recording.resume")
    assert brk["t"] == res["t"] == 20.0
    assert [e["item"] for e in events if e["type"] == "closing.tick"] == [professional.closing[0].id, professional.closing[1].id]
    assert events[-2]["type"] == "recording.stop" and events[-2]["t"] == 24.0


async def test_safeguarding_asks_about_a_break_and_stays_visible(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR12"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        recorders.last.advance(30)
        await pilot.press("f6", "space", "s")
        await pilot.press(*"mentioned risk", "enter", "y")
        await pilot.pause()
        assert screen.interview.on_break
        assert "SAFEGUARDING" in str(screen.query_one("#status").render())
        await pilot.press("f7")
        recorders.last.advance(10)
        await pilot.pause(0.2)
        assert "SAFEGUARDING" in str(screen.query_one("#status").render())
    events = read_events(Path("sessions"))
    [flag] = [e for e in events if e["type"] == "flag"]
    assert (flag["kind"], flag["text"], flag["t"], flag["note"]) == ("safeguarding", "mentioned risk", 30.0, None)
    assert [e["type"] for e in events].index("recording.break") > [e["type"] for e in events].index("flag")


async def test_declined_recording_runs_in_clock_mode(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR13"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app, record=False)
        assert screen.interview.recorder.mode == "clock"
        assert "CLOCK MODE" in str(screen.query_one("#status").render())
    events = read_events(Path("sessions"))
    [start] = [e for e in events if e["type"] == "recording.start"]
    assert start["mode"] == "clock" and start["declined"] is True


async def test_ctrl_q_leaves_a_resumable_session(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR14"))
    async with app.run_test(size=SIZE) as pilot:
        await start_interview(pilot, app)
        recorders.last.advance(42)
        await pilot.press("ctrl+q", "y")
        await pilot.pause(0.5)
    from companion.store import Store

    [summary] = Store(Path("sessions")).sessions()
    assert summary.status == "interrupted"

    app = make_app(StartRequest(resume=f"PR14/{summary.session}"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        assert recorders.last.position() == 42.0  # the timeline continues
        await pilot.press(*"after resuming", "enter")
        await wait_for(pilot, lambda: app.screen.interview.notes[-1].status == "saved")
    events = read_events(Path("sessions"))
    assert "session.resume" in [e["type"] for e in events]
    assert events[-1]["text"] == "after resuming" and events[-1]["t"] == 42.0


async def test_a_full_disk_shows_a_banner_keeps_the_note_and_retry_saves_it(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR15"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        disk = FullDisk(screen.interview.writer)
        recorders.last.advance(7)
        await type_note(pilot, recorders.last, "Said something important")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "failed")
        banner = screen.query_one("#banner")
        assert banner.display and "could not be saved" in str(banner.render())
        assert "NOT SAVED" in str(screen.query_one("#notes-text").render())

        disk.freed()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
        assert not banner.display
    notes = [e for e in read_events(Path("sessions")) if e["type"] == "note"]
    assert [(n["text"], n["t"]) for n in notes] == [("Said something important", 7.0)]


async def test_text_that_looks_like_markup_shows_as_typed(make_app, professional, recorders):
    """The findings quote '[CPN]'; notes may hold brackets: nothing is read as markup or lost."""
    app = make_app(StartRequest(guide=professional, participant="PR16"))
    typed = "[CPN] said [bold]no[/bold] [Errno 28]"
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press(*typed, "enter")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
        assert typed in str(screen.query_one("#notes-text").render())
        await pilot.press("f6")
        await pilot.pause()
        assert "[q] Quote" in str(app.screen.query_one("#kinds").get_option_at_index(0).prompt)
    notes = [e for e in read_events(Path("sessions")) if e["type"] == "note"]
    assert notes[0]["text"] == typed


async def test_the_id_field_refuses_names_and_says_what_an_id_looks_like(make_app, recorders):
    from companion.ui.screens.home import HomeScreen
    from companion.ui.screens.new_interview import NewInterviewScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        screen = app.screen
        guides = [g.id for g in screen.guides]
        for _ in range(guides.index("professional")):
            await pilot.press("down")
        await pilot.press("enter", *"John Smith")
        help_line = str(screen.query_one("#participant-help").render())
        assert "not a participant ID" in help_line and "PR11" in help_line
        assert screen.query_one("#continue").disabled
        await pilot.press("enter", "enter")  # Enter on the ID, Enter on initials: refused
        assert isinstance(app.screen, NewInterviewScreen)
        await pilot.press("ctrl+u", *"PR11")
        assert "valid ID" in str(screen.query_one("#participant-help").render())
        assert not screen.query_one("#continue").disabled
        await pilot.press("enter", *"js", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
    [start] = [e for e in read_events(Path("sessions")) if e["type"] == "session.start"]
    assert (start["participant"], start["guide"], start["initials"]) == ("PR11", "professional", "JS")


async def test_a_note_belongs_to_the_question_shown_when_typing_began(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR17"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press("a")  # typing begins on the first question…
        await pilot.press("pagedown")  # …the interviewer moves on before pressing Enter
        await pilot.press(*"bout her team", "enter")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
    [note] = [e for e in read_events(Path("sessions")) if e["type"] == "note"]
    assert (note["text"], note["question"]) == ("about her team", "background")


async def test_a_close_that_fails_keeps_the_interviewer_there_and_can_be_retried(make_app, professional, recorders):
    from companion.ui.screens.home import HomeScreen

    app = make_app(StartRequest(guide=professional, participant="PR18"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        disk = FullDisk(screen.interview.writer)
        await pilot.press(*"kept in memory", "enter")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "failed")
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        end = app.screen
        await pilot.press("ctrl+f", "ctrl+f")
        await wait_for(pilot, lambda: not getattr(end, "closing", True))
        assert app.screen is end and not screen.interview.ended  # not "saved", not home

        disk.freed()
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    events = read_events(Path("sessions"))
    assert [e["text"] for e in events if e["type"] == "note"] == ["kept in memory"]
    assert [e["type"] for e in events][-2:] == ["recording.stop", "session.end"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))


async def test_resuming_a_session_left_at_consent_goes_back_to_consent(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR19"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        await tick_items(pilot, app.screen, {"record"})  # permission to record, not yet the consent form
        await pilot.press("escape", "k")  # leave, keeping it to resume
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    from companion.store import Store

    [summary] = Store(Path("sessions")).sessions()
    app = make_app(StartRequest(resume=f"PR19/{summary.session}"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        assert app.screen.interview.consent == {"record": True}
        assert recorders.last.state.kind == "idle"  # nothing records until the form is ticked
        assert app.screen.interview.source_path.parent != Path("sessions").resolve()
        await pilot.pause(0.2)  # let the new screen's header settle before the app is closed
    assert "recording.start" not in [e["type"] for e in read_events(Path("sessions"))]


async def test_enter_twice_makes_one_session(make_app, recorders):
    from companion.ui.screens.home import HomeScreen
    from companion.ui.screens.new_interview import NewInterviewScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
        app.screen.query_one("#guide-list").highlighted = [g.id for g in app.screen.guides].index("professional")
        await pilot.press("enter", *"PR21", "enter", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        await pilot.pause(0.3)
    assert len(list(Path("sessions").glob("PR21/*"))) == 1


async def test_every_interview_action_is_in_the_command_palette(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR23"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        titles = [command.title for command in app.get_system_commands(screen)]
        for binding in screen.BINDINGS:
            assert any(title.startswith(binding.description) for title in titles), binding.description


async def test_a_session_that_stopped_on_a_break_resumes_on_the_break(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR24"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press("pagedown", "f2", "f7")
        await type_note(pilot, recorders.last, "asked for a break")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
        where = screen.interview.question.id
        screen.interview.writer.abandon()  # the process dies here: no stop, no end
    from companion.store import Store

    [summary] = Store(Path("sessions")).sessions()
    app = make_app(StartRequest(resume=f"PR24/{summary.session}"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.is_mounted)
        screen = app.screen
        assert screen.interview.on_break and recorders.last.state.kind == "paused"
        assert "BREAK" in str(screen.query_one("#status").render())
        assert screen.interview.question.id == where and screen.interview.coverage == {where: "covered"}
        recorders.last.advance(30)  # time passes on the break: the timeline does not move
        await pilot.press("f7")
        await wait_for(pilot, lambda: recorders.last.state.kind == "recording")
        await pilot.pause(0.2)
        screen.interview.writer.abandon()
    events = read_events(Path("sessions"))
    resumed = [e["type"] for e in events][[e["type"] for e in events].index("session.resume"):]
    assert resumed == ["session.resume", "recording.start", "recording.resume"]
    start = next(e for e in events if e["type"] == "recording.start" and e.get("on_break"))
    from companion.review.fold import fold

    [held] = [b for b in fold(professional, events).breaks if b.start <= start["t"] <= b.end]
    assert held.end == events[-1]["t"]  # one break, from F7 before the kill to F7 after the resume


async def test_a_multi_line_paste_is_one_note_with_its_line_breaks(make_app, professional, recorders):
    from textual import events

    app = make_app(StartRequest(guide=professional, participant="PR25"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press(*"she said: ")
        app.post_message(events.Paste("first line\r\nsecond line\n\nafter a blank line\n"))
        await pilot.pause(0.1)
        assert screen.query_one("#note").value == "she said: first line↵second line↵↵after a blank line↵"
        await pilot.press(*" (pasted)", "enter")
        await wait_for(pilot, lambda: screen.interview.notes and screen.interview.notes[-1].status == "saved")
    [note] = [e for e in read_events(Path("sessions")) if e["type"] == "note"]
    assert note["text"] == "she said: first line\nsecond line\n\nafter a blank line\n (pasted)"


async def test_a_resumed_interview_opens_on_its_question_with_the_outline_scrolled_to_it(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR25"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_interview(pilot, app)
        await pilot.press("f8", *"diagnosis", "enter")  # a question far down the guide
        await wait_for(pilot, lambda: screen.interview.question.id != professional.stages[0].questions[0].id)
        asked = screen.interview.question
        await pilot.press("ctrl+q", "y")
        await pilot.pause(0.5)
    from companion.store import Store

    [summary] = Store(Path("sessions")).sessions()
    app = make_app(StartRequest(resume=f"PR25/{summary.session}"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await pilot.pause()
        screen = app.screen
        assert screen.interview.question.id == asked.id
        outline = screen.query_one("#outline")
        await wait_for(pilot, lambda: outline.scroll_y > 0)  # the current line is in the outline's view
        current = screen.query_one("#outline-text").region.y - int(outline.scroll_y)
        text = str(screen.query_one("#outline-text").render())
        line = next(i for i, row in enumerate(text.splitlines()) if row.lstrip().startswith("▶"))
        assert outline.region.y <= current + line < outline.region.bottom
        assert " ".join(asked.ask.split())[:20] in str(screen.query_one("#ask").render())


async def test_keys_after_start_do_not_change_the_checklist(make_app, professional, recorders):
    """Spaces typed right behind w (a note begun before the interview screen is up) must not
    tick or untick consent once the start is under way."""
    from textual import events

    app = make_app(StartRequest(guide=professional, participant="PR26"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        screen = app.screen
        required = {i.id for i in screen.interview.guide.preamble if i.required and not i.recording_permission}
        await tick_items(pilot, screen, required)  # the cursor rests on the last item, ticked
        for key, character in (("w", "w"), ("space", " "), ("space", " "), ("space", " ")):
            app.post_message(events.Key(key, character))  # in one read, as a terminal sends a burst
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await pilot.pause(0.2)
    types = [(e["type"], e.get("checked")) for e in read_events(Path("sessions"))]
    started = types.index(("recording.start", None))
    assert ("consent.tick", False) not in types and all(t != "consent.tick" for t, _ in types[started:])
