"""The store's shape on disk: ``<root>/<participant-id>/<session-id>/``, and how to
tell a store from a folder that is not one before writing anything into it."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from companion.store.errors import StoreError
from companion.store.ids import is_safe_name, same_number, same_number_held

# A session id sorts by start time: local date and time, then -2, -3… if two start in one second.
SESSION_ID = re.compile(r"\d{8}-\d{6}(-\d+)?")
PURGE_LOG = "purge-log.jsonl"
AUDIT_LOG = "audit-log.jsonl"
PUBLIC_KEY = "study-public-key.txt"
INDEX_NAME = "index.sqlite"
INDEX_FILES = frozenset(INDEX_NAME + suffix for suffix in ("", "-wal", "-shm", "-journal"))
# Files a store may hold besides sessions: the purge log, the audit log, the study's public key,
# the index of its sessions (derived, rebuildable), and the README that the repository keeps in
# its default store, sessions/.
STORE_FILES = frozenset({PURGE_LOG, AUDIT_LOG, PUBLIC_KEY, "README.md", "README", *INDEX_FILES})


def session_id_for(started: datetime, taken: int = 0) -> str:
    base = started.strftime("%Y%m%d-%H%M%S")
    return base if taken == 0 else f"{base}-{taken + 1}"


def scan(root: Path) -> list[tuple[Path, list[Path]]]:
    """Every participant folder with its session folders, sorted; [] for a missing store.

    Raises StoreError with one sentence for a file, an unreadable folder, or a folder
    that holds something else (nothing is ever written into such a folder).
    """
    entries = _entries(root, what="the session store")
    if entries is None:
        return []
    found, fits = [], True
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name in STORE_FILES and entry.is_file(follow_symlinks=False):
            continue
        if entry.is_symlink() or not entry.is_dir() or not is_safe_name(entry.name):
            fits = False
            continue
        children = _entries(Path(entry.path), what="the participant folder") or []
        sessions = [Path(c.path) for c in children
                    if SESSION_ID.fullmatch(c.name) and c.is_dir(follow_symlinks=False)]
        fits = fits and len(sessions) == len([c for c in children if not c.name.startswith(".")])
        # An empty participant folder fits only when its name could be an ID (PR11, SU106):
        # a project's folders (src, docs) have no digits.
        fits = fits and (bool(sessions) or any(ch.isdigit() for ch in entry.name))
        found.append((Path(entry.path), sessions))
    has_sessions = any(sessions for _, sessions in found)
    if not (fits or has_sessions or any((root / name).is_file() for name in (PURGE_LOG, AUDIT_LOG, PUBLIC_KEY))):
        raise StoreError(
            f"{root} is not a session store: it holds other things and no sessions; "
            "give --sessions the store folder, or a new or empty one."
        )
    return found


def participant_sessions(root: Path, participant: str) -> list[Path]:
    """The session folders of one participant, sorted; the rest of the store is not read."""
    children = _entries(root / participant, what="the participant folder") or []
    return [Path(c.path) for c in children if SESSION_ID.fullmatch(c.name) and c.is_dir(follow_symlinks=False)]


def participant_folders(root: Path) -> list[str]:
    """The names of the store's participant folders; nothing inside them is read."""
    children = _entries(root, what="the session store") or []
    return [c.name for c in children if is_safe_name(c.name) and c.is_dir(follow_symlinks=False)]


def held_sessions(root: Path, participants) -> dict[str, int]:
    """How many sessions each of ``participants`` holds, those holding none left out (a
    folder may be empty, or hold a creation cut short)."""
    counts = {name: len(participant_sessions(root, name)) for name in participants}
    return {name: count for name, count in counts.items() if count}


def held_same_number(root: Path, participant: str) -> tuple[list[str], str]:
    """The IDs holding sessions with ``participant``'s number written with other zeros, as
    ids.same_number_held gives them; only the store's folder names and theirs are read."""
    return same_number_held(participant, held_sessions(root, same_number(participant, participant_folders(root))))


def _entries(folder: Path, what: str) -> list[os.DirEntry] | None:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise StoreError(f"The session store {folder} is a file, not a folder; give --sessions a folder.") from None
    except PermissionError:
        raise StoreError(f"Cannot read {what} {folder}: permission denied.") from None
    except OSError as error:
        raise StoreError(f"Cannot read {what} {folder}: {error.strerror or error}.") from None
