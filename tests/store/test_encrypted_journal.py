"""An encrypted store: each event line sealed on its own, bound to its session and place;
listing and resuming without the private key, reading only with it."""

from __future__ import annotations

import json
import shutil

import pytest
from pyrage import x25519

from companion.crypto import keys
from companion.crypto.errors import KeyRequired, Tampered, WrongKey
from companion.crypto.keyring import Keyring
from companion.store import Store
from companion.store.journal import parse

MARKERS = ("ZEBRA-7731 the crisis team never called back", "QUOKKA-5520 coded as", "FLAG-TEXT-9902")


@pytest.fixture
def study(tmp_path):
    identity = x25519.Identity.generate()
    root = tmp_path / "sessions"
    keys.enrol(root, str(identity.to_public()))
    return Store(root), Keyring(identity, tmp_path / "study.key")


def interview(store, guide):
    writer = store.create(guide, "PR11")
    note = writer.append("note", 1.5, text=MARKERS[0], codes=["QUOKKA-5520"], question="background", stage="context")
    writer.append("flag", 2.0, kind="safeguarding", note=note.seq, text=MARKERS[2])
    writer.append("question.covered", 2.5, question="background", stage="context")
    writer.close()
    return writer.path


def test_no_file_in_the_session_holds_any_content(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    for path in folder.rglob("*"):
        data = path.read_bytes()
        for marker in ("ZEBRA-7731", "QUOKKA-5520", "FLAG-TEXT-9902", "crisis"):
            assert marker.encode() not in data, (path, marker)
    lines = (folder / "events.jsonl").read_bytes().splitlines()
    assert all(json.loads(line)["sealed"] for line in lines)


def test_listing_needs_no_key_and_reading_needs_it(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    [summary] = store.sessions()
    assert (summary.notes, summary.safeguarding, summary.status) == (1, 1, "complete")
    with pytest.raises(KeyRequired, match="is encrypted: give the study's private key"):
        store.open(folder)
    record = store.open(folder, keyring)
    note = next(e for e in record.events if e["type"] == "note")
    assert (note["text"], note["codes"], note["question"]) == (MARKERS[0], ["QUOKKA-5520"], "background")
    assert next(e for e in record.events if e["type"] == "flag")["text"] == MARKERS[2]
    assert not record.problems


def test_another_studys_key_is_named(study, guide, tmp_path):
    store, _ = study
    folder = interview(store, guide)
    other = Keyring(x25519.Identity.generate(), tmp_path / "other.key")
    with pytest.raises(WrongKey, match=r"other.key is not this study's key: .*datakey-01.age was encrypted to key"):
        store.open(folder, other)


def flip(path, line_number, column_from_end=10):
    lines = path.read_bytes().split(b"\n")
    line = bytearray(lines[line_number - 1])
    line[-column_from_end] = ord("A") if line[-column_from_end] != ord("A") else ord("B")
    lines[line_number - 1] = bytes(line)
    path.write_bytes(b"\n".join(lines))


def test_a_flipped_byte_is_reported_at_its_line(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    flip(folder / "events.jsonl", 2)
    with pytest.raises(Tampered, match=r"events.jsonl line 2 was changed or damaged"):
        store.open(folder, keyring)


def test_a_plain_field_edited_is_detected(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    path = folder / "events.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"t": 1.5', b'"t": 9.5', 1))
    with pytest.raises(Tampered, match="line 2"):
        store.open(folder, keyring)


def test_a_log_moved_into_another_session_does_not_open(study, guide):
    store, keyring = study
    first, second = interview(store, guide), interview(store, guide)
    # The first session's log and its data key, put in the second's folder: the key opens the
    # ciphertext, so only the binding to the session (associated data) can refuse it.
    shutil.copy(first / "datakey-01.age", second / "datakey-01.age")
    shutil.copy(first / "events.jsonl", second / "events.jsonl")
    with pytest.raises(Tampered, match="line 1 was changed or damaged"):
        store.open(second, keyring)
    assert store.open(first, keyring).events


def test_lines_swapped_or_removed_are_reported(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    path = folder / "events.jsonl"
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([lines[0], lines[2], lines[1], *lines[3:]]))
    assert any("does not follow" in p for p in store.open(folder, keyring).problems)
    path.write_bytes(b"\n".join([lines[0], *lines[2:]]))
    assert any("a line is missing" in p for p in store.open(folder, keyring).problems)


def test_resume_without_the_key_gets_a_new_data_key(study, guide):
    store, keyring = study
    writer = store.create(guide, "PR11")
    writer.append("note", 1.0, text="before the kill", codes=[], question=None, stage=None).result()
    writer.abandon()
    again = store.resume(f"PR11/{writer.path.name}")
    assert [e.get("text") for e in again.history if e["type"] == "note"] == [None]
    again.append("note", 2.0, text="after resuming", codes=[], question=None, stage=None).result()
    again.close()
    assert (writer.path / "datakey-02.age").exists()
    record = store.open(writer.path, keyring)
    assert [e["text"] for e in record.events if e["type"] == "note"] == ["before the kill", "after resuming"]
    ks = [json.loads(line)["k"] for line in (writer.path / "events.jsonl").read_bytes().splitlines()]
    assert ks[0] == 1 and ks[-1] == 2


def test_corrections_are_sealed(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    record = store.amend(folder, "note.corrected", keyring, note=2, text="CORRECTED-4411")
    assert record.events[-1]["text"] == "CORRECTED-4411"
    assert b"CORRECTED-4411" not in (folder / "events.jsonl").read_bytes()


def test_a_torn_last_line_is_still_set_aside(study, guide):
    store, keyring = study
    folder = interview(store, guide)
    path = folder / "events.jsonl"
    data = path.read_bytes()
    path.write_bytes(data + data.split(b"\n")[1][:40])
    parsed = parse(path.read_bytes())
    assert parsed.torn and len(parsed.events) == 5
    record = store.open(folder, keyring)
    assert len(record.events) == 5 and any("torn" in p for p in record.problems)


def test_a_plain_store_is_unchanged(guide, tmp_path):
    store = Store(tmp_path / "plain")
    folder = interview(store, guide)
    assert MARKERS[0].encode() in (folder / "events.jsonl").read_bytes()
    assert store.open(folder).events[1]["text"] == MARKERS[0]
