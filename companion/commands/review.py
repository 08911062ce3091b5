"""`companion review [SESSION]`: the session browser, or one session's view."""

from __future__ import annotations

import argparse

from companion.commands import add_command
from companion.commands.audit import add_key_options


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
    add_key_options(parser)


def run_review(args: argparse.Namespace) -> int:
    from companion.commands.interview import open_app, settings_from
    from companion.store import Store
    from companion.ui.app import StartRequest

    from companion.crypto.keyring import Keyring

    keyring = Keyring.from_args(args)  # before the app: a wrong passphrase is one sentence here
    if args.session:
        # A wrong reference (or, with the key, a damaged file) is refused before the app opens.
        Store(settings_from(args).sessions).open(args.session, keyring, sealed_ok=keyring is None)
    return open_app(args, StartRequest(review=args.session or "", keyring=keyring))
