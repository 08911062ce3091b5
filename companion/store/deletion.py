"""Destroying sessions: purge (retention has passed) and withdrawal (the participant asked).

A session is deleted whole — audio, log, copies, folder, and the participant's
folder once empty — under its lock, so a session being written is never touched.
Each deletion appends one line to ``purge-log.jsonl`` at the store root: who
(the ID), which session, its retain-until date, when, and why. No content.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from companion.store import meta as metafile
from companion.store.errors import SessionLockedError, StoreError
from companion.store.layout import PURGE_LOG, SESSION_ID
from companion.store.lock import LOCK_NAME, try_lock
from companion.store.safefiles import append_durably, fsync_dir


@dataclass(frozen=True)
class Deletion:
    participant: str
    session: str
    retain_until: date | None
    deleted_at: str
    reason: str  # "purge", "withdrawn" or "discarded before the start"

    def to_json(self) -> dict:
        return {
            "participant": self.participant,
            "session": self.session,
            "retain_until": self.retain_until.isoformat() if self.retain_until else None,
            "deleted_at": self.deleted_at,
            "reason": self.reason,
        }


def delete_session(root: Path, folder: Path, reason: str, refuse: Callable[[Path], str | None] | None = None) -> Deletion:
    """Delete one session folder entirely, then log it; SessionLockedError when it is live.
    ``refuse(folder)``, asked under the lock, may give a reason not to (StoreError)."""
    _check_inside(root, folder)
    name = f"{folder.parent.name}/{folder.name}"
    try:
        until = metafile.as_date(metafile.read(folder).get("retain_until"))
    except StoreError:
        until = None  # a creation cut short: delete it all the same
    try:
        lock = try_lock(folder)
    except OSError:
        lock = None
        if (folder / LOCK_NAME).exists():
            raise StoreError(f"Cannot lock session {name} to delete it.") from None
    else:
        if lock is None:
            raise SessionLockedError(f"Session {name} is being written by another companion process; it was not deleted.")
    try:
        refusal = refuse(folder) if refuse is not None else None
        if refusal:
            raise StoreError(refusal)
        # Everything but the lock goes while it is held; Windows cannot delete a file held open.
        for child in folder.iterdir():
            if child.name != LOCK_NAME:
                _remove_tree(child) if child.is_dir() and not child.is_symlink() else _unlink(child)
    finally:
        if lock is not None:
            lock.release()
    _remove_tree(folder)
    participant_folder = folder.parent
    try:
        os.rmdir(participant_folder)  # only when empty: other sessions stay
        fsync_dir(root)
    except OSError:
        fsync_dir(participant_folder)
    deletion = Deletion(folder.parent.name, folder.name, until, metafile.now_iso(), reason)
    log(root, deletion)
    return deletion


def withdraw(root: Path, participant: str) -> list[Deletion]:
    """Delete everything held for ``participant``; nothing is deleted if a session is live."""
    folder = root / participant
    if not folder.is_dir() or folder.is_symlink():
        return []
    sessions = sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and SESSION_ID.fullmatch(p.name))
    for session in sessions:
        lock = _try(session)
        if lock is None:
            raise SessionLockedError(
                f"Session {participant}/{session.name} is being written by another companion process; "
                "nothing was deleted: finish it first."
            )
        lock.release()
    deletions = [delete_session(root, session, "withdrawn") for session in sessions]
    if folder.exists():
        _remove_tree(folder)  # anything else kept under the ID (e.g. a creation cut short)
        fsync_dir(root)
    return deletions


def log(root: Path, deletion: Deletion) -> None:
    line = json.dumps(deletion.to_json(), ensure_ascii=False) + "\n"
    append_durably(root / PURGE_LOG, line.encode())


def read_log(root: Path) -> list[dict]:
    try:
        lines = (root / PURGE_LOG).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def _try(folder: Path):
    try:
        return try_lock(folder)
    except OSError:
        return _Unlocked()


class _Unlocked:
    def release(self) -> None:
        pass


def _check_inside(root: Path, folder: Path) -> None:
    """Never delete outside the store: the folder must be <root>/<participant>/<session>, no links."""
    real_root = root.resolve()
    if folder.is_symlink() or folder.parent.is_symlink() or folder.resolve().parent.parent != real_root:
        raise StoreError(f"{folder} is not a session folder of the store {root}; nothing was deleted.")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError as error:
        raise StoreError(f"Could not delete {path}: {error.strerror or error}.") from None


def _remove_tree(folder: Path) -> None:
    try:
        shutil.rmtree(folder)
    except OSError as error:
        raise StoreError(f"Could not delete {folder}: {error.strerror or error}.") from None
