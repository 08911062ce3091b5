"""Verified transfer of closed sessions to a team store (a network share, a mounted drive).

Each session is copied as it is (encrypted sessions stay encrypted) into a hidden folder at
the destination, every file fsync'd; the copy is then read back and checked against the
SHA-256 of the local file, the manifest ``transfer-manifest.sha256`` (``sha256sum -c``
format) is written beside it, and only then is the folder renamed into place. A copy that
does not verify is removed and the local session kept; the local one is deleted only when
asked, and only after its copy verified.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from companion.store import layout
from companion.store.errors import StoreError
from companion.store.lock import HOLDER_NAME, LOCK_NAME, try_lock
from companion.store.safefiles import fsync_dir, make_private_dir, open_private, replace_atomically, write_all

MANIFEST_NAME = "transfer-manifest.sha256"
SKIPPED_FILES = frozenset({LOCK_NAME, HOLDER_NAME, MANIFEST_NAME})
BLOCK = 1 << 20


@dataclass
class Outcome:
    ref: str
    state: str  # copied | already-there | damaged | skipped
    reason: str = ""
    files: int = 0
    removed: bool = False


def session_files(folder: Path) -> list[Path]:
    """What a transfer carries: every file of the session but its lock and temporary files."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in SKIPPED_FILES
                  and not p.name.startswith("."))


def sha256_of(path: Path, progress=None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
            if progress:
                progress(len(block))
    return digest.hexdigest()


def copy_file(source: Path, target: Path, progress=None) -> str:
    """Copy durably and return the SHA-256 of what was read from the source."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = open_private(target, os.O_WRONLY | os.O_TRUNC)
    try:
        with open(source, "rb") as handle:
            while block := handle.read(BLOCK):
                digest.update(block)
                write_all(fd, block)
                if progress:
                    progress(len(block))
        os.fsync(fd)
    finally:
        os.close(fd)
    return digest.hexdigest()


def manifest_text(sums: dict[str, str]) -> bytes:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())).encode()


def read_manifest(path: Path) -> dict[str, str]:
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    return sums


def verify(folder: Path, sums: dict[str, str], progress=None) -> list[str]:
    """Read every file back; the names of those missing or different."""
    bad = []
    for name, digest in sums.items():
        path = folder / name
        try:
            if sha256_of(path, progress) != digest:
                bad.append(f"{name} differs")
        except OSError as error:
            bad.append(f"{name} cannot be read ({error.strerror or error})")
    return bad


def transfer_session(folder: Path, dest_root: Path, progress=None) -> Outcome:
    """Copy one closed session (its lock held, so nobody writes it meanwhile) and verify it."""
    ref = f"{folder.parent.name}/{folder.name}"
    lock = try_lock(folder)
    if lock is None:
        return Outcome(ref, "skipped", "it is open in a companion process")
    try:
        files = session_files(folder)
        target = dest_root / folder.parent.name / folder.name
        if target.exists():
            return _check_existing(ref, folder, target, files)
        incoming = target.with_name(f".{folder.name}.incoming")
        try:
            return _copy_verified(folder, files, incoming, target, ref, progress)
        except OSError as error:
            shutil.rmtree(incoming, ignore_errors=True)
            return Outcome(ref, "damaged", f"the copy failed: {error.strerror or error}", len(files))
    finally:
        lock.release()


def _copy_verified(folder: Path, files: list[Path], incoming: Path, target: Path, ref: str, progress) -> Outcome:
    for level in (target.parent.parent, target.parent):
        make_private_dir(level)
    shutil.rmtree(incoming, ignore_errors=True)  # an earlier transfer cut short
    make_private_dir(incoming)
    sums = {}
    for path in files:
        name = path.relative_to(folder).as_posix()
        sums[name] = copy_file(path, incoming / name, progress)
    fsync_dir(incoming)
    bad = verify(incoming, sums, progress)
    if bad:
        shutil.rmtree(incoming, ignore_errors=True)
        return Outcome(ref, "damaged", "; ".join(bad), len(files))
    replace_atomically(incoming / MANIFEST_NAME, manifest_text(sums))
    os.replace(incoming, target)
    fsync_dir(target.parent)
    return Outcome(ref, "copied", files=len(files))


def _check_existing(ref: str, folder: Path, target: Path, files: list[Path]) -> Outcome:
    """A session already at the destination counts only if it holds exactly these files."""
    manifest = target / MANIFEST_NAME
    if not manifest.is_file():
        return Outcome(ref, "damaged", f"{target} exists without a transfer manifest; it was left as it is")
    sums = read_manifest(manifest)
    local = {p.relative_to(folder).as_posix(): sha256_of(p) for p in files}
    if local != sums:
        return Outcome(ref, "damaged", f"{target} holds a different version of the session; it was left as it is")
    bad = verify(target, sums)
    if bad:
        return Outcome(ref, "damaged", "; ".join(bad), len(files))
    return Outcome(ref, "already-there", files=len(files))


def check_destination(source: Path, dest: Path) -> None:
    if dest.resolve() == source.resolve():
        raise StoreError(f"{dest} is this store itself; give --to the team store's folder.")
    layout.scan(dest)  # a file, or a folder holding other things, is refused
