"""`companion transfer --to DIR [--remove-local]`: closed sessions to the team store, verified."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.commands import add_command
from companion.config import session_root


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "transfer",
        run_transfer,
        help="copy closed sessions to a team store, verified by SHA-256; --remove-local after",
        description="Copy every closed session (encrypted ones as they are) to the team store DIR, "
        "write a SHA-256 manifest per session, read every copied file back to verify it, and log "
        "the transfer in both stores' audit logs. Open or interrupted sessions are skipped and named. "
        "With --remove-local, each session whose copy verified is deleted from this laptop.",
    )
    parser.add_argument("--to", required=True, metavar="DIR", help="the team store (a network share, a mounted drive)")
    parser.add_argument("--remove-local", action="store_true", help="delete each local session once its copy verified")


def run_transfer(args: argparse.Namespace) -> int:
    from companion import audit, transfer
    from companion.commands.progress import Progress
    from companion.store import Store, deletion

    store = Store(session_root(getattr(args, "sessions", None)))
    dest = Path(args.to).expanduser()
    transfer.check_destination(store.root, dest)
    audit.check_writable(store.root)
    sessions = store.sessions()
    closed = [s for s in sessions if s.status == "complete"]
    for s in sessions:
        if s.status != "complete":
            print(f"Skipped {s.ref}: it is {s.status} (close or resume it first).", file=sys.stderr)
    if not closed:
        print(f"No closed session to transfer in {store.root}.")
        return 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    total = sum(p.stat().st_size for s in closed for p in transfer.session_files(s.path))
    outcomes = []
    with Progress(total * 2, f"transferring to {dest}") as bar:  # copied, then read back
        for summary in closed:
            outcome = transfer.transfer_session(summary.path, dest, bar.advance)
            if outcome.state in ("copied", "already-there") and args.remove_local:
                deletion.delete_session(store.root, summary.path, "transfer")
                outcome.removed = True
            outcomes.append(outcome)
    return _report(store.root, dest, outcomes)


def _report(root: Path, dest: Path, outcomes) -> int:
    from companion import audit

    good = [o.ref for o in outcomes if o.state in ("copied", "already-there")]
    removed = [o.ref for o in outcomes if o.removed]
    damaged = [o for o in outcomes if o.state == "damaged"]
    for o in outcomes:
        if o.state == "copied":
            print(f"Copied {o.ref} ({o.files} files, verified by SHA-256)" + ("; deleted here." if o.removed else "."))
        elif o.state == "already-there":
            print(f"{o.ref} was already in {dest}, verified" + ("; deleted here." if o.removed else "."))
        elif o.state == "skipped":
            print(f"Skipped {o.ref}: {o.reason}.", file=sys.stderr)
        else:
            print(f"companion: {o.ref} did not verify at {dest} ({o.reason}); the local copy is kept.", file=sys.stderr)
    outcome = f"{len(good)} verified, {len(removed)} removed locally, {len(damaged)} failed verification"
    audit.record(root, f"transfer --to {dest}", [o.ref for o in outcomes], outcome)
    if good:
        audit.record(dest, f"transfer from {root.resolve()}", good, f"{len(good)} received and verified")
    print(f"{outcome}; logged in {root / 'audit-log.jsonl'} and {dest / 'audit-log.jsonl'}.")
    return 1 if damaged else 0
