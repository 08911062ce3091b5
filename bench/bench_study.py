"""A study's store: 150 and 500 sessions listed, reported, purged and withdrawn; the home
screen and the session browser — cold (no index) and warm — and the coverage report screen
(F3 from the browser), against a baseline.

Baseline, timed in the same loop as a real subprocess: walk the store and ``json.loads``
every line of every events.jsonl (the least a listing that reads the logs must do).
Commands run as real subprocesses (``python -m companion ...``; purge and withdraw
without --yes). Peak memory is each subprocess's own maxrss (``os.wait4``). Screens are
timed in-process from creating the app to the data shown, against a minimal Textual app.
Figures are medians; the store is generated once (see study_store.py) and cached.
"""

from __future__ import annotations

import asyncio
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_review import minimal_ready
from study_store import cached_store, shipped_guides

TITLE = "Study store: sessions/report/purge/withdraw, the home, browser and report screens, cold and warm"
ROOT = Path(__file__).resolve().parent.parent
BASELINE = """
import json, os, sys
lines = 0
for folder, _, files in os.walk(sys.argv[1]):
    if "events.jsonl" in files:
        with open(os.path.join(folder, "events.jsonl"), "rb") as log:
            for line in log:
                json.loads(line)
                lines += 1
print(lines)
"""
COMMANDS = {
    "sessions": ["sessions"],
    "report": ["report"],
    "purge": ["purge"],
    "withdraw": ["withdraw", "PR11"],
}


def drop_index(root: Path) -> None:
    for name in os.listdir(root):
        if name.startswith("index.sqlite"):
            os.unlink(root / name)


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one subprocess.

    The peak comes from GNU time (when installed): a child's maxrss starts at its parent's
    size when it is forked and survives exec, so the benchmark's own wait4 would report the
    benchmark's memory, not the command's. time is small, so its child's figure is true.
    """
    gnu_time = shutil.which("time") if sys.platform.startswith("linux") else None
    started = time.perf_counter()
    done = subprocess.run(([gnu_time, "-f", "%M"] if gnu_time else []) + argv, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, cwd=ROOT, env=AS_INSTALLED)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr[-500:]}")
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return elapsed, int(last) / 1024 if gnu_time and last.isdigit() else float("nan")


# Commands run as an installed package does: with its modules' bytecode (pip compiles it at
# install). A machine that sets PYTHONDONTWRITEBYTECODE would otherwise time our compiling
# of every module on every run, which the baseline (the standard library only) never pays.
AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def commands(root: Path, runs: int) -> dict[str, float]:
    compileall.compile_dir(str(ROOT / "companion"), quiet=1)
    base = [sys.executable, "-m", "companion", "--sessions", str(root)]
    samples: dict[str, list] = {"baseline": []}
    for _ in range(runs):
        samples["baseline"].append(timed([sys.executable, "-c", BASELINE, str(root)]))
        for name, args in COMMANDS.items():
            drop_index(root)
            samples.setdefault(f"{name}.cold", []).append(timed(base + args))
            timed(base + ["sessions"])  # a warm index, as any earlier listing leaves it
            samples.setdefault(f"{name}.warm", []).append(timed(base + args))
    baseline = statistics.median(s for s, _ in samples["baseline"])
    figures = {"baseline_walk_json_s": baseline, "baseline_rss_mb": statistics.median(m for _, m in samples["baseline"])}
    for name, got in samples.items():
        if name == "baseline":
            continue
        seconds = statistics.median(s for s, _ in got)
        figures[f"{name}_s"] = seconds
        figures[f"{name}_vs_baseline"] = seconds / baseline
        figures[f"{name}_rss_mb"] = max(m for _, m in got)
    return figures


async def app_until(root: Path, review: str | None, marks: dict[str, callable]) -> dict[str, float]:
    """Seconds from creating the app until each condition first holds."""
    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp, Settings, StartRequest

    started = time.perf_counter()
    app = CompanionApp(Settings(root, [shipped_guides_dir()]), StartRequest(review=review))
    seen: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while len(seen) < len(marks):
            for name, ready in marks.items():
                if name not in seen and ready(app):
                    seen[name] = time.perf_counter() - started
            await pilot.pause(0.01)
        await pilot.pause()  # let the screen settle before the app closes
    return seen


def home_marks(sessions: int) -> dict:
    from textual.widgets import OptionList, Static

    from companion.ui.screens.home import HomeScreen

    def guides_listed(app) -> bool:
        screen = app.screen
        return isinstance(screen, HomeScreen) and bool(str(screen.query_one("#guides", Static).render()).strip())

    def counts_filled(app) -> bool:
        screen = app.screen
        return isinstance(screen, HomeScreen) and getattr(screen, "interrupted", None) is not None \
            and screen.query_one("#menu", OptionList).option_count > 0

    return {"guides": guides_listed, "counts": counts_filled}


def browser_marks(sessions: int) -> dict:
    from textual.widgets import DataTable

    from companion.ui.screens.review import BrowserScreen

    def filled(app) -> bool:
        screen = app.screen
        return isinstance(screen, BrowserScreen) and screen.query_one("#sessions", DataTable).row_count == sessions

    return {"filled": filled}


def browser_key_marks() -> dict:
    """The browser takes keys: an F3 posted the moment it is up (as the terminal would send it,
    however far the listing has got) opens the coverage report."""
    from textual import events

    from companion.ui.screens.report import ReportScreen
    from companion.ui.screens.review import BrowserScreen

    def keyed(app) -> bool:
        if not getattr(app, "_f3_sent", False) and isinstance(app.screen, BrowserScreen):
            app._f3_sent = True
            app.post_message(events.Key("f3", None))
        return isinstance(app.screen, ReportScreen)

    return {"keys": keyed}


async def report_screen(root: Path, sessions: int) -> dict[str, float]:
    """From F3 in a filled session browser: until a key takes effect on the coverage report
    (an Escape posted the moment it is up, as the terminal would send it, goes back), and,
    in a second run, until its tables show."""
    from textual import events
    from textual.widgets import DataTable

    from companion.ui.screens.report import ReportScreen
    from companion.ui.screens.review import BrowserScreen

    async def from_f3(app, done) -> float:
        started = time.perf_counter()
        app.post_message(events.Key("f3", None))
        while not done(app):
            await asyncio.sleep(0.002)
        return time.perf_counter() - started

    async def keys(app, pilot) -> float:
        def back(app) -> bool:
            if isinstance(app.screen, ReportScreen) and not getattr(app, "_escape_sent", False):
                app._escape_sent = True
                app.post_message(events.Key("escape", None))
            return getattr(app, "_escape_sent", False) and isinstance(app.screen, BrowserScreen)

        return await from_f3(app, back)

    def laid_out(app) -> bool:  # its tables placed on the screen with their rows measured
        tables = app.screen.query(DataTable) if isinstance(app.screen, ReportScreen) else []
        return bool(tables) and tables[0].region.height > 1

    async def filled(app, pilot) -> float:
        started = time.perf_counter()
        await from_f3(app, laid_out)
        await pilot.pause()  # and drawn: what the interviewer sees
        return time.perf_counter() - started

    return {name: await in_browser(root, sessions, measure) for name, measure in (("keys", keys), ("filled", filled))}


async def in_browser(root: Path, sessions: int, measure) -> float:
    from companion.config import shipped_guides_dir
    from companion.ui.app import CompanionApp, Settings, StartRequest

    ready = browser_marks(sessions)["filled"]
    app = CompanionApp(Settings(root, [shipped_guides_dir()]), StartRequest(review=""))
    async with app.run_test(size=(120, 40)) as pilot:
        while not ready(app):
            await pilot.pause(0.01)
        await pilot.pause()
        seconds = await measure(app, pilot)
        await pilot.pause()
    return seconds


def screens(root: Path, sessions: int, runs: int) -> dict[str, float]:
    from companion.store.index import GUIDES

    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        samples.setdefault("minimal_app", []).append(asyncio.run(minimal_ready()))
        for state in ("cold", "warm"):
            if state == "cold":
                drop_index(root)
                GUIDES.guides.clear()
            for name, seconds in asyncio.run(app_until(root, None, home_marks(sessions))).items():
                samples.setdefault(f"home_{name}.{state}", []).append(seconds)
            if state == "cold":
                drop_index(root)
                GUIDES.guides.clear()
            for name, seconds in asyncio.run(app_until(root, "", browser_marks(sessions))).items():
                samples.setdefault(f"browser_{name}.{state}", []).append(seconds)
            if state == "warm":
                for name, seconds in asyncio.run(app_until(root, "", browser_key_marks())).items():
                    samples.setdefault(f"browser_{name}.{state}", []).append(seconds)
        for name, seconds in asyncio.run(report_screen(root, sessions)).items():
            samples.setdefault(f"report_screen_{name}.warm", []).append(seconds)
    minimal = statistics.median(samples.pop("minimal_app"))
    figures = {"minimal_app_s": minimal}
    for name, got in samples.items():
        figures[f"{name}_s"] = statistics.median(got)
        figures[f"{name}_vs_minimal"] = statistics.median(got) / minimal
    return figures


def run(quick: bool) -> dict[str, object]:
    shipped_guides()  # fail early when the guides cannot be read
    figures: dict[str, object] = {}
    sizes = (150,) if quick else (150, 500)
    for size in sizes:
        root = cached_store(size)
        for key, value in commands(root, runs=3 if quick else 5).items():
            figures[f"{size}.{key}"] = value
        for key, value in screens(root, size, runs=2 if quick else 5).items():
            figures[f"{size}.{key}"] = value
    return figures
