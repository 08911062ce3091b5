"""The study's private key, opened for reading: unwraps a session's data keys on demand and
opens its sealed lines and audio chunks. Opening the key file runs scrypt (about a second):
the UI does it in a worker, never on its thread."""

from __future__ import annotations

from pathlib import Path

from companion.crypto import datakeys, lines
from companion.crypto.errors import Tampered
from companion.crypto.keys import fingerprint, load_identity, read_passphrase


class Keyring:
    def __init__(self, identity, key_file: Path):
        self.identity = identity
        self.key_file = Path(key_file)
        self.fingerprint = fingerprint(str(identity.to_public()))
        self._keys: dict[tuple[Path, int], datakeys.DataKey] = {}

    @classmethod
    def load(cls, key_file: str | Path, passphrase: str) -> Keyring:
        return cls(load_identity(Path(key_file), passphrase), Path(key_file))

    @classmethod
    def from_args(cls, args) -> Keyring | None:
        """The keyring a command's ``--key FILE [--passphrase-file F]`` give, or None."""
        key = getattr(args, "key", None)
        if not key:
            return None
        return cls.load(key, read_passphrase(getattr(args, "passphrase_file", None)))

    def data_key(self, folder: Path, meta: dict, index: int) -> datakeys.DataKey:
        slot = (Path(folder), int(index))
        if slot not in self._keys:
            path = Path(folder) / datakeys.datakey_name(int(index))
            session_fp = (meta.get("encryption") or {}).get("fingerprint")
            self._keys[slot] = datakeys.unwrap(path, self.identity, self.key_file, session_fp)
        return self._keys[slot]

    def line_opener(self, folder: Path, meta: dict):
        """A function (raw line, parsed envelope, line number) -> the whole event."""
        ref = f"{meta.get('participant')}/{meta.get('session')}"
        journal = Path(folder) / "events.jsonl"

        def open_one(raw: bytes, envelope: dict, number: int) -> dict:
            where = f"{journal} line {number}"
            index = envelope.get("k")
            if "sealed" not in envelope or not isinstance(index, int) or isinstance(index, bool):
                raise Tampered(f"{where} is not sealed, though the session is encrypted: "
                               "it was not written by the companion.")
            key = self.data_key(folder, meta, index)
            return lines.open_line(raw, envelope, key.aead, ref, where)

        return open_one
