"""Keys typed while one screen gives way to the next — behind the checklist's s or w, the
form's or the resume list's Enter, ctrl+q y, Finish — land where they were meant, or
nowhere: never on the screen that is going, never in a session that is closing. Each burst
is posted in one go, as one read from the terminal delivers it."""

from __future__ import annotations

from pathlib import Path

from companion.ui.app import StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for
from .test_bursts import burst, interview, new_interview_form, notes, typed
from .test_interview_flow import SIZE


def interrupted_session(guide, participant: str) -> None:
    """A session in the store that started (clock mode) and was interrupted: resumable."""
    from companion.store import Store

    writer = Store(Path("sessions")).create(guide, participant)
    writer.append("recording.start", 0.0, mode="clock", segment=None)
    writer.close(status="interrupted")


async def ticked_checklist(pilot, app) -> ConsentScreen:
    from .test_interview_flow import tick_items

    await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
    screen = app.screen
    await tick_items(pilot, screen, {i.id for i in screen.interview.guide.preamble if i.required})
    return screen


async def test_a_note_typed_right_behind_start_is_kept_whole(make_app, professional, recorders):
    """s, and the interviewer types at once, before the interview screen is up: every key
    reaches the note line in order — none lost to the checklist, none ticking it."""
    app = make_app(StartRequest(guide=professional, participant="PR27"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ticked_checklist(pilot, app)
        burst(app, *typed("s", "arrived late, apologised", "enter", "next "))
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#note").value == "next ")
    logged = read_events(Path("sessions"))
    assert [e["text"] for e in logged if e["type"] == "note"] == ["arrived late, apologised"]
    started = [e["type"] for e in logged].index("recording.start")
    assert all(e["type"] != "consent.tick" for e in logged[started:]) and screen.interview.consent


async def test_keys_typed_behind_a_failed_start_do_not_tick_the_checklist(make_app, professional, recorders):
    """The start fails: the keys typed behind s were meant for a note that never opened, so
    they are dropped — a space among them must not untick consent."""
    app = make_app(StartRequest(guide=professional, participant="PR28"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ticked_checklist(pilot, app)
        ticked = dict(screen.interview.consent)

        def refuse(record):
            raise OSError("the log cannot be written")

        screen.interview.start = refuse
        burst(app, "s", "space", "up", "space")
        await wait_for(pilot, lambda: any("could not start" in n.message for n in app._notifications))
        await wait_for(pilot, lambda: not app.key_gate.waiting and app.key_gate.held is None)
        await pilot.pause()
        assert app.screen is screen and screen.interview.consent == ticked
        await pilot.press("space")  # the checklist takes keys again
        await wait_for(pilot, lambda: screen.interview.consent != ticked)


async def test_a_note_typed_behind_a_slow_start_waits_for_it(make_app, professional, recorders, monkeypatch):
    """A microphone that takes its time to open: the keys wait as long as the start does."""
    import time

    from companion.ui import key_gate

    monkeypatch.setattr(key_gate, "HOLD_CHECK", 0.05)  # asked often: the start outlasts many checks
    app = make_app(StartRequest(guide=professional, participant="PR29"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ticked_checklist(pilot, app)
        start = screen.interview.start
        screen.interview.start = lambda record: time.sleep(0.6) or start(record)
        burst(app, *typed("s", "arrived late", "enter"))
        await wait_for(pilot, lambda: "Starting…" in str(screen.query_one("#missing").render()))
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await wait_for(pilot, lambda: not app.key_gate.waiting and app.screen.interview.notes)
    assert [e["text"] for e in read_events(Path("sessions")) if e["type"] == "note"] == ["arrived late"]


async def test_a_hold_whose_reason_has_gone_ends(make_app, monkeypatch):
    """Held keys are never stuck: once the hold is no longer wanted they are delivered, in order."""
    from companion.ui import key_gate

    monkeypatch.setattr(key_gate, "HOLD_CHECK", 0.05)
    app = make_app(StartRequest())
    async with app.run_test(size=SIZE) as pilot:
        form = await new_interview_form(pilot, app)
        form.query_one("#participant").focus()
        wanted = [True]
        app.key_gate.hold(wanted=lambda: wanted[0])
        burst(app, *"PR31")
        await wait_for(pilot, lambda: len(app.key_gate.waiting) == 4)
        await pilot.pause(0.2)  # checked a few times, still wanted
        assert len(app.key_gate.waiting) == 4 and not form.query_one("#participant").value
        wanted[0] = False
        await wait_for(pilot, lambda: form.query_one("#participant").value == "PR31")


async def test_enter_twice_in_the_resume_list_resumes_once(make_app, professional, recorders, monkeypatch):
    """A second Enter while the session opens (a long log, a slow microphone) must not open it
    again: it found the session locked — by this very app — and, the list gone by then, quit
    the app in the middle of the interview it had just resumed."""
    import time

    from companion.store import Store

    resume = Store.resume
    monkeypatch.setattr(Store, "resume", lambda self, ref: time.sleep(0.3) or resume(self, ref))

    interrupted_session(professional, "PR32")
    app = make_app(StartRequest())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.interrupted)
        await pilot.press("r")
        burst(app, "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers))  # a second opening waits for the lock, then fails
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, InterviewScreen)  # it left the app, with status 2
        assert not [n.message for n in app._notifications if n.severity == "error"]
    assert [e["type"] for e in read_events(Path("sessions"))].count("session.resume") == 1


async def test_keys_behind_a_confirmed_leave_never_reach_the_closed_session(make_app, professional, recorders):
    """ctrl+q y and typing right behind: nothing is written after session.end, and the app
    leaves cleanly (a note saved into the closing writer crashed it, losing the ones after)."""
    app = make_app(StartRequest(guide=professional, participant="PR33"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        burst(app, *typed("before", "enter"), "ctrl+q", "y", *typed("m1", "enter", "m2", "enter", "m3", "enter"))
        await wait_for(pilot, lambda: not app.is_running or app.return_code is not None)
    assert app.crash is None
    logged = [e["type"] for e in read_events(Path("sessions"))]
    assert logged[-1] == "session.end" and [t for t, _ in notes()] == ["before"]


async def test_keys_behind_finish_do_not_tick_the_closed_session(make_app, professional, recorders):
    from companion.ui.screens.end import EndScreen

    app = make_app(StartRequest(guide=professional, participant="PR34"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        burst(app, "ctrl+f", "space", "down", "space", "down", "space")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause(0.3)
    logged = [e["type"] for e in read_events(Path("sessions"))]
    assert logged[-1] == "session.end" and "closing.tick" not in logged


async def test_a_note_typed_behind_a_refused_start_does_not_touch_the_checklist(make_app, professional, recorders):
    """s with a required item unticked is refused: the note typed right behind it must not
    tick and untick the list with its spaces (false consent records)."""
    app = make_app(StartRequest(guide=professional, participant="PR35"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        screen = app.screen
        burst(app, *typed("s", "she agreed to all of it", "enter"))
        await wait_for(pilot, lambda: any("Tick these first" in n.message for n in app._notifications))
        await wait_for(pilot, lambda: not app.key_gate.waiting and not app.key_gate.serial)
        await pilot.pause()
        assert screen.interview.consent == {}
    assert "consent.tick" not in [e["type"] for e in read_events(Path("sessions"))]


async def test_ticks_typed_behind_the_forms_enter_land_on_the_checklist(make_app, recorders):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await new_interview_form(pilot, app)
        form.query_one("#guide-list").highlighted = [g.id for g in form.guides].index("professional")
        burst(app, "enter", *"PR10", "enter", "enter", "space", "down", "space")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        screen = app.screen
        await wait_for(pilot, lambda: len(screen.interview.consent) == 2)
        first, second = [i.id for i in screen.interview.guide.preamble[:2]]
        assert screen.interview.consent == {first: True, second: True}


async def test_a_note_typed_behind_the_resume_lists_enter_is_kept(make_app, professional, recorders):
    interrupted_session(professional, "PR36")
    app = make_app(StartRequest())
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.interrupted)
        await pilot.press("r")
        burst(app, "enter", *typed("resumed burst one", "enter", "resumed two", "enter"))
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await wait_for(pilot, lambda: len(notes()) == 2)
    assert [t for t, _ in notes()] == ["resumed burst one", "resumed two"]


async def test_escape_and_a_letter_read_together_are_two_keys(make_app, professional, recorders):
    """Esc then a note's first letter, in one read, reach the app as alt+letter: the leave
    dialog took it for its y — the app quit, the note lost its first letter after session.end."""
    from textual import events

    from companion.ui.screens.pickers import ConfirmScreen

    app = make_app(StartRequest(guide=professional, participant="PR37"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await interview(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        app.post_message(events.Key("alt+y", "y"))  # what Textual makes of "\x1by"
        burst(app, *typed("es she said", "enter"))
        await wait_for(pilot, lambda: len(notes()) == 1)
        assert app.is_running and app.screen is screen
    assert [t for t, _ in notes()] == ["yes she said"]


async def test_typing_on_behind_the_safeguarding_note_does_not_answer_its_question(make_app, professional, recorders):
    """/sg, its short note, Enter — and the interviewer types on, unseeing: the question
    "Pause for a break now?" waits for its own answer (a space pressed "Yes, pause" and
    stopped the recording), and what was typed on becomes the next note."""
    from companion.ui.screens.pickers import SafeguardingScreen

    app = make_app(StartRequest(guide=professional, participant="PR38"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        burst(app, *typed("/sg", "enter", "disclosed harm", "enter", "she was upset", "enter"))
        await wait_for(pilot, lambda: isinstance(app.screen, SafeguardingScreen)
                       and not app.key_gate.waiting and not app.key_gate.serial)
        await pilot.pause(0.2)
        assert isinstance(app.screen, SafeguardingScreen)  # still asking
        await pilot.press("n")
        await wait_for(pilot, lambda: len(notes()) == 1)
    logged = read_events(Path("sessions"))
    assert "recording.break" not in [e["type"] for e in logged]
    assert [e.get("text") for e in logged if e["type"] == "flag"] == ["disclosed harm"]
    assert [t for t, _ in notes()] == ["she was upset"]
