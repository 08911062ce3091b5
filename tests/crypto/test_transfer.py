"""Transfer to a team store: copied as it is, verified by reading back, logged on both sides;
a damaged copy keeps the local session; --remove-local removes only verified sessions."""

from __future__ import annotations

import json

from cryptokit import companion, write_encrypted_session

from companion import transfer
from companion.store import Store


def test_closed_sessions_move_verified_and_open_ones_are_named(study, tmp_path):
    root, team = study.root, tmp_path / "team"
    open_writer = Store(root).create(__import__("cryptokit").make_guide(), "PR12")
    try:
        done = companion("--sessions", root, "transfer", "--to", team, "--remove-local")
    finally:
        open_writer.abandon()
    assert done.returncode == 0, done.stderr
    assert f"Skipped PR12/{open_writer.path.name}: it is in-progress" in done.stderr
    copied = team / study.ref
    assert (copied / "transfer-manifest.sha256").is_file() and not study.folder.exists()
    assert open_writer.path.exists()
    lines = (copied / "transfer-manifest.sha256").read_text().splitlines()
    assert {line.split("  ")[1] for line in lines} == {"audio-01.sealed", "datakey-01.age", "events.jsonl",
                                                        "guide.yaml", "session.yaml"}
    here = [json.loads(x) for x in (root / "audit-log.jsonl").read_text().splitlines()]
    there = [json.loads(x) for x in (team / "audit-log.jsonl").read_text().splitlines()]
    assert here[-1]["command"] == f"transfer --to {team}" and study.ref in here[-1]["sessions"]
    assert there[-1]["sessions"] == [study.ref] and "received and verified" in there[-1]["outcome"]
    # The team store is a store: listed, and read with the key, across interviewers' sessions.
    listing = companion("--sessions", team, "sessions", "--json")
    assert [s["participant"] for s in json.loads(listing.stdout)] == ["PR11"]
    done = companion("--sessions", team, "report", *study.key)
    assert done.returncode == 0, done.stderr
    assert companion("--sessions", team, "audit", "--verify").returncode == 0


def test_a_damaged_copy_is_detected_and_the_local_copy_kept(study, tmp_path, monkeypatch):
    team = tmp_path / "team"
    real_copy = transfer.copy_file

    def damaging_copy(source, target, progress=None):
        digest = real_copy(source, target, progress)
        if source.name == "events.jsonl":  # the network share flips a bit on the way
            data = bytearray(target.read_bytes())
            data[10] ^= 0x01
            target.write_bytes(bytes(data))
        return digest

    monkeypatch.setattr(transfer, "copy_file", damaging_copy)
    second = write_encrypted_session(study.root)
    outcomes = [transfer.transfer_session(folder, team) for folder in (study.folder, second)]
    assert [o.state for o in outcomes] == ["damaged", "damaged"]
    assert "events.jsonl differs" in outcomes[0].reason
    assert study.folder.exists() and not (team / study.ref).exists()
    assert not list((team / "PR11").iterdir())  # no half copy left behind


def test_remove_local_removes_only_what_verified(study, tmp_path):
    team = tmp_path / "team"
    second = write_encrypted_session(study.root)
    # The team store already holds a different version of the second session: it is refused.
    (team / "PR11" / second.name).mkdir(parents=True)
    (team / "PR11" / second.name / "transfer-manifest.sha256").write_text("0" * 64 + "  events.jsonl\n")
    done = companion("--sessions", study.root, "transfer", "--to", team, "--remove-local")
    assert done.returncode == 1
    assert f"PR11/{second.name} did not verify" in done.stderr and "the local copy is kept" in done.stderr
    assert second.exists() and not study.folder.exists()
    assert (team / study.ref / "events.jsonl").read_bytes()
