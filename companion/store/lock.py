"""The session lock: an OS lock on ``session.lock`` in the session folder, through
``filelock`` on every platform (``flock`` on macOS and Linux, ``msvcrt.locking`` on Windows).

Why filelock: it is the maintained, widely used wrapper over both OS locks, and it
imports neither fcntl nor msvcrt where they do not exist. The OS drops such a lock when
its process dies, however it dies, so a lock that can be taken means nobody is writing the
session. Each lock is its own open file, so a second lock in the same process is refused
too, as a second process would be.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from companion.store.errors import SessionLockedError

LOCK_NAME = "session.lock"
HOLDER_NAME = "session.lock.pid"


class SessionLock:
    """A held lock; ``release()`` (or process death) lets it go."""

    def __init__(self, lock, path: Path):
        self._lock = lock
        self.path = path

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release(force=True)
            self._lock = None

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def try_lock(folder: Path) -> SessionLock | None:
    """Take the lock without waiting; None when another open file holds it."""
    path = folder / LOCK_NAME
    # Imported here: listings (which never lock) start ~40 ms sooner without it.
    from filelock import FileLock, Timeout

    # thread_local=False: the interview takes the lock in one thread and closes in another.
    lock = FileLock(path, mode=0o600, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return None
    except PermissionError:
        if not path.exists():
            raise
        return _read_only(path)
    return SessionLock(lock, path)


def _read_only(path: Path) -> SessionLock | None:
    """A read-only store (e.g. a copy on a read-only disk) cannot be written by anyone:
    reading it needs no lock."""
    return SessionLock(None, path)


def acquire(folder: Path, name: str, wait: float = 1.0) -> SessionLock:
    """Take the lock for writing, waiting briefly for a reader that holds it for a moment."""
    deadline = time.monotonic() + wait
    while True:
        lock = try_lock(folder)
        if lock is not None:
            _record_holder(folder)
            return lock
        if time.monotonic() >= deadline:
            raise SessionLockedError(
                f"Session {name} is open in another companion process{_holder(folder)}; "
                "finish or close it there first."
            )
        time.sleep(0.05)


def _record_holder(folder: Path) -> None:
    """Note the holder's pid beside the lock, for the refusal message only."""
    from companion.store.safefiles import replace_atomically

    try:
        replace_atomically(folder / HOLDER_NAME, f"{os.getpid()}\n".encode())
    except OSError:
        pass  # the pid is a courtesy; the OS lock is what protects the session


def _holder(folder: Path) -> str:
    try:
        pid = (folder / HOLDER_NAME).read_text().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
