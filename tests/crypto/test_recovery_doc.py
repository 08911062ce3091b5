"""docs/encryption.md's recovery code, run as written (the age call swapped for pyrage, the
same format), opens a session exactly as the companion does: the format doc is true."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pyrage import x25519

from companion.crypto import keys
from companion.crypto.keyring import Keyring
from companion.store import Store
from cryptokit import write_encrypted_session

DOC = Path(__file__).resolve().parents[2] / "docs" / "encryption.md"


def test_the_documented_recovery_reads_a_session(tmp_path, monkeypatch):
    identity = x25519.Identity.generate()
    root = tmp_path / "sessions"
    keys.enrol(root, str(identity.to_public()))
    folder = write_encrypted_session(root)
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    ref = f"PR11/{folder.name}"
    code = code.replace('"PR11/20261123-101503", "PR11/20261123-101503"', f'"{ref}", "{ref}"')
    age_call = re.search(r"key = lambda k: AESGCM\(subprocess.*?\.stdout\)\n", code, re.S).group(0)
    code = code.replace(age_call, "key = lambda k: AESGCM(pyrage.decrypt(open(f'{folder}/datakey-{k:02d}.age', "
                                  "'rb').read(), [identity]))\n")
    monkeypatch.chdir(root)
    scope = {"identity": identity, "pyrage": __import__("pyrage")}
    exec(compile(code, str(DOC), "exec"), scope)
    record = Store(root).open(folder, Keyring(identity, tmp_path / "k"))
    assert scope["events"] == record.events
    audio = b"".join(scope["pcm"](os.path.join(ref, "audio-01.sealed")))
    assert audio == b"\x10\x20" * 20000
