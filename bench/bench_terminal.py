"""Start-up as the user sees it: a whole process in a real terminal (a pty at 120×40).

The screens bench times the screen's own work in one process, imports done. This one starts
`companion interview --guide professional --participant PR1 --no-audio` (a fresh store each
run) and, alternately, a minimal Textual app (a header, a label, a footer) as commands, and
reads what each writes to the terminal:

- to_first_byte: from starting the process to the first byte it writes (Python, the imports,
  the command line's checks);
- to_drawn: to the last byte written before the terminal goes quiet for 0.3 s, once the
  screen's text ("Start recording", "hello") has appeared: the screen complete;
- drawing: to_drawn less to_first_byte.

The terminal here answers none of Textual's queries (synchronized output stays off). Unix
only (the standard library's pty); elsewhere the bench says so and measures nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_review import MINIMAL_APP

TITLE = "Terminal: a whole process to its screen drawn, in a real pty (consent vs a minimal app)"
QUIET = 0.3
PLAIN = re.compile(rb"\x1b\[[0-9;?<>=$ ]*[@-~]")  # escape sequences, so a word split by styles is found


def start_in_pty(argv: list[str], env: dict, cwd: Path):
    import fcntl
    import struct
    import termios

    parent, child = os.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd,
                               start_new_session=True, close_fds=True)
    os.close(child)
    return process, parent


def timed(argv: list[str], marker: bytes, env: dict, cwd: Path) -> tuple[float, float]:
    """(to first byte, to drawn) of one start, in seconds."""
    import select

    started = time.perf_counter()
    process, terminal = start_in_pty(argv, env, cwd)
    seen, first, last = b"", None, None
    try:
        while time.perf_counter() - started < 30:
            if last and marker in PLAIN.sub(b"", seen) and time.perf_counter() - last >= QUIET:
                return first - started, last - started
            if select.select([terminal], [], [], 0.01)[0]:
                data = os.read(terminal, 65536)
                if not data:
                    break
                last = time.perf_counter()
                first = first or last
                seen += data
        raise RuntimeError(f"{argv[1:]} drew no {marker!r}: {PLAIN.sub(b'', seen)[-400:]!r}")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        os.close(terminal)


def run(quick: bool) -> dict[str, object]:
    if sys.platform == "win32":
        return {"skipped": "no pty on Windows"}
    runs = 3 if quick else 11
    samples: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-terminal-") as tmp:
        folder = Path(tmp)
        (folder / "minimal.py").write_text(MINIMAL_APP + "\nMinimal().run()\n")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(TERM="xterm-256color", COLUMNS="120", LINES="40")
        minimal = ([sys.executable, str(folder / "minimal.py")], b"hello")
        consent = ([sys.executable, "-m", "companion", "interview", "--guide", "professional",
                    "--participant", "PR1", "--no-audio"], b"Start recording")
        for n in range(runs + 1):  # the first pair warms the disk cache and .pyc files: not kept
            store = folder / f"store-{n}"
            for name, (argv, marker) in (("minimal", minimal), ("consent", consent)):
                first, drawn = timed(argv, marker, {**env, "COMPANION_SESSIONS": str(store)}, folder)
                if n:
                    samples.setdefault(f"{name}.to_first_byte", []).append(first)
                    samples.setdefault(f"{name}.to_drawn", []).append(drawn)
                    samples.setdefault(f"{name}.drawing", []).append(drawn - first)
            shutil.rmtree(store, ignore_errors=True)
    m = {name: statistics.median(values) for name, values in samples.items()}
    figures: dict[str, object] = {f"{name}_s": value for name, value in m.items()}
    for figure in ("to_first_byte", "to_drawn", "drawing"):
        figures[f"consent_vs_minimal.{figure}"] = m[f"consent.{figure}"] / m[f"minimal.{figure}"]
    return figures
