"""The store's audit log, ``audit-log.jsonl``: who opened, exported, decrypted, deleted or moved
which sessions, when, and how it ended — never any content.

One JSON object per line:

    {"n": 4, "when": "2026-11-23T11:20:01.120+00:00", "user": "sam", "host": "laptop-7",
     "command": "export", "sessions": ["PR11/20261122-101503"], "outcome": "ok",
     "prev": "<entry 3's hash>", "hash": "<SHA-256 hex of this line's bytes before ', \"hash\": \"'>"}

``n`` counts from 1, ``hash`` seals the entry's own bytes and ``prev`` chains it to the entry
before (64 zeros for the first), so an entry edited or deleted is found by
``companion audit --verify``: its own hash no longer matches, or the next entry's ``prev``.
(Cutting entries off the end leaves no trace in the file itself; a transfer copies the
entries into the team store's log, which then holds them too.)
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import platform
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from companion.errors import CompanionError
from companion.store.layout import AUDIT_LOG
from companion.store.meta import now_iso
from companion.store.safefiles import fsync_dir, make_private_dir, open_private, write_all

try:  # Unix: serialize appends between processes; Windows appends without it (see note below)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

GENESIS = "0" * 64


class AuditError(CompanionError):
    """The audit log cannot be written: nothing is opened that could not be accounted for."""


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a container's numeric uid)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


HASH_MARK = b', "hash": "'


def seal(entry: dict) -> bytes:
    prefix = json.dumps(entry, ensure_ascii=False).encode()[:-1]
    return prefix + HASH_MARK + hashlib.sha256(prefix).hexdigest().encode() + b'"}\n'


def own_hash(line: bytes) -> str | None:
    """The hash a line claims, when it is the hash of its bytes; else None."""
    cut = line.rfind(HASH_MARK)
    if cut < 0 or not line.endswith(b'"}'):
        return None
    claimed = line[cut + len(HASH_MARK) : -2].decode("ascii", "replace")
    return claimed if hashlib.sha256(line[:cut]).hexdigest() == claimed else None


def record(root: Path, command: str, sessions: list[str], outcome: str) -> dict:
    """Append one entry, durably; AuditError when the log cannot be written."""
    root = Path(root)
    path = root / AUDIT_LOG
    try:
        if not root.is_dir():
            root.parent.mkdir(parents=True, exist_ok=True)
            make_private_dir(root)
        created = not path.exists()
        fd = open_private(path, os.O_RDWR | os.O_APPEND)
    except OSError as error:
        raise AuditError(f"Cannot write the audit log {path}: {error.strerror or error}.") from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes
        last = _last_line(fd)
        entry = {"n": _number(last) + 1, "when": now_iso(), "user": _user(), "host": platform.node(),
                 "command": command, "sessions": list(sessions), "outcome": outcome,
                 "prev": _hash_field(last) if last else GENESIS}
        write_all(fd, seal(entry))
        os.fsync(fd)
    except OSError as error:
        raise AuditError(f"Cannot write the audit log {path}: {error.strerror or error}.") from None
    finally:
        os.close(fd)
    if created:
        fsync_dir(root)
    return entry


def _last_line(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunk = 4096
    while True:
        start = max(0, size - chunk)
        os.lseek(fd, start, os.SEEK_SET)  # not os.pread: Windows has none
        data = os.read(fd, size - start)
        lines = data.rstrip(b"\n").rsplit(b"\n", 1)
        if len(lines) == 2 or start == 0:
            return lines[-1]
        chunk *= 4


def _hash_field(line: bytes) -> str:
    try:
        return str(json.loads(line)["hash"])
    except (ValueError, KeyError, TypeError):
        return "damaged"  # the next entry's prev then shows the break


def _number(line: bytes) -> int:
    try:
        return int(json.loads(line)["n"])
    except (ValueError, KeyError, TypeError):
        return 0 if not line else -1  # a damaged last entry: the next one shows the break


@contextmanager
def audited(root: Path, command: str, sessions: list[str]):
    """Run an access and log how it ended: ``ok`` or the sentence it failed with. The log is
    checked first, so an access that could not be accounted for does not happen."""
    check_writable(root)
    box = {"sessions": list(sessions), "outcome": "ok"}
    try:
        yield box
    except CompanionError as error:
        record(root, command, box["sessions"], f"refused: {error}")
        raise
    except BaseException as error:
        record(root, command, box["sessions"], f"failed: {type(error).__name__}")
        raise
    record(root, command, box["sessions"], box["outcome"])


def check_writable(root: Path) -> None:
    path = Path(root) / AUDIT_LOG
    target = path if path.exists() else Path(root)
    if target.exists() and not os.access(target, os.W_OK):
        raise AuditError(f"Cannot write the audit log {path}: permission denied; nothing was opened.")


@dataclass
class Entry:
    line: int
    data: dict


def read(root: Path) -> tuple[list[Entry], list[str]]:
    """The entries and every break in the chain, each a sentence naming the line."""
    path = Path(root) / AUDIT_LOG
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as error:
        raise AuditError(f"Cannot read the audit log {path}: {error.strerror or error}.") from None
    entries, problems = [], []
    previous = GENESIS
    lines = raw.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    else:
        problems.append(f"{path} line {len(lines)}: the last entry is cut short.")
    for number, line in enumerate(lines, start=1):
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            problems.append(f"{path} line {number}: not an audit entry (edited or damaged).")
            previous = "damaged"
            continue
        entries.append(Entry(number, data))
        if own_hash(line) is None:
            problems.append(f"{path} line {number}: entry {data.get('n')} was edited (its hash does not match).")
        elif data.get("prev") != previous:
            problems.append(f"{path} line {number}: entry {data.get('n')} does not follow the line before it "
                            "(an entry was edited or deleted).")
        elif data.get("n") != number:
            problems.append(f"{path} line {number}: entry {data.get('n')} should be entry {number} "
                            "(an entry was deleted).")
        previous = str(data.get("hash"))
    return entries, problems
