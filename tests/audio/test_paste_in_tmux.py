"""A bracketed paste of several lines, as a terminal sends it, arrives whole: one note with its
line breaks, saved at Enter."""

from __future__ import annotations

from interview_in_tmux import events, session_folder, tick_every_item
from tmux_app import TmuxApp

PASTED = "I felt listened to.\nThen the plan changed\nand nobody told me."


def test_a_multi_line_paste_arrives_whole(tmp_path):
    sessions = tmp_path / "sessions"
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    with TmuxApp(["--sessions", str(sessions), "interview", "--guide", "professional", "--participant", "PR71",
                  "--no-audio"], env) as app:
        tick_every_item(app)
        app.keys("w")
        app.wait_for("CLOCK MODE")
        app.type("quote: ")
        app.paste(PASTED)
        app.wait_for("and nobody told me.")
        app.keys("Enter")
        app.wait_for("[saved]")
    [note] = [e for e in events(session_folder(sessions, "PR71")) if e["type"] == "note"]
    assert note["text"] == "quote: " + PASTED
