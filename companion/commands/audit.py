"""`companion audit [--verify]`: the store's audit log, and a check of its chain; and how every
command that reads a session's content opens it: with the key, accounted for in the log."""

from __future__ import annotations

import argparse
import json
import sys

from companion.commands import add_command
from companion.config import session_root


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "audit",
        run_audit,
        help="list who opened, exported, decrypted, deleted or moved sessions; --verify checks the log",
        description="List the store's audit log (audit-log.jsonl): when, which OS user, which command, "
        "which sessions, the outcome. --verify checks that no entry was edited or deleted.",
    )
    parser.add_argument("--verify", action="store_true", help="check the chain of entries; exit 1 when it is broken")
    parser.add_argument("--json", action="store_true", help="print the entries as a JSON array")


def run_audit(args: argparse.Namespace) -> int:
    from companion import audit

    root = session_root(getattr(args, "sessions", None))
    entries, problems = audit.read(root)
    if args.json:
        json.dump([e.data for e in entries], sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif not args.verify:
        if not entries:
            print(f"The audit log of {root} is empty.")
        for entry in entries:
            data = entry.data
            sessions = ", ".join(data.get("sessions") or []) or "-"
            print(f"{data.get('n'):>4}  {data.get('when')}  {data.get('user')}@{data.get('host')}  "
                  f"{data.get('command')}  {sessions}  {data.get('outcome')}")
    if args.verify:
        if problems:
            print("\n".join(problems), file=sys.stderr)
            print(f"The audit log of {root} is broken: {len(problems)} problem(s).", file=sys.stderr)
            return 1
        print(f"The audit log of {root} is intact: {len(entries)} entries, each chained to the one before.")
    elif problems:
        print("\n".join(problems), file=sys.stderr)
    return 0


def add_key_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", metavar="FILE", help="the study's private key file (for an encrypted session)")
    parser.add_argument("--passphrase-file", metavar="F", help="read the key's passphrase from the first line of F")


def audited_open(args, command: str, plain_output: bool = False):
    return open_with_key(args, command, plain_output)[0]


def open_with_key(args, command: str, plain_output: bool = False):
    """(record, keyring or None): the session record for a command that reads content, opened with the key when it is
    encrypted, and the access logged in the audit log (also when it is refused).
    ``plain_output``: the command writes plain files, which never go into an encrypted store."""
    from companion import audit
    from companion.crypto.keyring import Keyring
    from companion.errors import UsageError
    from companion.store import Store, meta, sealing

    store = Store(session_root(getattr(args, "sessions", None)))
    with audit.audited(store.root, command, [str(args.session)]) as entry:
        folder = store.find(args.session)
        ref = f"{folder.parent.name}/{folder.name}"
        entry["sessions"] = [ref]
        sealed = sealing.is_sealed(meta.read(folder))
        if sealed and plain_output and getattr(args, "output", None) is None:
            raise UsageError(f"Session {ref} is encrypted: give -o PATH for the plain export files; "
                             "they are never written into the encrypted store.")
        keyring = Keyring.from_args(args) if sealed else None
        record = store.open(folder, keyring)
    return record, keyring
