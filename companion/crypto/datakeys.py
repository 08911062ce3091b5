"""Data keys: each writer of a session (the interview, a resumption, a correction) draws a
fresh random AES-256 key, held in memory only and stored as ``datakey-NN.age``: an age file
encrypted to the study's public key. So a laptop can write (and resume) a session but never
read one back, and a resumed session never needs the private key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from companion.crypto.errors import CryptoError, Tampered, WrongKey
from companion.crypto.keys import fingerprint
from companion.store.safefiles import create_durably

DATAKEY_NAME = re.compile(r"datakey-(\d+)\.age")
FORMAT = "companion-sealed-1"


def datakey_name(index: int) -> str:
    return f"datakey-{index:02d}.age"


@dataclass
class DataKey:
    index: int
    key: bytes = field(repr=False)
    aead: object = field(repr=False, default=None)

    def __post_init__(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.aead = AESGCM(self.key)


def encryption_meta(recipient: str) -> dict:
    """What session.yaml says about a session's encryption (no secret)."""
    return {"format": FORMAT, "recipient": recipient, "fingerprint": fingerprint(recipient)}


def new(folder: Path, recipient: str) -> DataKey:
    """A fresh data key, wrapped to ``recipient`` and durable in ``folder`` before it is used.
    Called with the session's lock held, so the number is free."""
    import pyrage
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from pyrage import x25519

    used = [int(m.group(1)) for m in (DATAKEY_NAME.fullmatch(p.name) for p in folder.iterdir()) if m]
    index = max(used, default=0) + 1
    key = AESGCM.generate_key(bit_length=256)
    wrapped = pyrage.encrypt(key, [x25519.Recipient.from_str(recipient)])
    create_durably(folder / datakey_name(index), wrapped)
    return DataKey(index, key)


def unwrap(path: Path, identity, key_file: Path, session_fingerprint: str | None) -> DataKey:
    """Open ``datakey-NN.age`` with the study's private key."""
    import pyrage

    index = int(DATAKEY_NAME.fullmatch(path.name).group(1))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CryptoError(f"The data key {path} is missing: the lines sealed with it cannot be read.") from None
    except OSError as error:
        raise CryptoError(f"Cannot read the data key {path}: {error.strerror or error}.") from None
    try:
        key = pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as error:
        if "No matching keys" in str(error):
            mine = fingerprint(str(identity.to_public()))
            needed = f"key {session_fingerprint}" if session_fingerprint else "another key"
            raise WrongKey(
                f"The key file {key_file} is not this study's key: {path} was encrypted to {needed}, "
                f"and the file holds key {mine}."
            ) from None
        raise Tampered(f"The data key {path} is damaged or was changed: it does not decrypt.") from None
    if len(key) != 32:
        raise Tampered(f"The data key {path} does not hold a 256-bit key.")
    return DataKey(index, key)
