"""Private, durable file operations: folders 0700, files 0600 whatever the umask,
and replacements that are atomic across a crash or a power cut.

Modes are set twice on purpose: the mode passed to ``os.open``/``os.mkdir`` is
filtered by the umask, so ``fchmod``/``chmod`` sets the exact bits afterwards.

On Windows there are no mode bits to set (``os.fchmod`` exists there only from Python
3.13 and changes only the read-only flag): the store lives in the user's profile, which
only that user can read. Files are opened in binary mode there, so a newline stays one byte.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name == "posix"
# Not inherited by child processes; binary on Windows (no newline translation).
OPEN_FLAGS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0) | getattr(os, "O_BINARY", 0)


def make_private_dir(path: Path) -> bool:
    """Create ``path`` (one level) as a private folder; False when it already existed."""
    try:
        os.mkdir(path, DIR_MODE)
    except FileExistsError:
        return False
    if POSIX:
        os.chmod(path, DIR_MODE)
    return True


def open_private(path: Path, flags: int) -> int:
    """``os.open`` with O_CREAT that leaves the file 0600 whatever the umask."""
    fd = os.open(path, flags | os.O_CREAT | OPEN_FLAGS, FILE_MODE)
    try:
        make_private(fd)
    except OSError:
        os.close(fd)
        raise
    return fd


def make_private(fd: int) -> None:
    """0600 on POSIX; nothing to do on Windows (see the module's note)."""
    if POSIX:
        os.fchmod(fd, FILE_MODE)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte: ``os.write`` may write fewer (e.g. at a file-size limit)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (a new file, a rename) durable. Windows cannot open a folder
    as a file; its file system journals the entries itself."""
    if not POSIX:
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | OPEN_FLAGS)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a crash leaves either the old file or the new one."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = open_private(temp, os.O_WRONLY | os.O_TRUNC)
    try:
        write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(temp, path)
    fsync_dir(path.parent)


def append_durably(path: Path, data: bytes) -> None:
    """Append ``data`` to a private file and fsync it (used for sidecars and the purge log)."""
    _write_durably(path, data, os.O_APPEND, new=not path.exists())


def create_durably(path: Path, data: bytes) -> None:
    """Write a new private file (never over an existing one: FileExistsError) and make it durable."""
    _write_durably(path, data, os.O_EXCL, new=True)


def _write_durably(path: Path, data: bytes, flags: int, new: bool) -> None:
    fd = open_private(path, os.O_WRONLY | flags)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        fsync_dir(path.parent)
