"""The store: creating, listing, opening and resuming sessions; audio segments; the layout."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import wave
from pathlib import Path

import pytest
import yaml

from companion.errors import UsageError
from companion.store import SessionRecord, Store, StoreError


def note(writer, t: float, text: str = "a note"):
    return writer.append("note", t, text=text, codes=[], question=None, stage=None)


def write_wav(path: Path, frames: int, rate: int = 16000) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x01\x00" * frames)


def test_an_empty_or_missing_store_lists_nothing_and_creates_nothing(store):
    assert store.sessions() == []
    assert not store.root.exists()
    store.root.mkdir()
    assert store.sessions() == []


def test_create_writes_the_folder_the_guide_copy_and_session_start(store, guide):
    writer = store.create(guide, "PR11", initials="ab")
    assert writer.path == store.root / "PR11" / writer.session_id
    assert writer.participant == "PR11" and writer.guide == guide
    start = writer.append("recording.break", 1.0).result()
    meta = yaml.safe_load((writer.path / "session.yaml").read_text())
    assert meta["status"] == "in-progress" and meta["initials"] == "AB" and meta["guide"] == "professional"
    from companion.guide.loader import load_guide

    assert load_guide(writer.path / "guide.yaml") == guide
    writer.close()
    record = store.open(f"PR11/{writer.session_id}")
    assert isinstance(record, SessionRecord) and record.guide == guide and record.problems == []
    assert [e["type"] for e in record.events] == ["session.start", "recording.break", "session.end"]
    assert record.events[0]["participant"] == "PR11" and record.events[0]["t"] == 0.0
    assert start["seq"] == 2 and start["wall"][-6] in "+-"
    assert record.meta["status"] == "complete" and record.meta["ended"]
    assert record.meta["counts"] == {"events": 3, "notes": 0, "flags": 0, "safeguarding": 0}


def test_session_ids_sort_by_start_and_never_collide(store, guide):
    ids = [store.create(guide, "PR11") for _ in range(3)]
    for writer in ids:
        writer.close()
    names = [w.session_id for w in ids]
    assert len(set(names)) == 3 and names == sorted(names)


def test_listing_counts_notes_flags_and_safeguarding_apart(store, guide):
    writer = store.create(guide, "PR11")
    n = note(writer, 1.0).result()["seq"]
    note(writer, 2.0)
    writer.append("flag", 2.0, kind="quote", note=n)
    writer.append("flag", 3.0, kind="safeguarding", note=None)
    writer.close()
    [s] = store.sessions()
    assert (s.participant, s.session, s.guide, s.status) == ("PR11", writer.session_id, "professional", "complete")
    assert (s.notes, s.flags, s.safeguarding) == (2, 1, 1)
    assert s.duration == 3.0 and s.started and s.ended and not s.due and s.problems == []
    keys = {"participant", "session", "guide", "started", "status", "notes", "flags", "safeguarding",
            "retain_until", "due"}
    assert keys <= s.to_json().keys()


def test_a_dead_in_progress_session_is_reported_interrupted(store, guide):
    writer = store.create(guide, "PR11")
    writer.flush()
    assert store.sessions()[0].status == "in-progress"
    writer.abandon()  # as if the process died: the lock is gone, status still in-progress on disk
    [s] = store.sessions()
    assert s.status == "interrupted"
    assert yaml.safe_load((writer.path / "session.yaml").read_text())["status"] == "interrupted"


def test_resume_continues_the_log_and_the_timeline(store, guide):
    writer = store.create(guide, "PR11")
    segment = writer.new_segment()
    assert (segment.index, segment.start) == (1, 0.0)
    assert segment.partial.name == "audio-01.partial.wav" and segment.final.name == "audio-01.wav"
    note(writer, 4.0).result()
    write_wav(segment.partial, 16000 * 3)  # the recorder died after 3 s of audio reached the disk
    writer.abandon()

    resumed = store.resume(f"PR11/{writer.session_id}")
    assert [e["type"] for e in resumed.history] == ["session.start", "note"]
    assert resumed.timeline_end == 4.0  # the last note is later than the audio's end
    nxt = resumed.new_segment()
    assert (nxt.index, nxt.start) == (2, 4.0)
    resumed.finish_segment(2, 16000 * 5, 16000)
    assert resumed.timeline_end == 9.0
    resumed.close()
    record = store.open(resumed.path)
    resume_event = next(e for e in record.events if e["type"] == "session.resume")
    assert resume_event["t"] == 4.0 and resume_event["seq"] == 3
    first, second = record.segments
    # The leftover partial file was repaired (companion.audio.wavfile.repair_partial) and recorded.
    assert not (record.path / "audio-01.partial.wav").exists()
    assert (first["file"], first["start"], first["frames"], first["rate"]) == ("audio-01.wav", 0.0, 48000, 16000)
    assert first["duration"] == 3.0
    assert (second["start"], second["duration"]) == (4.0, 5.0)
    assert [e["seq"] for e in record.events] == list(range(1, len(record.events) + 1))


def test_a_leftover_partial_file_is_repaired_when_listing(store, guide):
    pytest.importorskip("companion.audio.wavfile")
    writer = store.create(guide, "PR11")
    segment = writer.new_segment()
    write_wav(segment.partial, 8000, rate=8000)
    with open(segment.partial, "r+b") as f:  # a killed writer's header still says 0 frames
        f.seek(40)
        f.write(b"\x00\x00\x00\x00")
    writer.abandon()
    [s] = store.sessions()
    assert not segment.partial.exists() and segment.final.exists()
    assert store.open(writer.path).segments[0]["duration"] == 1.0
    assert s.duration == 1.0


def test_update_meta_replaces_session_yaml(store, guide):
    writer = store.create(guide, "PR11")
    writer.update_meta(audio={"mode": "clock", "reason": "no input device"})
    assert yaml.safe_load((writer.path / "session.yaml").read_text())["audio"]["mode"] == "clock"
    with pytest.raises(ValueError):
        writer.update_meta(participant="PR12")
    writer.close()
    assert not [p for p in writer.path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_open_refuses_an_unknown_session_with_a_sentence(store, guide):
    for ref in ("PR11/20260101-000000", "nonsense", "../../etc"):
        with pytest.raises(UsageError, match="There is no session"):
            store.open(ref)


def test_permissions_are_private_whatever_the_umask(store, guide):
    old = os.umask(0)
    try:
        writer = store.create(guide, "PR11")
        segment = writer.new_segment()
        writer.close()
        store.purge()  # writes nothing: nothing is due
    finally:
        os.umask(old)
    folders = [store.root, store.root / "PR11", writer.path]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders)
    files = list(writer.path.iterdir())
    assert {p.name for p in files} >= {"session.yaml", "guide.yaml", "events.jsonl", "session.lock"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), [(p.name, oct(p.stat().st_mode)) for p in files]
    assert segment.index == 1


@pytest.mark.parametrize("make", ["file", "foreign"])
def test_a_path_that_is_not_a_store_is_refused(tmp_path, guide, make):
    from companion.store import Store

    root = tmp_path / "x"
    if make == "file":
        root.write_text("hello")
    else:
        root.mkdir()
        (root / "pyproject.toml").write_text("")
        (root / "src").mkdir()
    store = Store(root)
    with pytest.raises(StoreError) as caught:
        store.sessions()
    assert "\n" not in str(caught.value)
    with pytest.raises(StoreError):
        store.create(guide, "PR11")
    assert not (root / "PR11").exists() if root.is_dir() else True


def test_amend_adds_a_correction_timed_like_its_note(store, guide):
    writer = store.create(guide, "PR11")
    seq = note(writer, 7.5, "teh note").result()["seq"]
    writer.close()
    record = store.amend(f"PR11/{writer.session_id}", "note.corrected", note=seq, text="the note")
    last = record.events[-1]
    assert (last["type"], last["seq"], last["t"], last["note"], last["text"]) == ("note.corrected", 4, 7.5, seq, "the note")
    with pytest.raises(ValueError):
        store.amend(writer.path, "session.end", status="complete")


def test_amend_refuses_a_session_being_written(store, guide):
    from companion.store import SessionLockedError

    writer = store.create(guide, "PR11")
    with pytest.raises(SessionLockedError):
        store.amend(writer.path, "note.tagged", note=1, codes=[])
    writer.close()


def test_a_guide_edited_live_is_copied_and_used_on_resume(store, guide):
    from dataclasses import replace

    writer = store.create(guide, "PR11")
    edited = replace(guide, title="Edited live")
    name = writer.save_guide_copy(edited)
    assert name == "guide-02.yaml" and writer.guide == edited
    writer.append("guide.reloaded", 1.0, copy=name)
    writer.close("interrupted")
    resumed = store.resume(writer.path)
    assert resumed.guide.title == "Edited live"
    resumed.close()
    assert store.open(writer.path).guide.title == "Edited live"


def test_check_usable(tmp_path, store):
    store.check_usable()  # missing: fine, created at the first interview
    (tmp_path / "file").write_text("")
    from companion.store import Store

    with pytest.raises(StoreError, match="is a file"):
        Store(tmp_path / "file").check_usable()


def test_a_failed_creation_leaves_nothing_half_made(store, guide, monkeypatch):
    import companion.store.meta as meta

    def broken(guide):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(meta, "guide_data", broken)
    with pytest.raises(StoreError, match="No space left on device"):
        store.create(guide, "PR11")
    assert not (store.root / "PR11").exists()  # not even an empty participant folder
    assert store.sessions() == []


def test_a_session_that_cannot_write_its_first_line_is_not_created(store, guide, monkeypatch):
    from companion.store.journal import JournalFile

    def full(self, line):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(JournalFile, "append", full)
    with pytest.raises(StoreError, match="No space left on device"):
        store.create(guide, "PR11")
    assert not (store.root / "PR11").exists()


def test_the_repository_default_store_with_its_readme_is_an_empty_store(tmp_path, monkeypatch):
    """A fresh clone runs with ./sessions, which holds only the committed README."""
    (tmp_path / "sessions").mkdir()
    (tmp_path / "sessions" / "README.md").write_text("# sessions/\n")
    monkeypatch.delenv("COMPANION_SESSIONS", raising=False)
    result = subprocess.run([sys.executable, "-m", "companion", "sessions", "--json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
    Store(tmp_path / "sessions").check_usable()
