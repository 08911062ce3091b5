"""The app in a real terminal: tmux runs it on its own server socket, keys are sent as a
user's terminal sends them, and the test reads the screen and the session's events.jsonl."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path


class Terminal:
    def __init__(self, name: str, store: Path, args: list[str], cwd: Path, env: dict[str, str] | None = None):
        self.name, self.store = name, store
        self.socket = ["tmux", "-L", name]
        command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "companion", "--sessions", str(store), *args])
        env = {"COMPANION_SESSIONS": str(store), "XDG_CONFIG_HOME": os.environ.get("XDG_CONFIG_HOME", ""),
               "XDG_DATA_HOME": os.environ.get("XDG_DATA_HOME", ""), **(env or {})}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items() if v)
        self.tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", str(cwd), f"env {exports} {command}")

    def tmux(self, *args: str) -> str:
        return subprocess.run([*self.socket, *args], check=True, capture_output=True, text=True, timeout=30).stdout

    def send(self, *keys: str) -> None:
        """One send-keys call: tmux writes the keys to the terminal together, as one burst."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for_screen(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"never showed {text!r}; the screen was:\n{self.screen()}")

    def events(self) -> list[dict]:
        logs = list(self.store.glob("*/*/events.jsonl"))
        if not logs:
            return []
        lines = logs[0].read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    def wait_for_events(self, predicate, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.events()
            if predicate(events):
                return events
            time.sleep(0.02)
        raise AssertionError(f"events never reached the expected state; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([*self.socket, "kill-server"], capture_output=True, timeout=30)


def tick_all_and_start_without_recording(terminal: Terminal, items: int) -> None:
    """Tick every consent item in one burst (Space, Down, …), then w: no F-key needed."""
    keys = []
    for index in range(items):
        keys += ["Space"] + (["Down"] if index < items - 1 else [])
    terminal.send(*keys, "w")
    terminal.wait_for_screen("CLOCK MODE")
