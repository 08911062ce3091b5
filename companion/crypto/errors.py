"""Encryption errors: each message is one sentence naming the file (and the line or chunk)."""

from __future__ import annotations

from companion.errors import CompanionError


class CryptoError(CompanionError):
    """A key, a key file or sealed data cannot be used as asked."""


class KeyRequired(CryptoError):
    """Encrypted content was asked for without the study's private key."""


class WrongPassphrase(CryptoError):
    """The passphrase does not open the private key file."""


class WrongKey(CryptoError):
    """The private key is not the one the session was encrypted to."""


class Tampered(CryptoError):
    """Sealed data does not authenticate: changed, damaged, or moved from elsewhere."""
