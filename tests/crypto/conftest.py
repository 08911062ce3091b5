"""Fixtures for the encryption tests: a study key made by `companion key new`, and an
encrypted session with notes and sealed audio."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cryptokit import PASSPHRASE, companion, write_encrypted_session  # noqa: E402,F401


@pytest.fixture(scope="session")
def key_files(tmp_path_factory):
    """A study key (and a second study's), made once by the real command."""
    base = tmp_path_factory.mktemp("keys")
    secret = base / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    made = {}
    for name in ("study", "other"):
        done = companion("--sessions", base / f"{name}-store", "key", "new", base / f"{name}.key",
                         "--passphrase-file", secret, "--yes")
        assert done.returncode == 0, done.stderr
        made[name] = (base / f"{name}.key", done.stdout.splitlines()[2])
    return SimpleNamespace(key=made["study"][0], public=made["study"][1], other=made["other"][0],
                           secret=secret, base=base)


@pytest.fixture
def study(tmp_path, key_files):
    root = tmp_path / "sessions"
    done = companion("--sessions", root, "key", "enrol", key_files.public)
    assert done.returncode == 0, done.stderr
    folder = write_encrypted_session(root)
    key = ["--key", key_files.key, "--passphrase-file", key_files.secret]
    return SimpleNamespace(root=root, folder=folder, ref=f"PR11/{folder.name}", key=key, files=key_files)
