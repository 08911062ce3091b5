"""`companion guides` (list the available guides) and `companion guide check PATH...`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from companion.commands import add_command
from companion.commands.table import print_table
from companion.config import guide_dirs

# `guide check` exit statuses.
ALL_VALID, SOME_INVALID, USAGE = 0, 1, 2


def register(subparsers) -> None:
    add_command(
        subparsers,
        "guides",
        run_list,
        help="list the available topic guides",
        description="List the topic guides in the guide folders: id, title, audience, "
        "number of stages and questions, file. Broken guides are listed with their first "
        "problem, and the exit status is then 1.",
    )
    guide = add_command(subparsers, "guide", run_guide_usage, help="work with topic guide files: guide check")
    actions = guide.add_subparsers(dest="guide_action", metavar="ACTION")
    check = add_command(
        actions,
        "check",
        run_check,
        help="validate guide files, reporting every problem",
        description="Validate guide (and codebook) files. Prints 'OK path (N stages, M questions)' "
        "for each valid file, and every problem as 'path:line:col: message' on stderr. "
        "Exit status: 0 all valid, 1 any invalid, 2 a file missing or unreadable.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="guide files to check (default: every guide file in the guide folders)",
    )
    guide.set_defaults(guide_parser=guide)


def run_guide_usage(args: argparse.Namespace) -> int:
    args.guide_parser.print_help(sys.stderr)
    return USAGE


def run_check(args: argparse.Namespace) -> int:
    from companion.guide.loader import GuideError, load_any
    from companion.guide.model import Guide

    paths = [Path(p) for p in args.paths] or _guide_files(guide_dirs(getattr(args, "guides", None)))
    if not paths:
        print("companion: no guide files to check", file=sys.stderr)
        return USAGE
    status = ALL_VALID
    for path in paths:
        try:
            result = load_any(path)
        except GuideError as error:
            for problem in error.problems:
                print(f"companion: {problem}" if error.unreadable else problem, file=sys.stderr)
            status = max(status, USAGE if error.unreadable else SOME_INVALID)
            continue
        if isinstance(result, Guide):
            print(f"OK {path} ({_count(len(result.stages), 'stage')}, {_count(result.question_count, 'question')})")
        else:
            print(f"OK {path} (codebook, {_count(len(result), 'code')})")
    return status


def run_list(args: argparse.Namespace) -> int:
    from companion.guide.loader import find_guides

    dirs = guide_dirs(getattr(args, "guides", None))
    entries = find_guides(dirs)
    if not entries:
        print(f"companion: no guides found in {', '.join(str(d) for d in dirs)}", file=sys.stderr)
        return SOME_INVALID
    rows = [("ID", "TITLE", "AUDIENCE", "STAGES", "QUESTIONS", "FILE")]
    broken = []
    for entry in entries:
        guide = entry.guide
        if guide is None:
            broken.append(entry)
            continue
        rows.append(
            (guide.id, _clip(guide.title, 48), guide.audience, str(len(guide.stages)),
             str(guide.question_count), _shown(entry.path))
        )
    print_table(rows, droppable=("FILE", "AUDIENCE"), right_aligned={"STAGES", "QUESTIONS"})
    for entry in broken:
        more = len(entry.problems) - 1
        extra = f" (and {_count(more, 'more problem')}: companion guide check {_shown(entry.path)})" if more else ""
        first = entry.problems[0]
        if first.startswith(str(entry.path)):  # shown as short as the table shows it
            first = _shown(entry.path) + first[len(str(entry.path)) :]
        print(f"BROKEN {first}{extra}")
    return SOME_INVALID if broken else ALL_VALID


def _guide_files(dirs: list[Path]) -> list[Path]:
    return [p for d in dirs if d.is_dir() for p in sorted(d.iterdir()) if p.suffix in (".yaml", ".yml")]


def _shown(path: Path) -> str:
    """The path relative to the current folder when it is inside it, else absolute."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path.resolve())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
