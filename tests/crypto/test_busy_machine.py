"""age re-times scrypt at each opening and refuses a key file whose work factor is far above
what this machine measured at that instant ("excessive work"). A machine busy for that
instant measures too low: the opening is tried again, and never called a wrong passphrase."""

from __future__ import annotations

import pytest
from pyrage import DecryptError, x25519
from pyrage import passphrase as age_passphrase

from companion.crypto import keys
from companion.crypto.errors import CryptoError, WrongPassphrase

PASSPHRASE = "correct horse battery"
BUSY = "Excessive work parameter for passphrase."


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    identity = x25519.Identity.generate()
    path = tmp_path_factory.mktemp("key") / "study.key"
    keys.write_private_key(path, str(identity), str(identity.to_public()), PASSPHRASE)
    return path, str(identity.to_public())


def refusing(monkeypatch, times: int, message: str = BUSY) -> list:
    """age's decrypt, refusing the first ``times`` attempts with ``message``."""
    real, calls = age_passphrase.decrypt, []

    def decrypt(data, passphrase):
        calls.append(passphrase)
        if len(calls) <= times:
            raise DecryptError(message)
        return real(data, passphrase)

    monkeypatch.setattr(age_passphrase, "decrypt", decrypt)
    return calls


def test_a_moment_of_load_is_tried_again_and_the_key_opens(key_file, monkeypatch):
    path, public = key_file
    calls = refusing(monkeypatch, times=keys.BUSY_ATTEMPTS - 1)
    assert str(keys.load_identity(path, PASSPHRASE).to_public()) == public
    assert len(calls) == keys.BUSY_ATTEMPTS


def test_a_machine_that_stays_busy_is_told_so_not_that_the_passphrase_is_wrong(key_file, monkeypatch):
    path, _ = key_file
    refusing(monkeypatch, times=keys.BUSY_ATTEMPTS)
    with pytest.raises(CryptoError) as raised:
        keys.load_identity(path, PASSPHRASE)
    assert not isinstance(raised.value, WrongPassphrase)
    assert "too busy" in str(raised.value) and "passphrase does not open" not in str(raised.value)


def test_a_wrong_passphrase_is_said_at_once_without_retrying(key_file, monkeypatch):
    path, _ = key_file
    calls = refusing(monkeypatch, times=0)
    with pytest.raises(WrongPassphrase, match="does not open the key file"):
        keys.load_identity(path, "not the passphrase")
    assert len(calls) == 1
