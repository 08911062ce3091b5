"""In a real terminal (tmux), as a user would: keys sent together in one `send-keys` call
keep their order, and a whole interview runs without F-keys, PgUp/PgDn, ctrl+arrows or alt."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from companion.config import shipped_guides_dir
from companion.guide.loader import load_guide

from .tmux_terminal import Terminal, tick_all_and_start_without_recording

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
]

RUNS = 20


@pytest.fixture
def professional():
    return load_guide(shipped_guides_dir() / "professional.yaml")


@pytest.fixture
def terminal(tmp_path, professional):
    started = []

    def start(*args: str, env: dict[str, str] | None = None) -> Terminal:
        term = Terminal(f"companion-test-{os.getpid()}-{len(started)}", tmp_path / "sessions", list(args), tmp_path, env)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def notes(events) -> list[tuple[str, str]]:
    return [(e["text"], e["question"]) for e in events if e["type"] == "note"]


def test_notes_and_commands_sent_together_arrive_exactly(terminal, professional):
    term = terminal("interview", "--guide", "professional", "--participant", "PR11", "--no-audio")
    term.wait_for_screen("Read each item")
    tick_all_and_start_without_recording(term, len(professional.preamble))
    flat = [q.id for stage in professional.stages for q in stage.questions]
    expected: list[tuple[str, str]] = []
    for run in range(RUNS):
        here, after = flat[run], flat[run + 1]
        # two notes
        a = f"Run {run} A: The participant described eleven years in services."
        b = f"Run {run} B: second note typed right after: 12345 67890 abc."
        term.send(a, "Enter", b, "Enter")
        expected += [(a, here), (b, here)]
        term.wait_for_events(lambda ev: notes(ev) == expected)
        # three notes
        three = [f"Run {run} C{i}: {'x' * (7 * i)} end." for i in range(3)]
        term.send(*[k for text in three for k in (text, "Enter")])
        expected += [(text, here) for text in three]
        term.wait_for_events(lambda ev: notes(ev) == expected)
        # a note then a command
        d = f"Run {run} D: before it was marked covered."
        term.send(d, "Enter", "/c", "Enter")
        expected.append((d, here))
        events = term.wait_for_events(lambda ev: [e["question"] for e in ev if e["type"] == "question.covered"][-1:] == [here])
        assert notes(events) == expected
        last_note = [e["seq"] for e in events if e["type"] == "note"][-1]
        [covered] = [e["seq"] for e in events if e["type"] == "question.covered" and e["question"] == here]
        assert covered > last_note
        # a note, then a question change, then a note
        e1, e2 = f"Run {run} E: on {here}.", f"Run {run} F: on the next question."
        term.send(e1, "Enter", "/n", "Enter", e2, "Enter")
        expected += [(e1, here), (e2, after)]
        term.wait_for_events(lambda ev: notes(ev) == expected)
    assert len(expected) == RUNS * 8


def test_a_whole_interview_without_function_keys(terminal, professional):
    term = terminal("interview", "--guide", "professional", "--participant", "PR12", "--no-audio")
    term.wait_for_screen("Read each item")
    tick_all_and_start_without_recording(term, len(professional.preamble))
    flat = [q.id for stage in professional.stages for q in stage.questions]
    first_of_stage2 = professional.stages[1].questions[0].id

    def wait(type_, **fields):
        def seen(events):
            return any(e["type"] == type_ and all(e.get(k) == v for k, v in fields.items()) for e in events)
        return term.wait_for_events(seen)

    term.send("First note.", "Enter", "/c", "Enter", "/n", "Enter", "/s", "Enter", "/p", "Enter")
    wait("question.skipped", question=flat[1])
    term.send("/ns", "Enter")
    wait("question.shown", question=first_of_stage2)
    term.send("/pr 1", "Enter", "/ps", "Enter", "/ns", "Enter", "/n", "Enter")  # early-diagnosis
    wait("probe.covered", question=first_of_stage2, probe=0)
    term.send("/n", "Enter", "/pr", "Enter", "1")  # early-flexible's probe, from the picker
    wait("probe.covered", question="early-flexible", probe=0)
    term.send("Carers are not heard.", "Enter", "/t", "Enter", "listen", "Enter")
    wait("note.tagged", codes=["listening"])
    term.send("/q", "Enter", "/fu", "Enter", "/f", "Enter", "q")
    events = wait("flag", kind="follow-up")
    term.wait_for_events(lambda ev: [e["kind"] for e in ev if e["type"] == "flag"] == ["quote", "follow-up", "quote"])
    term.send("/sg", "Enter", "Upset about a past admission", "Enter")
    term.wait_for_screen("Answer y or n")  # keys typed ahead of the question never answer it
    term.send("n")
    wait("flag", kind="safeguarding", text="Upset about a past admission")
    term.send("/b", "Enter", "Said during the break.", "Enter", "/b", "Enter")
    wait("recording.resume")
    term.send("/j diagnosis", "Enter", "/n", "Enter", "/j", "Enter", "wishes", "Enter", "After the jump.", "Enter")
    events = wait("note", text="After the jump.")
    wishes = [e["question"] for e in events if e["type"] == "note"][-1]
    assert "wishes" in next(q.ask for s in professional.stages for q in s.questions if q.id == wishes)
    term.send("/e", "Enter")
    term.wait_for_screen("Closing")
    closing = len(professional.closing)
    keys = []
    for index in range(closing):
        keys += ["Space"] + (["Down"] if index < closing - 1 else [])
    term.send(*keys, "C-f")
    events = wait("session.end")
    kinds = [e["type"] for e in events]
    assert "recording.break" in kinds and "recording.resume" in kinds
    assert [e for e in events if e["type"] == "note" and e["text"] == "Said during the break."][0].get("during_break")
    assert len([e for e in events if e["type"] == "closing.tick"]) == closing
    term.wait_for_screen("Session saved")
    term.send("q")


def test_a_missing_editor_leaves_the_interview_on_screen_and_taking_notes(terminal, professional, monkeypatch):
    """/g with $EDITOR naming no program: Textual left the terminal handed over to nothing (a
    blank pane, keys going nowhere) — now one sentence, and the interview goes on."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor")
    term = terminal("interview", "--guide", "professional", "--participant", "PR13", "--no-audio")
    term.wait_for_screen("Read each item")
    tick_all_and_start_without_recording(term, len(professional.preamble))
    term.send("/g", "Enter")
    term.wait_for_screen("No editor found")
    term.send("Still taking notes.", "Enter")
    term.wait_for_events(lambda ev: [text for text, _ in notes(ev)] == ["Still taking notes."])
    term.wait_for_screen("Still taking notes.")


def test_ctrl_c_in_the_guide_editor_is_the_editors(terminal, professional, tmp_path):
    """ctrl+g opens the guide in $EDITOR; ctrl+c there goes to the editor, and the interview
    goes on (the terminal sent SIGINT to the app too, and it ended the interview)."""
    guide = tmp_path / "guide" / "own.yaml"
    guide.parent.mkdir()
    text = (shipped_guides_dir() / "professional.yaml").read_text(encoding="utf-8")
    guide.write_text(text.replace("id: professional", "id: own-professional", 1), encoding="utf-8")
    shutil.copy(shipped_guides_dir() / "codebook.yaml", guide.parent / "codebook.yaml")
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\ntouch "$1.open"\nsleep 30\n')
    editor.chmod(0o755)
    term = terminal("interview", "--guide", str(guide), "--participant", "PR12", "--no-audio",
                    env={"EDITOR": str(editor)})
    term.wait_for_screen("Read each item")
    tick_all_and_start_without_recording(term, len(professional.preamble))
    term.send("C-g")
    deadline = time.monotonic() + 20
    while not (guide.parent / "own.yaml.open").exists():
        assert time.monotonic() < deadline, term.screen()
        time.sleep(0.05)
    term.send("C-c")
    term.wait_for_screen("CLOCK MODE")  # the interview is back
    time.sleep(1.5)  # a SIGINT taken by the app ends the interview within a second
    term.send("After the editor.", "Enter")
    events = term.wait_for_events(lambda ev: any(e.get("text") == "After the editor." for e in ev))
    assert "session.end" not in [e["type"] for e in events]
