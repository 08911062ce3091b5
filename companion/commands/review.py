"""`companion review [SESSION]`: the session browser, or one session's view."""

from __future__ import annotations

import argparse

from companion.commands import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "review",
        run_review,
        help="review sessions: notes, coverage, quotes, audio from any note",
        description="Open the session browser, or one session: a folder or PARTICIPANT/SESSION-ID.",
    )
    parser.add_argument("session", nargs="?", metavar="SESSION", help="a session folder or PARTICIPANT/SESSION-ID")
    parser.add_argument("--preroll", type=float, default=3.0, metavar="S", help="seconds played before a note (default 3)")


def run_review(args: argparse.Namespace) -> int:
    from companion.commands.interview import open_app, settings_from
    from companion.store import Store
    from companion.ui.app import StartRequest

    if args.session:
        Store(settings_from(args).sessions).open(args.session)  # a wrong reference is refused before the app opens
    return open_app(args, StartRequest(review=args.session or ""))
