"""The store's side of encryption: whether a store or a session is encrypted, and the sealer
or opener a writer or reader uses. The crypto libraries load only for encrypted sessions."""

from __future__ import annotations

from pathlib import Path

from companion.store.layout import PUBLIC_KEY as PUBLIC_KEY_NAME


def enrolled(root: Path) -> str | None:
    """The study public key new sessions in ``root`` are encrypted to, or None."""
    if not (Path(root) / PUBLIC_KEY_NAME).exists():
        return None
    from companion.crypto.keys import enrolled as read_enrolled

    return read_enrolled(root)


def is_sealed(meta: dict) -> bool:
    return isinstance(meta.get("encryption"), dict)


def meta_entry(recipient: str | None) -> dict:
    """session.yaml's ``encryption`` entry (no secret), or nothing for a plain session."""
    if recipient is None:
        return {}
    from companion.crypto.datakeys import encryption_meta

    return {"encryption": encryption_meta(recipient)}


def sealer(folder: Path, participant: str, session: str, recipient: str | None):
    """A LineSealer with a fresh data key wrapped to ``recipient``, or None (plain)."""
    if recipient is None:
        return None
    from companion.crypto import datakeys
    from companion.crypto.lines import LineSealer

    return LineSealer(datakeys.new(folder, recipient), f"{participant}/{session}")


def sealer_for(folder: Path, meta: dict):
    """A sealer for another writer of an existing session (resume, correction): its own data key."""
    if not is_sealed(meta):
        return None
    return sealer(folder, meta["participant"], meta["session"], meta["encryption"]["recipient"])


def opener(folder: Path, meta: dict, keyring):
    """The line opener for reading an encrypted session (None for a plain one)."""
    if not is_sealed(meta):
        return None
    if keyring is None:
        from companion.crypto.errors import KeyRequired

        ref = f"{meta.get('participant')}/{meta.get('session')}"
        raise KeyRequired(
            f"Session {ref} is encrypted: give the study's private key with --key FILE "
            "(and --passphrase-file FILE, or type the passphrase when asked)."
        )
    return keyring.line_opener(folder, meta)
