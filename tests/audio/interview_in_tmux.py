"""Helpers for tests that run whole interviews in tmux with real audio from the PulseAudio sandbox."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tmux_app import TmuxApp

CONSENT_ITEMS = 12  # the professional guide's preamble


def app_env(pulse) -> dict[str, str]:
    """The sandbox's sound server, and a home of its own (config, state and crash logs stay there)."""
    return {"PULSE_SERVER": pulse.server, "HOME": str(pulse.dir), "XDG_RUNTIME_DIR": str(pulse.dir / "run"),
            "XDG_STATE_HOME": str(pulse.dir / "state"), "XDG_CONFIG_HOME": str(pulse.dir / "config")}


def new_interview(pulse, sessions: Path, participant: str) -> TmuxApp:
    """`companion interview` in tmux, every consent item ticked, recording."""
    app = TmuxApp(["--sessions", str(sessions), "interview", "--guide", "professional", "--participant", participant],
                  app_env(pulse))
    tick_every_item(app)
    app.keys("s")
    app.wait_for("● RECORDING")
    return app


def tick_every_item(app: TmuxApp) -> None:
    """Tick the consent checklist item by item, as an interviewer reading it aloud would."""
    app.wait_for("Start recording")
    time.sleep(0.3)
    for _ in range(CONSENT_ITEMS):
        app.keys("Space")
        time.sleep(0.05)
        app.keys("Down")
        time.sleep(0.05)
    app.wait_for("Ready: recording may start")


def resume(pulse, sessions: Path, ref: str) -> TmuxApp:
    return TmuxApp(["--sessions", str(sessions), "interview", "--resume", ref], app_env(pulse))


def session_folder(sessions: Path, participant: str) -> Path:
    [folder] = (sessions / participant).iterdir()
    return folder


def events(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()]
