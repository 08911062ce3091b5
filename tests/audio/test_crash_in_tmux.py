"""A crash inside the app is loud: after the terminal is given back, the traceback and the crash
log's path are printed and the exit status is not 0; the session is closed as interrupted.
Meanwhile what C libraries write on descriptor 2 still never reaches the screen."""

from __future__ import annotations

import textwrap
from pathlib import Path

from interview_in_tmux import events, session_folder, tick_every_item
from tmux_app import TmuxApp

# The real command line, with one bug planted: F2 (mark covered) raises, after a C-level
# write to descriptor 2 like the ones PortAudio and ALSA make.
PROBE = textwrap.dedent("""
    import os, sys
    from companion.ui.screens.interview import InterviewScreen

    def planted(self, state):
        os.write(2, b"ALSA lib pcm.c:8526:(snd_pcm_recover) underrun occurred\\n")
        raise RuntimeError("a planted bug")

    InterviewScreen.action_mark = planted
    from companion.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_crash_prints_its_traceback_after_the_terminal_is_restored(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    sessions, state = tmp_path / "sessions", tmp_path / "state"
    env = {"XDG_STATE_HOME": str(state), "HOME": str(tmp_path), "PYTHONPATH": str(Path(__file__).parents[2])}
    app = TmuxApp(["--sessions", str(sessions), "interview", "--guide", "professional", "--participant", "PR51",
                   "--no-audio"], env, script=probe)
    try:
        tick_every_item(app)
        app.keys("w")
        app.wait_for("CLOCK MODE")
        app.type("noted just before the crash")
        app.keys("Enter")
        app.wait_for("[saved]")
        app.keys("F2")
        status = app.wait_exit()
        screen = app.scrollback()
        terminal = app.terminal_state()
    finally:
        app.close()
    assert status == 70
    assert terminal["alternate_on"] == "0" and terminal["cursor_flag"] == "1"
    assert "Traceback (most recent call last)" in screen and "RuntimeError: a planted bug" in screen
    assert "ALSA lib" not in screen  # C libraries' output stays off the screen
    [log] = (state / "companion" / "crash").glob("crash-*.log")
    assert f"The traceback is also in {log}." in screen
    assert "RuntimeError: a planted bug" in log.read_text()
    assert "noted just before the crash" not in log.read_text()  # no session content in the log
    folder = session_folder(sessions, "PR51")
    assert "noted just before the crash" in [e.get("text") for e in events(folder)]
    assert events(folder)[-1] == {**events(folder)[-1], "type": "session.end", "status": "interrupted"}
    assert f"companion interview --resume PR51/{folder.name}" in screen
