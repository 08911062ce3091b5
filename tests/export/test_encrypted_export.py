"""With the study's key, every export of an encrypted session equals the export of the same
events unencrypted (its decrypted copy); without the key, one sentence and exit 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pyrage import x25519

from companion.crypto import keys

PASSPHRASE = "correct horse battery"


def companion(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True)


@pytest.fixture
def encrypted(tmp_path, write_session):
    identity = x25519.Identity.generate()
    key_file, secret = tmp_path / "study.key", tmp_path / "pass.txt"
    keys.write_private_key(key_file, str(identity), str(identity.to_public()), PASSPHRASE)
    secret.write_text(PASSPHRASE + "\n")
    root = tmp_path / "sessions"
    keys.enrol(root, str(identity.to_public()))
    # The events only: this fixture writes its audio as WAV files, which a sealed store never holds.
    return root, write_session(root, audio=False), ["--key", str(key_file), "--passphrase-file", str(secret)]


def without_media(text: str) -> str:
    """An EAF without its media links and its DATE (the moment it was written)."""
    return re.sub(r' DATE="[^"]*"', "", re.sub(r"\s*<MEDIA_DESCRIPTOR[^>]*/>", "", text))


def test_exports_with_the_key_equal_the_plain_exports(encrypted, tmp_path):
    root, ref, key = encrypted
    out = tmp_path / "plain"
    done = companion("--sessions", str(root), "decrypt", ref, "-o", str(out), *key)
    assert done.returncode == 0, done.stderr
    done = companion("--sessions", str(root), "export", ref, "-f", "all", "-o", str(tmp_path / "a"), *key)
    assert done.returncode == 0, done.stderr
    done = companion("export", str(out), "-f", "all", "-o", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    sealed = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "a").iterdir()}
    plain = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "b").iterdir()}
    assert len(sealed) == 8 and sealed.keys() == plain.keys()
    for name in sealed:
        if name.endswith(".eaf"):  # a decrypted copy's audio.wav is linked; a sealed segment never is
            sealed[name], plain[name] = without_media(sealed[name]), without_media(plain[name])
        assert sealed[name] == plain[name], name


def test_export_refuses_without_the_key_or_into_the_store(encrypted):
    root, ref, key = encrypted
    done = companion("--sessions", str(root), "export", ref, "-f", "md", "-o", "-")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"companion: Session {ref} is encrypted: give the study's private key with --key FILE "
                           "(and --passphrase-file FILE, or type the passphrase when asked).\n")
    done = companion("--sessions", str(root), "export", ref, "-f", "md", *key)
    assert done.returncode == 2 and "give -o PATH" in done.stderr and "Traceback" not in done.stderr
    assert not (root / ref / "exports").exists()
