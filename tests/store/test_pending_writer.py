"""The writer that stands in while a session is created: what is appended meanwhile reaches the
real writer first and in order, and is reported saved only when the real writer says so."""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from companion.store.errors import StoreError
from companion.store.pending_writer import PendingWriter


class RecordingWriter:
    """The real writer's append: numbers each event and leaves its Future for the test to resolve."""

    name = "PR1/2026-03-02_1015"

    def __init__(self):
        self.events: list[tuple[str, dict, Future]] = []

    def append(self, type, t, **fields):
        future = Future()
        future.seq = len(self.events) + 1
        self.events.append((type, fields, future))
        return future


def test_held_events_go_first_in_order_and_resolve_only_when_written():
    pending = PendingWriter("PR1", guide=None)
    first = pending.append("consent.tick", 0.0, item="a", checked=True)
    second = pending.append("consent.tick", 0.0, item="b", checked=False)
    assert not first.done() and pending.name == "PR1/(being created)"
    real = RecordingWriter()
    pending.attach(real)
    later = pending.append("consent.tick", 0.0, item="c", checked=True)
    assert [(t, f["item"]) for t, f, _ in real.events] == [("consent.tick", "a"), ("consent.tick", "b"), ("consent.tick", "c")]
    assert (first.seq, second.seq, later.seq) == (1, 2, 3)
    assert not first.done()  # on disk only when the real writer says so
    real.events[0][2].set_result({"seq": 1})
    real.events[1][2].set_exception(OSError(28, "No space left on device"))
    assert first.result(1) == {"seq": 1}
    assert isinstance(second.exception(1), OSError)
    assert pending.wait(0) is real and pending.name == real.name


def test_a_session_that_could_not_be_created_fails_what_was_held_and_what_follows():
    pending = PendingWriter("PR1", guide=None)
    held = pending.append("consent.tick", 0.0, item="a", checked=True)
    pending.fail("Could not create the session in sessions: disk full.")
    after = pending.append("consent.tick", 0.0, item="b", checked=True)
    for future in (held, after):
        assert isinstance(future.exception(0), StoreError)
        assert "disk full" in str(future.exception(0))
    assert pending.wait(0) is None


def test_a_wrong_event_fails_at_the_call():
    with pytest.raises(ValueError):
        PendingWriter("PR1", guide=None).append("consent.tick", 0.0, item="a")
