"""The session lock: an OS-level ``flock`` on ``session.lock`` in the session folder.

The kernel drops a flock when its process dies, however it dies, so a lock that
can be taken means nobody is writing the session. Locks belong to an open file,
so a second open in the same process is refused too, as a second process would be.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from companion.store.errors import SessionLockedError
from companion.store.safefiles import open_private

LOCK_NAME = "session.lock"


class SessionLock:
    """A held lock; ``release()`` (or process death) lets it go."""

    def __init__(self, fd: int, path: Path):
        self.fd = fd
        self.path = path

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the only descriptor drops the flock
            self.fd = -1

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def try_lock(folder: Path) -> SessionLock | None:
    """Take the lock without waiting; None when another open file holds it."""
    path = folder / LOCK_NAME
    try:
        fd = open_private(path, os.O_RDWR)
    except PermissionError:
        # A read-only store can still be locked for reading it.
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return SessionLock(fd, path)


def acquire(folder: Path, name: str, wait: float = 1.0) -> SessionLock:
    """Take the lock for writing, waiting briefly for a reader that holds it for a moment."""
    deadline = time.monotonic() + wait
    while True:
        lock = try_lock(folder)
        if lock is not None:
            _record_holder(lock)
            return lock
        if time.monotonic() >= deadline:
            raise SessionLockedError(
                f"Session {name} is open in another companion process{_holder(folder)}; "
                "finish or close it there first."
            )
        time.sleep(0.05)


def _record_holder(lock: SessionLock) -> None:
    """Note the holder's pid in the lock file, for the refusal message only."""
    try:
        os.ftruncate(lock.fd, 0)
        os.pwrite(lock.fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # the pid is a courtesy; the flock is what protects the session


def _holder(folder: Path) -> str:
    try:
        pid = (folder / LOCK_NAME).read_text().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
