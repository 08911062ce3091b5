"""A session's writer while the session is still being created.

The consent checklist is shown at once, while the session's folder, session.yaml, guide copy
and first line are written and fsync'd (25–35 ms) in a worker. What is ticked meanwhile is
kept here, in order, and handed to the real writer the moment it exists, ahead of anything
appended after; each tick's Future resolves only once the real writer has made it durable,
as every event's does. If the session cannot be created, every kept event fails with the
reason, and nothing is reported saved.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from companion.store.errors import StoreError
from companion.store.writer import check_event


class PendingWriter:
    def __init__(self, participant: str, guide):
        self.participant = participant
        self.guide = guide
        self.real = None  # the SessionWriter, once the session exists
        self.error: BaseException | None = None  # why it could not be created
        self._held: list[tuple[str, float, dict, Future]] = []
        self._lock = threading.Lock()  # held only for moments: append never waits on the disk
        self._settled = threading.Event()

    @property
    def name(self) -> str:
        return self.real.name if self.real is not None else f"{self.participant}/(being created)"

    def append(self, type: str, t: float, **fields) -> Future:
        check_event(type, fields)  # a wrong event fails at the call, as with the real writer
        with self._lock:
            if self.real is not None:
                return self.real.append(type, t, **fields)
            future: Future = Future()
            if self.error is not None:
                future.set_exception(self.error)
            else:
                self._held.append((type, t, fields, future))
            return future

    def attach(self, writer) -> None:
        """The session exists: what was kept goes to its writer first, in order."""
        with self._lock:
            for type, t, fields, future in self._held:
                _follow(writer.append(type, t, **fields), future)
            self._held.clear()
            self.real = writer
        self._settled.set()

    def fail(self, reason: str) -> None:
        with self._lock:
            self.error = StoreError(reason)
            for *_, future in self._held:
                future.set_exception(self.error)
            self._held.clear()
        self._settled.set()

    def wait(self, timeout: float | None = None):
        """The real writer once the session exists; None if it could not be created."""
        self._settled.wait(timeout)
        return self.real


def _follow(real: Future, future: Future) -> None:
    future.seq = real.seq

    def done(real: Future) -> None:
        error = real.exception()
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(real.result())

    real.add_done_callback(done)
