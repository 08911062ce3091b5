"""A cold listing reads a settled session without its lock, and still repairs — under the
lock — every session that needs it: in progress, a log not clean, audio left unfinished."""

from __future__ import annotations

import wave

import pytest
import yaml

from companion.store import Store
from companion.store import reading


def closed(store: Store, guide, participant: str, notes: int = 2):
    writer = store.create(guide, participant)
    for i in range(notes):
        writer.append("note", 1.0 + i, text=f"note {i}", codes=[], question=None, stage=None)
    writer.close()
    return writer


def write_wav(path, frames: int, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x01\x00" * frames)


@pytest.fixture
def locks_taken(monkeypatch) -> list:
    taken = []
    real = reading.try_lock

    def counting(folder):
        taken.append(folder.parent.name)
        return real(folder)

    monkeypatch.setattr(reading, "try_lock", counting)
    return taken


def test_settled_sessions_are_listed_without_their_lock(store, guide, locks_taken):
    closed(store, guide, "PR1")
    closed(store, guide, "PR2", notes=3)
    left = store.create(guide, "PR3")
    left.abandon()  # a dead writer's session: in progress on disk, repaired under its lock
    listed = {s.participant: (s.status, s.notes) for s in Store(store.root).sessions()}
    assert listed == {"PR1": ("complete", 2), "PR2": ("complete", 3), "PR3": ("interrupted", 0)}
    assert locks_taken == ["PR3"]


def test_a_closed_session_with_a_torn_last_line_is_still_set_aside(store, guide, locks_taken):
    writer = closed(store, guide, "PR1")
    with open(writer.path / "events.jsonl", "ab") as log:
        log.write(b'{"seq": 99, "t": 5.0, "type": "no')
    [s] = Store(store.root).sessions()
    assert locks_taken == ["PR1"]
    assert s.notes == 2 and any("torn" in p and "set aside" in p for p in s.problems)
    assert (writer.path / "events.jsonl.corrupt").read_bytes().startswith(b'{"seq": 99')
    assert (writer.path / "events.jsonl").read_bytes().endswith(b"\n")


def test_a_closed_session_with_a_leftover_partial_file_is_repaired(store, guide, locks_taken):
    pytest.importorskip("companion.audio.wavfile")
    writer = closed(store, guide, "PR1")
    write_wav(writer.path / "audio-01.partial.wav", 8000)
    [s] = Store(store.root).sessions()
    assert locks_taken == ["PR1"]
    assert not (writer.path / "audio-01.partial.wav").exists() and (writer.path / "audio-01.wav").exists()
    assert s.duration is not None and s.duration >= 1.0


def test_a_closed_session_whose_segment_length_was_never_recorded_is_repaired(store, guide, locks_taken):
    writer = closed(store, guide, "PR1")
    write_wav(writer.path / "audio-01.wav", 16000)
    meta_path = writer.path / "session.yaml"
    meta = yaml.safe_load(meta_path.read_text())
    meta["segments"] = [{"index": 1, "file": "audio-01.wav", "start": 0.0}]
    meta_path.write_text(yaml.safe_dump(meta))
    [s] = Store(store.root).sessions()
    assert locks_taken == ["PR1"]
    assert yaml.safe_load(meta_path.read_text())["segments"][0]["frames"] == 16000
    assert s.duration is not None and s.duration >= 2.0
