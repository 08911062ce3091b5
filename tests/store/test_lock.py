"""One writer per session: a second process is refused by name; the lock dies with its process."""

from __future__ import annotations

import signal

import pytest

from companion.store import SessionLockedError


@pytest.fixture
def interrupted(store, guide):
    writer = store.create(guide, "PR11")
    writer.close("interrupted")
    return f"PR11/{writer.session_id}"


def test_a_second_process_is_refused_naming_the_session(store, interrupted, kit):
    holder = kit.child("hold", str(store.root), interrupted)
    try:
        assert holder.stdout.readline() == "ready\n", holder.stderr.read()
        with pytest.raises(SessionLockedError) as caught:
            store.resume(interrupted)
        assert f"Session {interrupted} is open in another companion process (process {holder.pid})" in str(caught.value)
        [summary] = store.sessions()
        assert summary.status == "in-progress"  # live: reported as such, not as interrupted
        second = kit.run_child("hold", str(store.root), interrupted)
        assert second.returncode != 0 and f"Session {interrupted} is open" in second.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel dropped the dead holder's lock: the session reads as interrupted and resumes.
    [summary] = store.sessions()
    assert summary.status == "interrupted"
    store.resume(interrupted).close()
    assert store.sessions()[0].status == "complete"


def test_a_second_writer_in_the_same_process_is_refused(store, guide):
    writer = store.create(guide, "PR11")
    with pytest.raises(SessionLockedError):
        store.resume(writer.path)
    writer.close()


def test_a_complete_session_cannot_be_resumed(store, guide):
    writer = store.create(guide, "PR11")
    writer.close()
    with pytest.raises(Exception, match="is complete; only an interrupted session can be resumed"):
        store.resume(writer.path)
