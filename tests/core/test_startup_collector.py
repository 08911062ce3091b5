"""A command that opens the app loads it with the garbage collector paused, and every command
ends with the collector running, whatever happens (companion/collector.py)."""

from __future__ import annotations

import gc

import pytest

import companion.commands.interview as interview_command
import companion.commands.sessions as sessions_command
import companion.ui.long_lived as long_lived
from companion.cli import main
from companion.errors import UsageError


@pytest.fixture
def frozen_already(monkeypatch):
    monkeypatch.setattr(long_lived, "_frozen", True)  # no gc.freeze of the test process itself


def recording(seen: list, *, opens_app: bool, fails: bool = False):
    def run(args) -> int:
        seen.append(gc.isenabled())
        if opens_app:
            long_lived.freeze_once()  # what CompanionApp does as it is made
            seen.append(gc.isenabled())
        if fails:
            raise UsageError("a mistake on the command line")
        return 0

    return run


def test_the_collector_is_paused_while_the_app_loads_and_runs_again_from_its_freeze(monkeypatch, frozen_already):
    seen: list[bool] = []
    monkeypatch.setattr(interview_command, "run_interview", recording(seen, opens_app=True))
    assert main(["interview"]) == 0
    assert seen == [False, True] and gc.isenabled()


def test_the_collector_runs_again_when_the_command_fails_before_the_app(monkeypatch, frozen_already):
    seen: list[bool] = []
    monkeypatch.setattr(interview_command, "run_interview", recording(seen, opens_app=False, fails=True))
    assert main(["interview"]) == 2
    assert seen == [False] and gc.isenabled()


def test_other_commands_run_with_the_collector(monkeypatch, frozen_already):
    seen: list[bool] = []
    monkeypatch.setattr(sessions_command, "run_sessions", recording(seen, opens_app=False))
    assert main(["sessions"]) == 0
    assert seen == [True] and gc.isenabled()


def test_a_collector_paused_by_someone_else_is_left_paused(monkeypatch, frozen_already):
    seen: list[bool] = []
    monkeypatch.setattr(interview_command, "run_interview", recording(seen, opens_app=True))
    gc.disable()
    try:
        assert main(["interview"]) == 0
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
