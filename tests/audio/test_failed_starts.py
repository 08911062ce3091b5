"""A start that fails never leaves a blank screen: from the command line the app exits 2 with
one sentence (the terminal given back); from the home screen the interviewer stays on the
screen they came from, which still works. Either way no empty folder is left behind.
Real causes: a session open in another process, a full disk, a store that turned read-only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from disks import fill, read_only, small_disk
from tmux_app import TmuxApp

from companion.config import shipped_guides_dir
from companion.guide.loader import find_guides, load_guide
from companion.store import Store
from companion.store.layout import INDEX_FILES

pytestmark = pytest.mark.slow

CLEAN = {"alternate_on": "0", "cursor_flag": "1", "mouse_any_flag": "0", "mouse_all_flag": "0", "keypad_flag": "0"}


def env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}


def interrupted_session(root: Path) -> str:
    """A session whose process died (no end), as `--resume` finds it."""
    writer = Store(root).create(load_guide(shipped_guides_dir() / "professional.yaml"), "PR61")
    writer.abandon()
    return writer.name


def command_line_fails(tmp_path: Path, args: list[str]) -> str:
    """Run the command in a terminal: it must exit 2 and give the terminal back; what it printed."""
    with TmuxApp(args, env(tmp_path)) as app:
        status = app.wait_exit()
        printed, terminal = app.scrollback(), app.terminal_state()
    assert status == 2, printed
    assert terminal == CLEAN
    assert "Traceback" not in printed
    [sentence] = [line for line in printed.splitlines() if line.startswith("companion: ")]
    return sentence


def test_resuming_a_locked_session_from_the_command_line(tmp_path):
    root = tmp_path / "sessions"
    ref = interrupted_session(root)
    held = Store(root).resume(ref)  # another companion has it open
    try:
        sentence = command_line_fails(tmp_path, ["--sessions", str(root), "interview", "--resume", ref])
    finally:
        held.abandon()
    assert f"Session {ref} is open in another companion process" in sentence


def test_a_new_interview_on_a_full_disk_from_the_command_line(tmp_path):
    with small_disk(512) as disk:
        root = disk / "sessions"
        root.mkdir()
        fill(disk)
        sentence = command_line_fails(tmp_path, ["--sessions", str(root), "interview", "--guide", "professional",
                                                 "--participant", "PR62"])
        assert "No space left on device" in sentence
        assert list(root.iterdir()) == []  # no PR62/ left behind


def test_a_new_interview_in_a_read_only_store_from_the_command_line(tmp_path):
    with small_disk(512) as disk:
        read_only(disk)
        sentence = command_line_fails(tmp_path, ["--sessions", str(disk / "sessions"), "interview",
                                                 "--guide", "professional", "--participant", "PR63"])
        assert "Cannot write to the session store" in sentence
        assert list(disk.iterdir()) == []


def home(tmp_path: Path, root: Path) -> TmuxApp:
    app = TmuxApp(["--sessions", str(root)], env(tmp_path))
    app.wait_for("What would you like to do?")
    return app


def start_from_home(app: TmuxApp, participant: str) -> None:
    """n, the professional guide, the ID, Enter on the ID and on the initials: start."""
    guides = [entry.guide.id for entry in find_guides([shipped_guides_dir()]) if entry.guide]
    app.keys("n")
    app.wait_for("Participant ID")
    app.keys(*["Down"] * guides.index("professional"), "Enter")
    time.sleep(0.5)  # the ID field takes the focus
    app.type(participant)
    app.wait_for(f"{participant} is a valid ID")
    app.keys("Enter")  # to the initials
    time.sleep(0.5)
    app.keys("Enter")


def still_working(app: TmuxApp, here: str) -> None:
    """The screen the interviewer came from is there, and the app still answers keys."""
    assert here in app.screen()
    app.keys("Escape")
    app.wait_for("What would you like to do?")
    app.keys("q")
    assert app.wait_exit() == 0
    assert app.terminal_state() == CLEAN


@pytest.mark.parametrize("fault, said", [(fill, "space left on device"), (read_only, "Read-only file system")],
                         ids=["full-disk", "read-only-store"])
def test_a_new_interview_from_home_on_a_disk_that_failed(tmp_path, fault, said):
    with small_disk(512) as disk:
        root = disk / "sessions"
        root.mkdir()
        with home(tmp_path, root) as app:
            # Once the store is read: its index, written then, frees its log as it closes,
            # which could make room on a disk filled meanwhile.
            app.wait_for("encrypted")
            fault(disk)  # after the app opened: the disk fills, or turns read-only
            start_from_home(app, "PR64")
            app.wait_for(said)  # in a toast (its lines wrap)
            still_working(app, "Continue to consent")
        # no session folder; the listing's own index may have been written before the fault
        assert [p for p in root.iterdir() if p.name not in INDEX_FILES] == []


def test_resuming_a_locked_session_from_home(tmp_path):
    root = tmp_path / "sessions"
    ref = interrupted_session(root)
    app = home(tmp_path, root)
    app.wait_for("Resume an interrupted interview (1)")
    held = Store(root).resume(ref)  # another companion takes it while this one shows the home screen
    try:
        with app:
            app.keys("r")
            app.wait_for("Interrupted interviews")
            app.keys("Enter")
            app.wait_for("open in another")
            still_working(app, "Interrupted interviews")
    finally:
        held.abandon()
