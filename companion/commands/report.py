"""`companion report [--guide G] [--json]`: question coverage and code use across sessions."""

from __future__ import annotations

import argparse
import json
import sys

from companion.commands import add_command
from companion.commands.audit import add_key_options
from companion.commands.table import table_lines
from companion.config import session_root
from companion.errors import UsageError


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "report",
        run_report,
        help="which questions get covered, skipped or never reached across sessions; codes by use",
        description="For each question of a guide, in how many sessions it was covered, skipped, "
        "shown but not marked, or not reached; and each code by how often notes used it. "
        "Every session in the store, grouped by guide.",
    )
    parser.add_argument("--guide", metavar="G", help="only sessions of this guide id, e.g. professional")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    add_key_options(parser)


def run_report(args: argparse.Namespace) -> int:
    from companion.audit import audited
    from companion.crypto.keyring import Keyring
    from companion.review.report import store_reports
    from companion.store import Store

    store = Store(session_root(getattr(args, "sessions", None)))
    with audited(store.root, "report" + (f" --guide {args.guide}" if args.guide else ""), []):
        reports, skipped = store_reports(store, args.guide, Keyring.from_args(args))
    for line in store.notices + skipped:
        print(f"companion: {line}", file=sys.stderr)
    if args.guide and not reports:
        raise UsageError(f"No session in {store.root} used the guide {args.guide!r}.")
    if args.json:
        json.dump([r.to_json() for r in reports], sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    if not reports:
        print(f"No sessions in {store.root}.")
    for report in reports:
        print(format_report(report))
    return 0


def format_report(report) -> str:
    from companion.review.fold import COVERED, NOT_REACHED, SHOWN, SKIPPED

    sessions = "session" if report.sessions == 1 else "sessions"
    out = [f"{report.title} ({report.guide}) — {report.sessions} {sessions}", ""]
    rows = [("stage", "question", "kind", "covered", "skipped", "not marked", "not reached")]
    for q in report.questions:
        kind = "optional" if q.optional else "core"
        rows.append((q.stage, q.question, kind, *(str(q.counts[s]) for s in (COVERED, SKIPPED, SHOWN, NOT_REACHED))))
    out += table_lines(rows, right_aligned=set(rows[0][3:]))
    # A core question never covered is a gap in the study; an optional one may be by design.
    for optional, title in ((False, "Core questions never covered"), (True, "Optional questions never covered")):
        never = [q.question for q in report.questions if q.optional == optional and q.sessions and q.counts[COVERED] == 0]
        if never:
            out += ["", f"{title}: " + ", ".join(never)]
    out += ["", "Codes by use"]
    rows = [("code", "label", "notes", "sessions")]
    rows += [(c.code, c.label, str(c.notes), str(c.sessions)) for c in report.codes]
    out += table_lines(rows, right_aligned={"notes", "sessions"})
    return "\n".join(out) + "\n"
