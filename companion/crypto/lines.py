"""Sealing one line of ``events.jsonl``.

A sealed line is still one JSON object on one line:

    {"seq": 7, "t": 81.2, "wall": "…", "type": "note", "question": "q2", "stage": "s1", "k": 1, "sealed": "<base64>"}

The fields before ``k`` are what listing, retention, resuming and coverage need (PLAIN_FIELDS);
every other field of the event (a note's text and codes, a flag's text, a correction…) is
in ``sealed``: base64 of a 12-byte random nonce followed by AES-256-GCM of the JSON object
of those fields, under data key ``k``. The associated data binds the ciphertext to its
session and to every plain byte of its line (seq, time, type…):

    b"companion-event-v1\\n" + b"PARTICIPANT/SESSION-ID" + b"\\n" + the line's bytes before ', "sealed": "'

so a line edited, moved within the log or copied from another session does not open.
"""

from __future__ import annotations

import base64
import json
import os

from companion.crypto.datakeys import DataKey
from companion.crypto.errors import Tampered

AAD_PREFIX = b"companion-event-v1\n"
SEAL_MARK = b', "sealed": "'
NONCE_BYTES = 12
COMMON = ("seq", "t", "wall", "type")

# Per event type, the fields left readable without the key (never a note's text, codes,
# or a flag's text). A flag's kind stays readable: a safeguarding flag must be seen and
# followed up by the study team without opening the session.
PLAIN_FIELDS: dict[str, tuple[str, ...]] = {
    "session.start": ("participant", "guide", "guide_title", "audience", "initials"),
    "session.resume": ("segment",),
    "consent.tick": ("item", "checked"),
    "recording.start": ("mode", "segment", "reason", "declined", "device", "rate"),
    "recording.gap": ("start", "length", "reason"),
    "recording.state": ("state", "reason"),
    "recording.overflow": ("count",),
    "recording.stop": ("duration",),
    "question.shown": ("question", "stage"),
    "question.covered": ("question", "stage"),
    "question.skipped": ("question", "stage"),
    "probe.covered": ("question", "probe"),
    "note": ("question", "stage", "during_break"),
    "note.tagged": ("note",),
    "note.corrected": ("note",),
    "flag": ("kind", "note", "question", "stage"),
    "closing.tick": ("item", "checked"),
    "guide.reloaded": ("copy",),
    "session.end": ("status",),
}


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode()


def aad(ref: str, prefix: bytes) -> bytes:
    return AAD_PREFIX + ref.encode() + b"\n" + prefix


class LineSealer:
    """Seals the lines one writer appends, with its own data key; called on the writer thread."""

    def __init__(self, key: DataKey, ref: str):
        self.key = key
        self.ref = ref

    def __call__(self, line: bytes) -> bytes:
        event = json.loads(line)
        keep = COMMON + PLAIN_FIELDS.get(event["type"], ())
        envelope = {name: event[name] for name in keep if name in event}
        content = {name: value for name, value in event.items() if name not in envelope}
        envelope["k"] = self.key.index
        prefix = _json(envelope)[:-1]  # without the closing brace
        nonce = os.urandom(NONCE_BYTES)  # random per line: see docs/encryption.md
        sealed = nonce + self.key.aead.encrypt(nonce, _json(content), aad(self.ref, prefix))
        return prefix + SEAL_MARK + base64.b64encode(sealed) + b'"}\n'


def open_line(raw: bytes, envelope: dict, aead, ref: str, where: str) -> dict:
    """The whole event of a sealed line; Tampered (naming ``where``) when it does not open."""
    from cryptography.exceptions import InvalidTag

    cut = raw.rfind(SEAL_MARK)
    if cut < 0 or not raw.endswith(b'"}'):
        raise Tampered(f"{where} is not a sealed event: it was changed or damaged.")
    try:
        blob = base64.b64decode(raw[cut + len(SEAL_MARK) : -2], validate=True)
        content = json.loads(aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad(ref, raw[:cut])))
    except (InvalidTag, ValueError):
        raise Tampered(f"{where} was changed or damaged: it does not decrypt with the session's key.") from None
    if not isinstance(content, dict) or set(content) & set(envelope):
        raise Tampered(f"{where} holds a sealed part that is not an event's fields.")
    event = {name: value for name, value in envelope.items() if name not in ("k", "sealed")}
    event.update(content)
    return event
