"""The store's errors: each message is one sentence for the person at the keyboard."""

from __future__ import annotations

from companion.errors import CompanionError


class StoreError(CompanionError):
    """The session store cannot be read or written as asked."""


class ParticipantIdError(StoreError):
    """Text offered as a participant ID is not one (a name, a path, a look-alike…)."""


class SessionLockedError(StoreError):
    """Another live process is writing this session."""


class JournalWriteError(StoreError):
    """An event could not be made durable; it is kept in memory for a retry."""
