"""`companion decrypt SESSION --key FILE -o DIR`: an encrypted session as plain standard files
(events.jsonl, session.yaml, the guide copies, the audio as one WAV) for archiving."""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.commands import add_command
from companion.commands.audit import add_key_options, open_with_key


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "decrypt",
        run_decrypt,
        help="write an encrypted session as plain files (events.jsonl, audio.wav) with the study's key",
        description="Decrypt a session with the study's private key into a new folder: events.jsonl, "
        "session.yaml, the guide copies and the audio as one WAV on the session timeline. "
        "The folder is a plain session folder; keep it somewhere as safe as the store.",
    )
    parser.add_argument("session", metavar="SESSION", help="a session folder or PARTICIPANT/SESSION-ID")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="a new or empty folder")
    add_key_options(parser)


def run_decrypt(args: argparse.Namespace) -> int:
    from companion.commands.progress import Progress
    from companion.crypto.plain import decrypt_session, sealed_segments
    from companion.errors import UsageError

    record, keyring = open_with_key(args, "decrypt")
    if keyring is None:
        raise UsageError(f"Session {args.session} is not encrypted: its files are already plain.")
    total = sum(int(s.get("frames") or 0) * 2 for s in sealed_segments(record.path, record.meta))
    with Progress(total, "decrypting audio") as bar:
        written = decrypt_session(record, keyring, Path(args.output).expanduser(), progress=bar.advance)
    for path in written:
        print(path)
    return 0
