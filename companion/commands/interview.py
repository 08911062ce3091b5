"""`companion` (home) and `companion interview`: the commands that open the app."""

from __future__ import annotations

import argparse

from companion.commands import add_command


def register(subparsers) -> None:
    add_command(subparsers, "interview", run_interview, help="start an interview straight away")


def open_app(args: argparse.Namespace) -> int:
    from companion.ui.app import CompanionApp

    CompanionApp().run()
    return 0


def run_interview(args: argparse.Namespace) -> int:
    return open_app(args)
