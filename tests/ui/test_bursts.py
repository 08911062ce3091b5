"""Keys that arrive together — in one read, as a fast typist, SSH or a busy moment send
them — take effect in the order typed. Each burst is posted to the app in one go, without
waiting between keys (Pilot's press waits for the app to idle after every key)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.keys import _character_to_key

from companion.ui.app import Settings, StartRequest
from companion.ui.screens.consent import ConsentScreen
from companion.ui.screens.interview import InterviewScreen

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, start_interview


def burst(app, *keys: str) -> None:
    """Post every key at once, as one read from the terminal delivers them."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, {"space": " ", "enter": "\r"}.get(key)))


def typed(*parts: str) -> list[str]:
    """'text' parts are typed character by character; ENTER and other names are keys."""
    keys: list[str] = []
    for part in parts:
        keys += [part] if part in ("enter", "escape", "down", "up", "space", "pagedown", "f2") else list(part)
    return keys


def notes(root=Path("sessions")) -> list[tuple[str, str]]:
    return [(e["text"], e["question"]) for e in read_events(root) if e["type"] == "note"]


async def interview(pilot, app) -> InterviewScreen:
    return await start_interview(pilot, app, record=False)


async def new_interview_form(pilot, app):
    """From the home screen, n: the New-interview form."""
    from companion.ui.screens.home import HomeScreen
    from companion.ui.screens.new_interview import NewInterviewScreen

    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and hasattr(app.screen, "guides"))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, NewInterviewScreen))
    return app.screen


async def settled(pilot, app, count: int) -> None:
    await wait_for(pilot, lambda: len([n for n in app.screen.interview.notes if n.status == "saved"]) >= count
                   and not app.key_gate.waiting and not app.key_gate.serial)


async def test_notes_typed_together_keep_exactly_their_text(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await interview(pilot, app)
        first = "The participant described eleven years in services."
        second = "Second note typed right after: 12345 67890 abc."
        burst(app, *typed(first, "enter", second, "enter", "third", "enter"))
        await settled(pilot, app, 3)
        question = screen.interview.question.id
    assert notes() == [(first, question), (second, question), ("third", question)]


async def test_a_note_keeps_its_spaces_and_a_line_of_spaces_saves_nothing(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        burst(app, *typed("gamma  ", "enter", "   ", "enter", "  indented", "enter", " //slash ", "enter"))
        await settled(pilot, app, 3)
        await pilot.pause()
        assert app.screen.query_one("#note").value == ""
    assert [text for text, _ in notes()] == ["gamma  ", "  indented", " /slash "]


async def test_a_command_typed_after_spaces_runs_and_esc_clears_it(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await interview(pilot, app)
        burst(app, *typed("  /q great line", "enter", "  /n", "escape"))
        await wait_for(pilot, lambda: screen.interview.flags and not app.key_gate.waiting)
        await pilot.pause()
        assert [(f.kind, f.text) for f in screen.interview.flags] == [("quote", "great line")]
        assert screen.query_one("#note").value == ""  # Esc cleared the command, and it never ran
        assert screen.interview.current == 0


async def test_commands_and_keys_in_a_burst_run_between_the_notes(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await interview(pilot, app)
        q = [question.id for _, question in screen.interview.flat]
        burst(app, *typed("one", "enter", "/c", "enter", "two", "enter", "/n", "enter", "three", "enter",
                          "pagedown", "four", "enter", "/j diagnosis", "enter", "five", "enter", "/q", "enter"))
        await settled(pilot, app, 5)
    events_ = read_events(Path("sessions"))
    assert notes() == [("one", q[0]), ("two", q[0]), ("three", q[1]), ("four", q[2]), ("five", "early-diagnosis")]
    assert [e["question"] for e in events_ if e["type"] == "question.covered"] == [q[0]]
    [flag] = [e for e in events_ if e["type"] == "flag"]
    assert flag["kind"] == "quote" and flag["note"] == [e for e in events_ if e["type"] == "note"][-1]["seq"]


async def test_a_picker_opened_in_a_burst_gets_the_keys_after_it(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        burst(app, *typed("/j", "enter", "diagnosis", "enter", "after the jump", "enter"))
        await settled(pilot, app, 1)
        assert isinstance(app.screen, InterviewScreen)
    assert notes() == [("after the jump", "early-diagnosis")]


async def test_escape_cancels_a_command_and_two_slashes_type_one(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await interview(pilot, app)
        await pilot.press(*"/n")
        commands = screen.query_one("#commands")
        assert commands.display and commands.chosen().id == "q.next"
        await pilot.press("down")
        assert commands.chosen().id == "stage.next"
        await pilot.press("escape")
        assert screen.query_one("#note").value == "" and not commands.display
        burst(app, *typed("//n is not a command", "enter"))
        await settled(pilot, app, 1)
        assert screen.interview.current == 0
    assert [text for text, _ in notes()] == ["/n is not a command"]


async def test_the_id_and_initials_typed_in_one_burst(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        guides = [g.id for g in (await new_interview_form(pilot, app)).guides]
        burst(app, *(["down"] * guides.index("professional")), *typed("enter", "PR11", "enter", "js", "enter"))
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        await pilot.pause(0.3)  # Textual's Header must finish mounting before the app closes
    [start] = [e for e in read_events(Path("sessions")) if e["type"] == "session.start"]
    assert (start["participant"], start["initials"]) == ("PR11", "JS")


async def test_consent_ticks_in_one_burst_land_on_the_right_items(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen))
        items = [item.id for item in app.screen.interview.guide.preamble]
        interview = app.screen.interview
        burst(app, "space", "down", "down", "space", "down", "space", "up", "space", "down", "down", "space")
        await wait_for(pilot, lambda: len(interview.consent) == 4)
        await pilot.pause(0.3)
        assert {item for item, on in interview.consent.items() if on} == {items[0], items[3], items[4]}
    ticks = [(e["item"], e["checked"]) for e in read_events(Path("sessions")) if e["type"] == "consent.tick"]
    assert ticks == [(items[0], True), (items[2], True), (items[3], True), (items[2], False), (items[4], True)]


async def test_a_keymap_rebinds_an_action_and_help_and_the_question_show_it(workdir, recorders, professional):
    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp
    from companion.ui.screens.help import HelpScreen

    settings = Settings(sessions=Path("sessions"), guide_dirs=[shipped_guides_dir()],
                        keymap={"q.covered": "f10", "flag.quote": "f11", "q.probe": "f7"})
    app = CompanionApp(settings, StartRequest(guide=professional, participant="PR11"), recorder_factory=recorders)
    async with app.run_test(size=SIZE) as pilot:
        screen = await interview(pilot, app)
        await pilot.press("f8", *"goal of care", "enter")  # a question with probes
        await wait_for(pilot, lambda: screen.interview.question.id == "early-recovery-goal")
        from rich.console import Console

        console = Console(width=160, color_system=None, force_terminal=False)
        with console.capture() as captured:
            console.print(screen.query_one("#follow-ups").content)
        assert "Probes (/pr or F7 ticks one)" in captured.get()  # the question names the key as moved
        await pilot.press(*"a note", "enter", "f2", "f10", "f11")
        await wait_for(pilot, lambda: screen.interview.coverage and screen.interview.flags)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        from rich.console import Console

        from companion.ui.screens.help import key_table

        console = Console(width=160, color_system=None, force_terminal=False)
        with console.capture() as captured:
            console.print(key_table(screen, app.settings.keymap))
        text = captured.get()
    assert screen.interview.coverage == {screen.interview.question.id: "covered"}  # F2 is no longer bound
    assert [f.kind for f in screen.interview.flags] == ["quote"]
    [covered] = [line for line in text.splitlines() if "Mark the question covered" in line]
    assert covered.split()[:2] == ["F10", "/c"]


async def test_the_small_things(make_app, professional):
    """The ID placeholder follows the guide; read-aloud follows the cursor from the first item;
    the end screen never says 'still recording' in clock mode."""
    from companion.ui.screens.end import EndScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_interview_form(pilot, app)
        for index, guide in enumerate(screen.guides):
            screen.query_one("#guide-list").highlighted = index
            await pilot.pause()
            assert screen.query_one("#participant").placeholder == f"e.g. {guide.participant_id.example}"
        await pilot.pause(0.3)
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.is_mounted)
        preamble = app.screen.interview.guide.preamble
        for index in range(3):
            await wait_for(pilot, lambda: str(app.screen.query_one("#reading").render()) == f"Read aloud: {preamble[index].text}")
            await pilot.press("down")
        await pilot.press("up", "up", "up")
        await start_interview(pilot, app, record=False)
        await pilot.press(*"/e", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen))
        assert str(app.screen.query_one("#summary-title").render()) == "Summary — clock mode: nothing is being recorded"


async def test_a_paste_between_keys_keeps_its_place(make_app, professional):
    app = make_app(StartRequest(guide=professional, participant="PR11"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        burst(app, *typed("typed ", ))
        app.post_message(events.Paste("pasted"))
        burst(app, *typed(" typed again", "enter"))
        await settled(pilot, app, 1)
    assert [text for text, _ in notes()] == ["typed pasted typed again"]


async def test_invisible_characters_and_a_line_feed_enter_are_typed_as_sent(make_app, professional):
    """ZWNJ (Persian), the joiner in a family emoji, an RTL mark are kept; a line feed — Enter
    typed while an editor had the terminal — ends the note as Enter does."""
    from textual import events

    app = make_app(StartRequest(guide=professional, participant="PR39"))
    async with app.run_test(size=SIZE) as pilot:
        await interview(pilot, app)
        for character in "می\u200cخواهم 👨\u200d👩\u200d👧 \u200fok":
            app.post_message(events.Key(_character_to_key(character), character))
        app.post_message(events.Key("ctrl+j", "\n"))
        burst(app, *typed("two", "enter"))
        await settled(pilot, app, 2)
    assert [t for t, _ in notes()] == ["می\u200cخواهم 👨\u200d👩\u200d👧 \u200fok", "two"]


async def test_the_buttons_name_the_keys_a_keymap_gives(workdir, recorders, professional):
    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp
    from companion.ui.screens.end import EndScreen

    settings = Settings(sessions=Path("sessions"), guide_dirs=[shipped_guides_dir()],
                        keymap={"consent.norecord": "f11", "end.back": "ctrl+b", "end.finish": "ctrl+f,f12"})
    app = CompanionApp(settings, StartRequest(guide=professional, participant="PR11"), recorder_factory=recorders)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConsentScreen) and app.screen.query("#record"))
        assert "[F11]" in str(app.screen.query_one("#norecord").render())
        assert "[s]" in str(app.screen.query_one("#record").render())
        screen = await start_interview(pilot, app, record=True)  # w is F11 now
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, EndScreen) and app.screen.query("#back"))
        assert "[ctrl+b]" in str(app.screen.query_one("#back").render())
        assert "[ctrl+f / F12]" in str(app.screen.query_one("#finish").render())
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: app.screen is screen)
