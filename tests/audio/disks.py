"""Real file systems that fail: a small tmpfs that fills up, or turns read-only (root only, as CI runs)."""

from __future__ import annotations

import errno
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(size_kb: int):
    """A tmpfs of ``size_kb``, unmounted afterwards; skips where mounting is not allowed."""
    where = Path(tempfile.mkdtemp(prefix="i11-disk-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode:
        where.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        where.rmdir()


def read_only(disk: Path) -> None:
    """Remount ``disk`` read-only, waiting out a file held open for writing for a moment
    (the store's index while a listing runs): the kernel refuses that as "busy"."""
    deadline = time.monotonic() + 10
    while True:
        done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if done.returncode == 0:
            return
        if "busy" not in done.stderr or time.monotonic() > deadline:
            raise AssertionError(f"cannot remount {disk} read-only: {done.stderr.strip()}")
        time.sleep(0.1)


def fill(folder: Path) -> Path:
    """Fill the disk ``folder`` is on; delete the returned file to free it."""
    filler = folder / "filler"
    # Unbuffered: a buffered file keeps the part of a write that did not fit and raises
    # ENOSPC again when it closes, outside the try (which failed CI once).
    with open(filler, "wb", buffering=0) as f:
        try:
            while f.write(b"\0" * 65536):
                pass
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler
