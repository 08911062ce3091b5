"""The one writer of a live session: events through a single thread, fsync'd one by one.

``append`` never touches the disk: it numbers the event, queues it and returns a
Future. The writer thread writes the line, flushes and fsyncs it, and only then
resolves the Future with the event. When a write fails the event is kept, in
order, in ``pending``; events appended after it wait behind it (failing at once),
so sequence numbers on disk stay gapless. ``retry()`` writes them all again.
"""

from __future__ import annotations

import atexit
import queue
import threading
import weakref
from concurrent.futures import Future
from pathlib import Path

from companion.guide.model import Guide
from companion.store import meta as metafile
from companion.store import segments as seg
from companion.store.errors import JournalWriteError, StoreError
from companion.store.events import CATALOGUE
from companion.store.journal import JOURNAL_NAME, JournalFile, encode_event
from companion.store.lock import SessionLock
from companion.store.meta import guide_copy_name, guide_data, now_iso
from companion.store.safefiles import replace_atomically
from companion.store.segments import Segment

COMMON_KEYS = ("seq", "t", "wall", "type")
CLOSE_STATUSES = ("complete", "interrupted")


def check_event(type: str, fields: dict) -> None:
    """Catch a wrong event at the call, not in the log."""
    if type not in CATALOGUE:
        raise ValueError(f"unknown event type {type!r}")
    missing = [name for name in CATALOGUE[type] if name not in fields]
    if missing:
        raise ValueError(f"event {type!r} needs {', '.join(missing)}")
    clash = [name for name in COMMON_KEYS if name in fields]
    if clash:
        raise ValueError(f"event fields may not be named {', '.join(clash)}")


def count(counts: dict, event: dict) -> None:
    counts["events"] += 1
    if event["type"] == "note":
        counts["notes"] += 1
    elif event["type"] == "flag":
        counts["safeguarding" if event.get("kind") == "safeguarding" else "flags"] += 1


def new_counts(events: list[dict] = ()) -> dict:
    counts = {"events": 0, "notes": 0, "flags": 0, "safeguarding": 0}
    for event in events:
        count(counts, event)
    return counts


class SessionWriter:
    """Writes one session; made by ``Store.create`` or ``Store.resume``."""

    def __init__(self, folder: Path, meta: dict, guide: Guide, lock: SessionLock,
                 events: list[dict], journal_size: int, problems: list[str] | None = None,
                 seal=None):
        self.path = folder
        self.guide = guide
        self.history = list(events)  # the events already in the log (a resumed session's past)
        self.problems = list(problems or [])  # what reading the log found (e.g. a torn line set aside)
        self._meta = meta
        self._lock = lock
        # An encrypted session's LineSealer (None: plain); its data key also seals the audio.
        self.seal = seal
        self._journal = JournalFile(folder / JOURNAL_NAME, journal_size, seal)
        self._next_seq = max((e["seq"] for e in events), default=0) + 1
        self._last_t = max((float(e["t"]) for e in events), default=0.0)
        self._counts = new_counts(events)
        self._pending: list[tuple[dict, bytes]] = []
        self._state = threading.RLock()  # guards seq, pending, counts: held only for moments
        # Guards the session.yaml dict, held across its atomic rewrite (an fsync), so
        # append() never waits on it. Order: _meta_lock may take _state, never the reverse.
        self._meta_lock = threading.Lock()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._end: Future | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"journal {self.name}", daemon=True)
        self._thread.start()
        # A program that exits without close() still gets its queued events written.
        atexit.register(_drain_at_exit, weakref.ref(self))

    # --- identity ---------------------------------------------------------------

    @property
    def session_id(self) -> str:
        return self._meta["session"]

    @property
    def participant(self) -> str:
        return self._meta["participant"]

    @property
    def name(self) -> str:
        return f"{self.participant}/{self.session_id}"

    @property
    def meta(self) -> dict:
        with self._meta_lock:
            return dict(self._meta)

    # --- events -----------------------------------------------------------------

    def append(self, type: str, t: float, **fields) -> Future:
        """Queue an event; the Future resolves with it once it is on disk."""
        check_event(type, fields)
        future: Future = Future()
        with self._state:
            if self._closed:
                raise RuntimeError(f"session {self.name} is closed")
            event = {"seq": self._next_seq, "t": round(float(t), 6), "wall": now_iso(), "type": type, **fields}
            line = encode_event(event)  # a field JSON cannot hold fails here, before a seq is used
            self._next_seq += 1
            self._last_t = max(self._last_t, event["t"])
            self._queue.put(("event", event, line, future))
        future.seq = event["seq"]  # known at once: a flag can name a note that is still being written
        return future

    @property
    def pending(self) -> list[dict]:
        """Events not yet on disk after a failure, in order."""
        with self._state:
            return [event for event, _ in self._pending]

    def retry(self) -> list[Future]:
        """Write every pending event again, in order; one Future each, in ``pending`` order."""
        with self._state:
            jobs = {event["seq"]: (event, Future()) for event, _ in self._pending}
            for seq, (_, future) in jobs.items():
                future.seq = seq
            self._queue.put(("retry", jobs))
        return [future for _, future in jobs.values()]

    def flush(self, timeout: float | None = None) -> None:
        """Wait until everything queued so far has been written or has failed."""
        done: Future = Future()
        self._queue.put(("barrier", done))
        done.result(timeout)

    # --- the timeline and audio segments ----------------------------------------

    @property
    def timeline_end(self) -> float:
        """Where the timeline continues: the end of the last audio segment or the last event."""
        with self._meta_lock:
            return self._timeline_end()

    def _timeline_end(self) -> float:
        audio_end = seg.end_of(self._meta["segments"])
        with self._state:
            return max(audio_end, self._last_t)

    def new_segment(self) -> Segment:
        """Name the next audio segment and record where it starts (before any audio exists)."""
        sealed = self.seal is not None
        with self._meta_lock:
            index = seg.next_index(self._meta["segments"], self.path)
            start = self._timeline_end()
            self._meta["segments"].append({"index": index, "file": seg.final_name(index, sealed), "start": start,
                                           "frames": None, "rate": None, "duration": None})
            metafile.write(self.path, self._meta)
        make_writer = None
        if sealed:  # the audio is sealed with this writer's data key, chunk by chunk
            from companion.crypto.audio import SealedAudioWriter

            def make_writer(path, rate):
                return SealedAudioWriter(path, rate, key=self.seal.key, ref=self.seal.ref, segment=index)
        return Segment(index, self.path / seg.partial_name(index, sealed), self.path / seg.final_name(index, sealed),
                       start, make_writer)

    def finish_segment(self, index: int, frames: int, rate: int) -> None:
        with self._meta_lock:
            if seg.entry(self._meta["segments"], index) is None:
                raise ValueError(f"session {self.name} has no audio segment {index}")
            seg.record(self._meta["segments"], index, frames, rate)
            metafile.write(self.path, self._meta)

    def update_meta(self, **fields) -> None:
        """Change top-level entries of session.yaml (e.g. ``audio={...}``) atomically."""
        fixed = {"participant", "session", "segments"} & fields.keys()
        if fixed:
            raise ValueError(f"session.yaml's {', '.join(sorted(fixed))} cannot be changed")
        with self._meta_lock:
            self._meta.update(fields)
            metafile.write(self.path, self._meta)

    def save_guide_copy(self, guide: Guide) -> str:
        """Keep a copy of a guide edited live (guide-02.yaml, guide-03.yaml…) and use it from now on;
        returns the file name, for the ``guide.reloaded`` event."""
        with self._meta_lock:
            number = 2
            while (self.path / guide_copy_name(number)).exists():
                number += 1
            name = guide_copy_name(number)
            try:
                replace_atomically(self.path / name, metafile.dump(guide_data(guide)))
            except OSError as error:
                raise StoreError(f"Could not save the edited guide in {self.path}: {error.strerror or error}.") from None
            self.guide = guide
        return name

    # --- closing ----------------------------------------------------------------

    def close(self, status: str = "complete") -> None:
        """Write ``session.end``, record the end in session.yaml and release the lock.

        Raises JournalWriteError (the writer stays open, events kept) when the log
        cannot be completed; calling close() again retries without a second end event.
        """
        if status not in CLOSE_STATUSES:
            raise ValueError(f"a session closes as {' or '.join(CLOSE_STATUSES)}, not {status!r}")
        if self._closed:
            return
        if self.pending:
            self.retry()
        if self._end is None:
            self._end = self.append("session.end", self.timeline_end, status=status)
            self._end_status = status
        self.flush()
        left = self.pending
        if left:
            raise JournalWriteError(
                f"Session {self.name} is not closed: {len(left)} event(s) could not be saved to "
                f"{self._journal.path} and are kept for a retry."
            )
        with self._meta_lock:
            with self._state:
                counts = dict(self._counts)
            self._meta.update(ended=now_iso(), status=self._end_status, counts=counts)
            metafile.write(self.path, self._meta)
        with self._state:
            self._closed = True
        self._stop()

    def abandon(self) -> None:
        """Stop writing without ending the session (it will read as interrupted)."""
        with self._state:
            self._closed = True
        self._stop()

    def _stop(self) -> None:
        stopped: Future = Future()
        self._queue.put(("stop", stopped))
        stopped.result()
        self._thread.join()
        self._lock.release()

    def __enter__(self) -> SessionWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if not self._closed:
            self.close("complete" if exc_type is None else "interrupted")

    # --- the writer thread --------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job[0] == "event":
                self._write_new(*job[1:])
            elif job[0] == "retry":
                self._write_pending(job[1])
            else:  # "barrier" or "stop": everything before it is done
                job[1].set_result(None)
                if job[0] == "stop":
                    return

    def _write_new(self, event: dict, line: bytes, future: Future) -> None:
        with self._state:
            blocked = bool(self._pending)
            if blocked:
                self._pending.append((event, line))
        if blocked:
            future.set_exception(JournalWriteError(
                f"Event {event['seq']} ({event['type']}) is not saved yet: an earlier event is still "
                "waiting to be written; it is kept in memory for a retry."
            ))
            return
        try:
            self._journal.append(line)
        except OSError as error:
            with self._state:
                self._pending.append((event, line))
            future.set_exception(self._failure(event, error))
            return
        self._saved(event, future)

    def _write_pending(self, jobs: dict[int, tuple[dict, Future]]) -> None:
        error, failed = None, None
        while True:
            with self._state:
                if not self._pending:
                    break
                event, line = self._pending[0]
            try:
                self._journal.append(line)
            except OSError as failure:
                error, failed = self._failure(event, failure), event["seq"]
                break
            with self._state:
                self._pending.pop(0)
            self._saved(event, jobs.pop(event["seq"], (None, Future()))[1])
        # This retry's other futures: written by an earlier retry, or still waiting behind a failure.
        waiting = {e["seq"] for e in self.pending}
        for seq, (event, future) in jobs.items():
            if seq not in waiting:
                future.set_result(event)
            elif seq == failed:
                future.set_exception(error)
            else:
                future.set_exception(JournalWriteError(
                    f"Event {seq} ({event['type']}) is still not saved: an earlier event could not be "
                    "written; it is kept in memory for a retry."
                ))

    def _saved(self, event: dict, future: Future) -> None:
        with self._state:
            count(self._counts, event)
        future.set_result(event)

    def _failure(self, event: dict, error: OSError) -> JournalWriteError:
        reason = error.strerror or str(error)
        return JournalWriteError(
            f"Could not save event {event['seq']} ({event['type']}) to {self._journal.path}: {reason}; "
            "it is kept in memory for a retry."
        )


def _drain_at_exit(ref: weakref.ref) -> None:
    writer = ref()
    if writer is not None and not writer._closed:
        try:
            writer.flush(timeout=5)
        except Exception:  # noqa: BLE001 - nothing useful to do at interpreter exit
            pass
