"""Sessions on disk: the event journal, participant IDs, retention, locks (no UI).

    store = Store(root)
    writer = store.create(guide, "PR11")          # or store.resume("PR11/20261122-101503")
    future = writer.append("note", t, text=..., codes=[], question=None, stage=None)
    writer.close()
    store.sessions(); store.open(ref); store.purge(); store.withdraw("PR11")
"""

from companion.store.deletion import Deletion
from companion.store.errors import (
    JournalWriteError,
    ParticipantIdError,
    SessionLockedError,
    StoreError,
)
from companion.store.segments import Segment
from companion.store.store import SessionRecord, SessionSummary, Store

__all__ = [
    "Deletion",
    "JournalWriteError",
    "ParticipantIdError",
    "Segment",
    "SessionLockedError",
    "SessionRecord",
    "SessionSummary",
    "SessionWriter",
    "Store",
    "StoreError",
]


def __getattr__(name: str):
    # The writer (threads, futures) is imported when first asked for: a listing needs none of it.
    if name == "SessionWriter":
        from companion.store.writer import SessionWriter

        return SessionWriter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
