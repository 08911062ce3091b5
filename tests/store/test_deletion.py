"""Purge and withdrawal leave no file of a deleted session behind, log each deletion without
content, and never touch another participant's data or a session being written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from companion.store import SessionLockedError
from companion.store.layout import PURGE_LOG


def fill(store, guide, participant: str) -> Path:
    writer = store.create(guide, participant)
    writer.append("note", 1.0, text="something said", codes=[], question=None, stage=None)
    segment = writer.new_segment()
    segment.final.write_bytes(b"RIFF....")  # stands for the audio
    writer.finish_segment(segment.index, 100, 16000)
    writer.close()
    return writer.path


def fingerprint(folder: Path, kit) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir" for p in kit.walk(folder)}


def test_purge_deletes_only_due_sessions_entirely_and_logs_each(store, guide, old_guide, kit):
    due_a = fill(store, old_guide, "PR11")
    kept_a = fill(store, guide, "PR11")  # same participant, not due
    due_b = fill(store, old_guide, "PR13")
    kept_b = fill(store, guide, "PR12")
    before = fingerprint(kept_a, kit) | fingerprint(kept_b, kit)
    assert [s.path for s in store.due_sessions()] == sorted([due_a, due_b], key=lambda p: (p.name, p.parent.name))

    deleted, skipped = store.purge()

    assert skipped == [] and {(d.participant, d.session) for d in deleted} == {("PR11", due_a.name), ("PR13", due_b.name)}
    left = kit.walk(store.root)
    assert not [p for p in left if {due_a, due_b} & ({p} | set(p.parents))]
    assert not (store.root / "PR13").exists()  # the participant folder went with its last session
    assert fingerprint(kept_a, kit) | fingerprint(kept_b, kit) == before
    lines = [json.loads(line) for line in (store.root / PURGE_LOG).read_text().splitlines()]
    assert sorted(line["participant"] for line in lines) == ["PR11", "PR13"]
    for line in lines:
        assert set(line) == {"participant", "session", "retain_until", "deleted_at", "reason"}
        assert line["retain_until"] == "2018-06-30" and line["reason"] == "purge"
    assert "something said" not in (store.root / PURGE_LOG).read_text()
    assert store.purge() == ([], [])


def test_withdraw_deletes_everything_for_the_id_and_nothing_else(store, guide, old_guide, kit):
    fill(store, guide, "PR11")
    fill(store, old_guide, "PR11")
    (store.root / "PR11" / ".20260101-000000.leftover").mkdir()  # anything else kept under the ID
    other = fill(store, guide, "PR111")  # an ID that starts the same
    before = fingerprint(store.root / "PR111", kit)

    deleted = store.withdraw("PR11")

    assert len(deleted) == 2 and {d.reason for d in deleted} == {"withdrawn"}
    assert not (store.root / "PR11").exists()
    assert not [p for p in kit.walk(store.root) if p.relative_to(store.root).parts[0] == "PR11"]
    assert fingerprint(store.root / "PR111", kit) == before and other.exists()
    log = (store.root / PURGE_LOG).read_text().splitlines()
    assert len(log) == 2 and all(json.loads(line)["participant"] == "PR11" for line in log)
    assert store.withdraw("PR11") == []
    assert [s.participant for s in store.sessions()] == ["PR111"]


def test_a_session_being_written_is_never_deleted(store, guide, old_guide):
    fill(store, old_guide, "PR11")
    live = store.create(old_guide, "PR11")
    with pytest.raises(SessionLockedError, match="nothing was deleted"):
        store.withdraw("PR11")
    assert len(list((store.root / "PR11").iterdir())) == 2
    deleted, skipped = store.purge()
    assert len(deleted) == 1 and len(skipped) == 1 and "being written" in skipped[0][1]
    assert live.path.exists()
    live.close()


def test_withdraw_refuses_a_path_trick(store, guide):
    fill(store, guide, "PR11")
    with pytest.raises(Exception, match="not a participant ID"):
        store.withdraw("..")
    assert (store.root / "PR11").exists()


def test_discard_takes_only_a_session_that_never_started(store, guide):
    from companion.store import StoreError

    started = store.create(guide, "PR11")
    started.append("recording.start", 0.0, mode="clock", segment=None)
    started.close()
    with pytest.raises(StoreError, match="has started; it was not discarded"):
        store.discard(started.name)
    assert started.path.exists()
    live = store.create(guide, "PR11")
    with pytest.raises(SessionLockedError):
        store.discard(live.name)  # still open in the companion that made it
    live.close()
    store.discard(live.name)
    assert not live.path.exists() and started.path.exists()
    assert [s.session for s in store.sessions()] == [started.session_id]
    [line] = (store.root / PURGE_LOG).read_text().splitlines()
    assert json.loads(line)["reason"] == "discarded before the start"
