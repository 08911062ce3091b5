"""The study's key pair.

The private key is an age X25519 identity (``AGE-SECRET-KEY-1…``) kept in a file that is
itself an age file encrypted with a passphrase (age's scrypt recipient), so the standard
tool opens it too: ``age -d -i study.key datakey-01.age`` asks for the passphrase.
The public key (``age1…``) is enrolled in a store as ``study-public-key.txt``, an age
recipients file: every session created in that store is encrypted to it.
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from datetime import datetime
from pathlib import Path

from companion.crypto.errors import CryptoError, WrongPassphrase
from companion.errors import UsageError
from companion.store.safefiles import create_durably, replace_atomically

from companion.store.sealing import PUBLIC_KEY_NAME
AGE_MAGIC = b"age-encryption.org/v1\n"
MIN_PASSPHRASE = 8
BUSY_ATTEMPTS = 3  # see _opened


def fingerprint(recipient: str) -> str:
    """A short name for a public key: the first 64 bits of its SHA-256, in four groups."""
    digest = hashlib.sha256(recipient.strip().encode()).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def generate() -> tuple[str, str]:
    """(private identity text, public recipient text) of a new key pair."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def parse_recipient(text: str, where: str) -> str:
    """The ``age1…`` public key in ``text`` (comments and blank lines allowed)."""
    from pyrage import RecipientError, x25519

    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if len(lines) != 1:
        raise UsageError(f"{where} does not hold one public key (an age1… line).")
    try:
        x25519.Recipient.from_str(lines[0])
    except RecipientError:
        raise UsageError(f"{where} is not a study public key: {lines[0][:20]!r} is not an age1… key.") from None
    return lines[0]


def write_private_key(path: Path, identity: str, recipient: str, passphrase: str) -> None:
    """Write the private key file (never over an existing file)."""
    from pyrage import passphrase as age_passphrase

    text = (
        f"# companion study private key, created {datetime.now().astimezone():%Y-%m-%d %H:%M %z}\n"
        f"# public key: {recipient}\n# fingerprint: {fingerprint(recipient)}\n{identity}\n"
    )
    sealed = age_passphrase.encrypt(text.encode(), passphrase)
    try:
        create_durably(Path(path), sealed)
    except FileExistsError:
        raise UsageError(f"{path} already exists: a key file is never overwritten; give a new file name.") from None
    except OSError as error:
        raise UsageError(f"Cannot write the key file {path}: {error.strerror or error}.") from None


def load_identity(path: Path, passphrase: str):
    """The private key in ``path``; one sentence for a missing, foreign or locked file."""
    from pyrage import IdentityError, x25519

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"The key file {path} does not exist.") from None
    except OSError as error:
        raise UsageError(f"Cannot read the key file {path}: {error.strerror or error}.") from None
    if not data.startswith(AGE_MAGIC) or b"\n-> scrypt " not in data.split(b"\n---", 1)[0]:
        raise CryptoError(f"{path} is not a companion private key file (an age file locked with a passphrase).")
    text = _opened(data, passphrase, path)
    secret = [line.strip() for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-")]
    try:
        return x25519.Identity.from_str(secret[0])
    except (IndexError, IdentityError):
        raise CryptoError(f"{path} opens, but holds no study private key.") from None


def _opened(data: bytes, passphrase: str, path: Path) -> str:
    """The key file's text. age times scrypt on this machine at each attempt and refuses a
    file whose work factor is far above what it measured ("excessive work"): a machine busy
    at that instant measures too low, so that refusal is tried again — never reported as a
    wrong passphrase."""
    from pyrage import DecryptError
    from pyrage import passphrase as age_passphrase

    for _ in range(BUSY_ATTEMPTS):
        try:
            return age_passphrase.decrypt(data, passphrase).decode("utf-8")
        except UnicodeDecodeError:
            break
        except DecryptError as error:
            if "excessive work" not in str(error).lower():
                break
    else:
        raise CryptoError(f"This computer is too busy to open the key file {path} now (its passphrase lock "
                          "takes more work than it can do in time); close other programs and try again.")
    raise WrongPassphrase(f"The passphrase does not open the key file {path} (or the file is damaged).")


# --- the store's enrolled key ----------------------------------------------------------

def enrolled(root: Path) -> str | None:
    """The public key every new session in the store is encrypted to, or None."""
    path = Path(root) / PUBLIC_KEY_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise CryptoError(f"Cannot read the store's public key {path}: {error}.") from None
    return parse_recipient(text, str(path))


def enrol(root: Path, recipient: str) -> Path:
    """Make ``recipient`` the store's key: new sessions are encrypted to it."""
    from companion.store.safefiles import make_private_dir

    root = Path(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    make_private_dir(root)
    path = root / PUBLIC_KEY_NAME
    text = (
        "# companion: every new session in this store is encrypted to this study public key.\n"
        f"# fingerprint: {fingerprint(recipient)}\n{recipient}\n"
    )
    replace_atomically(path, text.encode())
    return path


# --- passphrases ------------------------------------------------------------------------

def read_passphrase(file: str | None, confirm: bool = False) -> str:
    """From ``--passphrase-file`` (its first line), else asked on the terminal."""
    if file:
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.readline().rstrip("\r\n")
        except OSError as error:
            raise UsageError(f"Cannot read the passphrase file {file}: {error.strerror or error}.") from None
        if not text:
            raise UsageError(f"The passphrase file {file} is empty.")
        return text
    if not sys.stdin.isatty():
        raise UsageError("No terminal to ask for the passphrase: give --passphrase-file FILE.")
    text = getpass.getpass("Passphrase for the study's private key: ")
    if confirm and getpass.getpass("The same passphrase again: ") != text:
        raise UsageError("The two passphrases differ; nothing was written.")
    return text


def check_new_passphrase(text: str) -> None:
    if len(text) < MIN_PASSPHRASE:
        raise UsageError(f"The passphrase is too short: use at least {MIN_PASSPHRASE} characters (a few words).")
