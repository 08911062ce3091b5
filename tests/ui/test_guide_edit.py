"""Editing the guide live: a broken edit shows its file:line problems and keeps the guide in use;
a good edit is applied, and the session keeps a copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide
from companion.ui.app import StartRequest

from .conftest import read_events, wait_for
from .test_interview_flow import start_interview

ASK = "Can I begin with some background on you"


async def test_broken_edit_keeps_the_guide_and_a_good_one_is_applied(make_app, workdir, monkeypatch):
    guides = workdir / "my-guides"
    shutil.copytree(shipped_guides_dir(), guides)
    path = guides / "professional.yaml"
    guide = load_guide(path)
    monkeypatch.setenv("EDITOR", "true")  # the edits are made by the test; the editor just returns
    app = make_app(StartRequest(guide=guide, participant="PR20"))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_interview(pilot, app)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        original = path.read_text()

        path.write_text(original.replace("    questions:\n", "    questons:\n", 1))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: any("problems" in n for n in notes))
        assert f"{path}:" in notes[-1] and "questons" in notes[-1]
        assert screen.interview.question.ask.startswith(ASK)

        path.write_text(original.replace(ASK, "To start, tell me about your background", 1))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: screen.interview.question.ask.startswith("To start"))
        assert "To start, tell me" in str(screen.query_one("#ask").render())

    session = next(Path("sessions").glob("PR20/*"))
    [reloaded] = [e for e in read_events(Path("sessions")) if e["type"] == "guide.reloaded"]
    assert (session / reloaded["copy"]).exists()
    assert ASK in (session / "guide.yaml").read_text()  # the record of what was asked first stays


async def test_a_disk_error_saving_the_edited_guide_keeps_the_interview_going(make_app, workdir, monkeypatch):
    from companion.store import StoreError

    guides = workdir / "my-guides"
    shutil.copytree(shipped_guides_dir(), guides)
    path = guides / "professional.yaml"
    monkeypatch.setenv("EDITOR", "true")
    app = make_app(StartRequest(guide=load_guide(path), participant="PR22"))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_interview(pilot, app)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))

        def full(guide):
            raise StoreError("Could not save the edited guide: No space left on device.")

        monkeypatch.setattr(screen.interview.writer, "save_guide_copy", full)
        path.write_text(path.read_text().replace(ASK, "A changed question", 1))
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: any("not in use" in n for n in notes))
        assert screen.interview.question.ask.startswith(ASK)  # the guide in use is unchanged
        await pilot.press(*"still taking notes", "enter")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")


class Terminal:
    """The headless driver made able to hand the terminal over, as a real one is: it counts the
    hand-overs and the returns, so an app left suspended shows."""

    def __init__(self, monkeypatch):
        from textual.drivers.headless_driver import HeadlessDriver

        self.suspended = self.resumed = 0
        monkeypatch.setattr(HeadlessDriver, "can_suspend", property(lambda driver: True), raising=False)
        monkeypatch.setattr(HeadlessDriver, "suspend_application_mode", self.suspend, raising=False)
        monkeypatch.setattr(HeadlessDriver, "resume_application_mode", self.resume, raising=False)

    def suspend(self, driver=None) -> None:
        self.suspended += 1

    def resume(self, driver=None) -> None:
        self.resumed += 1


async def test_a_missing_editor_is_said_and_the_interview_keeps_taking_notes(make_app, workdir, monkeypatch):
    guides = workdir / "my-guides"
    shutil.copytree(shipped_guides_dir(), guides)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor --wait")
    terminal = Terminal(monkeypatch)
    app = make_app(StartRequest(guide=load_guide(guides / "professional.yaml"), participant="PR14"))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_interview(pilot, app, record=False)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        await pilot.press(*"/g", "enter")
        await wait_for(pilot, lambda: notes)
        assert terminal.suspended == terminal.resumed  # never left handed over to nothing
        assert notes == ["No editor found: 'no-such-editor' ($EDITOR) is not installed. Set $EDITOR to the editor "
                         "you use, then press ctrl+g (or type /g) again."]
        await pilot.press(*"still taking notes", "enter")
        await wait_for(pilot, lambda: screen.interview.notes and screen.interview.notes[-1].status == "saved")
        assert app.screen is screen and screen.interview.notes[-1].text == "still taking notes"
    assert "still taking notes" in [e.get("text") for e in read_events(Path("sessions"))]


async def test_an_editor_that_fails_to_start_still_gives_the_terminal_back(make_app, workdir, monkeypatch):
    """Found, but it cannot run (here: it is not executable when run): the app resumes, then says why."""
    import subprocess

    guides = workdir / "my-guides"
    shutil.copytree(shipped_guides_dir(), guides)
    monkeypatch.setenv("EDITOR", "true")
    terminal = Terminal(monkeypatch)

    def cannot(*args, **kw):
        raise PermissionError(13, "Permission denied")

    app = make_app(StartRequest(guide=load_guide(guides / "professional.yaml"), participant="PR15"))
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_interview(pilot, app, record=False)
        monkeypatch.setattr(app, "notify", lambda message, **kw: notes.append(message))
        monkeypatch.setattr(subprocess, "run", cannot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: notes)
        assert (terminal.suspended, terminal.resumed) == (1, 1)
        assert "could not be started" in notes[0] and "Permission denied" in notes[0]
        await pilot.press(*"still here", "enter")
        await wait_for(pilot, lambda: screen.interview.notes and screen.interview.notes[-1].status == "saved")
