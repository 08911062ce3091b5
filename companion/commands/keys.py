"""`companion keys`: every action, its keys (after the user's keymap) and its typed command."""

from __future__ import annotations

import argparse
import json
import sys

from companion.commands import add_command


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "keys",
        run_keys,
        help="list every action: id, keys, typed command, description",
        description="List every action with its binding id, its keys (the defaults, or the keymap in your "
        "config file), the command typed for it in the note field, and what it does. Rebind keys with "
        "`keymap:` in the config file (see `--config`).",
    )
    parser.add_argument("--json", action="store_true", help='print a JSON list of {"id", "description", "keys", "command"}')


def rows(keymap: dict[str, str]) -> list[dict]:
    from companion.actions import ALL_ACTIONS, effective_keys

    keys = effective_keys(keymap)
    return [{"id": a.id, "description": a.description, "keys": list(keys[a.id]), "command": a.command} for a in ALL_ACTIONS]


def run_keys(args: argparse.Namespace) -> int:
    from companion import userconfig
    from companion.userconfig import default_config_path

    config = userconfig.current()
    for problem in config.problems:
        print(problem, file=sys.stderr)
    listed = rows(config.keymap)
    if args.json:
        json.dump(listed, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    table = [("ID", "KEYS", "COMMAND", "DESCRIPTION")] + [
        (r["id"], ", ".join(r["keys"]) or "-", r["command"] or "-", r["description"]) for r in listed
    ]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths)) + "  " + row[3])
    where = config.path or default_config_path()
    print(f"\nKeymap: {where}{'' if config.path else ' (not there: the defaults above)'}. "
          "In the note field, type / for the list of commands; // types a slash.")
    return 0
