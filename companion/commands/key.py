"""`companion key new|enrol|show`: the study's key pair and the key a store encrypts to."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.commands import add_command
from companion.config import session_root
from companion.errors import UsageError

LOSS_WARNING = (
    "Losing the private key file or its passphrase means losing every session encrypted to it: "
    "nobody, not even the companion, can read them again. Keep the key file and the passphrase "
    "in two safe places (e.g. the study's secure institutional storage), never on this laptop alone."
)


def register(subparsers) -> None:
    from companion.cli import add_store_options

    parser = add_command(subparsers, "key", None, help="the study's encryption key: new, enrol, show",
                         description="Make the study's key pair, enrol its public key in a store "
                         "(every new session there is encrypted to it), or show the store's key.")
    commands = parser.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    new = commands.add_parser("new", help="make the study's key pair and enrol its public key in this store")
    new.add_argument("private_key", metavar="PRIVATE_KEY_FILE", help="where to write the private key (a new file)")
    new.add_argument("--passphrase-file", metavar="F", help="read the passphrase from the first line of F")
    new.add_argument("--yes", action="store_true", help="confirm that the private key is stored safely (scripts)")
    new.set_defaults(run=run_new)
    enrol = commands.add_parser("enrol", help="encrypt this store's new sessions to a study public key")
    enrol.add_argument("public_key", metavar="PUBLIC_KEY", help="the age1… key, or a file holding it")
    enrol.set_defaults(run=run_enrol)
    show = commands.add_parser("show", help="say whether this store encrypts, and to which key")
    show.set_defaults(run=run_show)
    for sub in (new, enrol, show):
        add_store_options(sub, suppress=True)


def run_new(args: argparse.Namespace) -> int:
    from companion.audit import record
    from companion.crypto import keys

    root = session_root(getattr(args, "sessions", None))
    current = keys.enrolled(root)
    if current:
        raise UsageError(f"The store {root} already encrypts to key {keys.fingerprint(current)}; "
                         "to change it, use `companion key enrol` with the new public key.")
    if not args.yes and not sys.stdin.isatty():
        raise UsageError("No terminal to confirm on: give --yes once you will store the private key safely.")
    path = Path(args.private_key).expanduser()
    if path.exists():
        raise UsageError(f"{path} already exists: a key file is never overwritten; give a new file name.")
    passphrase = keys.read_passphrase(args.passphrase_file, confirm=True)
    keys.check_new_passphrase(passphrase)
    identity, recipient = keys.generate()
    keys.write_private_key(path, identity, recipient, passphrase)
    print(f"The study's private key is in {path} (locked with the passphrase).")
    print(f"Public key (fingerprint {keys.fingerprint(recipient)}), to enrol on other laptops:")
    print(recipient)
    print(LOSS_WARNING, file=sys.stderr)
    if not (args.yes or _confirmed()):
        record(root, "key new", [], "not enrolled: the user did not confirm the key is stored safely")
        print(f"The store {root} was not changed. Once the key is safe: companion key enrol {recipient}")
        return 1
    keys.enrol(root, recipient)
    record(root, "key new", [], f"enrolled key {keys.fingerprint(recipient)}")
    print(f"Every new session in {root} is now encrypted to key {keys.fingerprint(recipient)}.")
    return 0


def _confirmed() -> bool:
    answer = input("Have you stored the private key file and its passphrase safely? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def run_enrol(args: argparse.Namespace) -> int:
    from companion.audit import record
    from companion.crypto import keys

    root = session_root(getattr(args, "sessions", None))
    given = args.public_key
    source = Path(given).expanduser()
    if not given.startswith("age1") and source.is_file():
        recipient = keys.parse_recipient(source.read_text(encoding="utf-8", errors="replace"), str(source))
    else:
        recipient = keys.parse_recipient(given, "The public key given")
    previous = keys.enrolled(root)
    keys.enrol(root, recipient)
    fp = keys.fingerprint(recipient)
    record(root, "key enrol", [], f"enrolled key {fp}" + (f" in place of {keys.fingerprint(previous)}" if previous else ""))
    print(f"Every new session in {root} is now encrypted to key {fp}.")
    if previous and previous != recipient:
        print(f"Sessions written before stay encrypted to key {keys.fingerprint(previous)}.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from companion.crypto import keys

    root = session_root(getattr(args, "sessions", None))
    recipient = keys.enrolled(root)
    if recipient is None:
        print(f"Sessions in {root} are not encrypted: no study key is enrolled (`companion key new FILE` makes one).")
        return 0
    print(f"Sessions in {root} are encrypted to the study key {keys.fingerprint(recipient)}:")
    print(recipient)
    return 0
