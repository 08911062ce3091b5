"""The real app in a real terminal: tmux runs `python -m companion`, the test types and looks.

Each TmuxApp has its own tmux server (its own socket), so tests never see each other's
panes. The pane's shell stays after the program exits, so the test can read the exit
status and the state the program left the terminal in.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


EXIT = re.compile(r"\[companion exited (\d+)\]")


class TmuxApp:
    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40), cwd: Path | None = None,
                 script: Path | None = None):
        """Runs ``python -m companion ARGS`` (or ``python SCRIPT ARGS``) with ``env`` added."""
        self.socket = f"i11-{os.getpid()}-{time.monotonic_ns()}"
        self.conf = Path(tempfile.mkstemp(prefix="i11-tmux-", suffix=".conf")[1])
        self.conf.write_text(f"set -g history-limit 5000\nset -g default-size {size[0]}x{size[1]}\n")
        app = shlex.join(["env", "-u", "COLUMNS", "-u", "LINES", *[f"{k}={v}" for k, v in env.items()],
                          sys.executable, *([str(script)] if script else ["-m", "companion"]), *args])
        # The shell stays after the app exits: the terminal keeps the state the app left it in
        # (tmux resets a dead pane's), and the exit status is printed where the test reads it.
        script = f'{app}; echo "[companion exited $?]"; exec sleep 3600'
        self.tmux("new-session", "-d", "-s", "app", "-x", str(size[0]), "-y", str(size[1]),
                  "-c", str(cwd or ROOT), shlex.join(["sh", "-c", script]))
        self._pid: int | None = None

    def tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, "-f", str(self.conf), *args],
                                capture_output=True, text=True, timeout=20)
        if result.returncode:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr}")
        return result.stdout

    def show(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", "app", fmt).strip()

    @property
    def pid(self) -> int:
        """The app's process (the pane's shell's child)."""
        if self._pid is None:
            shell = int(self.show("#{pane_pid}"))
            deadline = time.monotonic() + 10
            while not self._pid:
                children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
                self._pid = int(children[0]) if children else None
                if time.monotonic() > deadline:
                    raise AssertionError("the app's process never started")
                time.sleep(0.02)
        return self._pid

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def scrollback(self) -> str:
        """Everything printed on the normal screen, scrolled off or not (with wrapped lines joined)."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "app")

    def keys(self, *keys: str) -> None:
        """tmux key names (Enter, F7, C-q…) and text, in one send-keys call: one burst."""
        self.tmux("send-keys", "-t", "app", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "app", "-l", text)

    def paste(self, text: str) -> None:
        """A bracketed paste, as a terminal sends it when text is pasted (tmux wraps it when the
        program asked for bracketed paste)."""
        self.tmux("set-buffer", "-b", "i11", text)
        self.tmux("paste-buffer", "-p", "-d", "-b", "i11", "-t", "app")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline or EXIT.search(screen):
                raise AssertionError(f"{text!r} never showed; the screen:\n{screen}")
            time.sleep(0.05)

    def wait_exit(self, timeout: float = 30.0) -> int:
        """The app's exit status once it has exited."""
        deadline = time.monotonic() + timeout
        while True:
            found = EXIT.search(self.screen())
            if found:
                return int(found.group(1))
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not exit; the screen:\n{self.screen()}")
            time.sleep(0.05)

    def terminal_state(self) -> dict[str, str]:
        """What the program left the terminal in: 1/0 flags as tmux reports them."""
        names = ("alternate_on", "cursor_flag", "mouse_any_flag", "mouse_all_flag", "keypad_flag")
        values = self.show(" ".join(f"#{{{name}}}" for name in names)).split()
        return dict(zip(names, values))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)
        self.conf.unlink(missing_ok=True)

    def __enter__(self) -> TmuxApp:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
