"""Encryption at rest: the study's key pair, per-session data keys, sealed event lines and
sealed audio chunks. No UI; the format is documented in docs/encryption.md.

- ``keys``      the study's key pair (age X25519), the private key file (age passphrase/scrypt),
                the public key enrolled in a store
- ``datakeys``  each writer's random data key, stored only wrapped to the study's public key
- ``lines``     sealing and opening one ``events.jsonl`` line (AES-256-GCM)
- ``audio``     sealed audio segments: ~1 s chunks, each AES-256-GCM on its own
- ``keyring``   the private key opened for reading: unwraps data keys, opens lines and chunks

``cryptography`` and ``pyrage`` are imported only when a key is used, so a store without
encryption (and ``companion --help``) never loads them.
"""
