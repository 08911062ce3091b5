"""`companion sessions`, `companion purge` and `companion withdraw`: the store from the shell.

Purge and withdraw only list what they would delete unless given ``--yes``.
"""

from __future__ import annotations

import argparse
import json
import sys

from companion.commands import add_command
from companion.commands.table import print_table
from companion.config import guide_dirs, session_root


def register(subparsers) -> None:
    listing = add_command(
        subparsers,
        "sessions",
        run_sessions,
        help="list every session in the store",
        description="List every session: participant ID, session id, guide, start, duration, notes, "
        "flags (safeguarding counted apart), status, retain-until date and whether it is due "
        "for destruction.",
    )
    listing.add_argument("--json", action="store_true", help="print a JSON array of objects instead of a table")
    purge = add_command(
        subparsers,
        "purge",
        run_purge,
        help="destroy the sessions whose retention has passed",
        description="List the sessions due for destruction (their retain-until date has passed). "
        "With --yes, delete each entirely (audio, log, copies, folder) and log the deletion "
        "in purge-log.jsonl at the store root.",
    )
    purge.add_argument("--yes", action="store_true", help="delete them (without it, only list)")
    withdraw = add_command(
        subparsers,
        "withdraw",
        run_withdraw,
        help="delete everything held for a participant who withdrew",
        description="List every session held for PARTICIPANT_ID. With --yes, delete them entirely "
        "and log each deletion in purge-log.jsonl at the store root.",
    )
    withdraw.add_argument("participant", metavar="PARTICIPANT_ID", help="the participant's ID, e.g. PR11 (never a name)")
    withdraw.add_argument("--yes", action="store_true", help="delete it all (without it, only list)")


def _store(args: argparse.Namespace):
    from companion.store import Store

    return Store(session_root(getattr(args, "sessions", None)))


def run_sessions(args: argparse.Namespace) -> int:
    from companion.config import store_origin, stray_sessions_notice

    store = _store(args)
    notice = stray_sessions_notice(store.root)
    if notice:
        print(f"companion: {notice}", file=sys.stderr)
    sessions = store.sessions()
    _notices(store)
    if args.json:
        json.dump([s.to_json() for s in sessions], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    where = f"{store.root} ({store_origin(getattr(args, 'sessions', None))})"
    if not sessions:
        print(f"No sessions yet in {where}.")
        return 0
    header = ("PARTICIPANT", "SESSION", "GUIDE", "STARTED", "DURATION", "NOTES", "FLAGS",
              "SAFEGUARDING", "STATUS", "RETAIN UNTIL", "DUE")
    # At 80 columns: who, which session, notes, safeguarding, status and whether due.
    print_table([header] + [_row(s) for s in sessions],
                droppable=("STARTED", "RETAIN UNTIL", "FLAGS", "DURATION", "GUIDE"))
    print(f"\n{_count(len(sessions))} in {where}.")
    for summary in sessions:
        for problem in summary.problems:
            print(f"{summary.ref}: {problem}", file=sys.stderr)
    return 0


def _row(s) -> tuple[str, ...]:
    return (
        s.participant,
        s.session,
        s.guide,
        (s.started or "")[:16].replace("T", " "),
        _duration(s.duration),
        str(s.notes),
        str(s.flags),
        str(s.safeguarding),
        s.status,
        s.retain_until.isoformat() if s.retain_until else "?",
        "due" if s.due else "",
    )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def run_purge(args: argparse.Namespace) -> int:
    store = _store(args)
    due = store.due_sessions()
    _notices(store)
    if not due:
        print(f"No session in {store.root} is due for destruction.")
        return 0
    if not args.yes:
        print(f"{_count(len(due))} due for destruction (retain-until date passed):")
        for s in due:
            print(f"  {s.ref}  retain until {s.retain_until}")
        print("Run `companion purge --yes` to delete them; nothing was deleted.")
        return 0
    deleted, skipped = store.purge()
    _audit(store, "purge", deleted, f"{len(deleted)} deleted, {len(skipped)} skipped")
    for d in deleted:
        print(f"Deleted {d.participant}/{d.session} (retain until {d.retain_until}).")
    for _, reason in skipped:
        print(f"companion: {reason}", file=sys.stderr)
    print(f"{_count(len(deleted))} deleted; logged in {store.root / 'purge-log.jsonl'}.")
    return 1 if skipped else 0


def run_withdraw(args: argparse.Namespace) -> int:
    store = _store(args)
    participant = check_id_shape(args.participant, getattr(args, "guides", None))
    held = store.participant_sessions(participant)
    _notices(store)
    if not held and not (store.root / participant).exists():
        print(f"Nothing is held for {participant} in {store.root}.")
        _print_same_number(store, participant)
        return 0
    if not args.yes:
        print(f"Held for {participant}: {_count(len(held))}:")
        for s in held:
            print(f"  {s.ref}  {s.guide}  started {(s.started or '?')[:16].replace('T', ' ')}  {s.status}")
        print(f"Run `companion withdraw {participant} --yes` to delete it all; nothing was deleted.")
        _print_same_number(store, participant)
        return 0
    deleted = store.withdraw(participant)
    _audit(store, f"withdraw {participant}", deleted, f"{len(deleted)} deleted")
    for d in deleted:
        print(f"Deleted {d.participant}/{d.session}.")
    print(f"Everything held for {participant} is deleted ({_count(len(deleted))}); "
          f"logged in {store.root / 'purge-log.jsonl'}.")
    _print_same_number(store, participant)
    return 0


def _print_same_number(store, participant: str) -> None:
    """C09 held when C9 is withdrawn (or the other way round): one person may be filed under
    both by a slip of typing, and a withdrawal must not miss them. Only the store's folder
    names are read, and the folders of those IDs."""
    from companion.store.layout import held_same_number

    twins, named = held_same_number(store.root, participant)
    if len(twins) == 1:
        print(f"Also held, the same number written with other zeros: {named}. It is another ID, not deleted "
              f"with {participant}; if it is the same person, run `companion withdraw {twins[0]}`.")
    elif twins:
        print(f"Also held, the same number written with other zeros: {named}. They are other IDs, not deleted "
              f"with {participant}; run `companion withdraw ID` for each that is the same person.")


def _audit(store, command: str, deleted, outcome: str) -> None:
    from companion.audit import record

    record(store.root, command, [f"{d.participant}/{d.session}" for d in deleted], outcome)


def check_id_shape(text: str, guides_arg=None) -> str:
    """An ID's shape without a chosen guide: any known guide's rule, or letters then digits."""
    from companion.store.ids import GENERIC_RULE, check_participant_id

    rules = _guide_rules(guides_arg)
    return check_participant_id(rules + [GENERIC_RULE], text, described=rules or [GENERIC_RULE])


def _guide_rules(guides_arg) -> list:
    from companion.guide.loader import find_guides

    entries = find_guides(guide_dirs(guides_arg))
    rules = [entry.guide.participant_id for entry in entries if entry.guide is not None]
    return list(dict.fromkeys(rules))


def _notices(store) -> None:
    for line in store.notices:
        print(f"companion: {line}", file=sys.stderr)


def _count(n: int) -> str:
    return f"{n} session" + ("" if n == 1 else "s")
