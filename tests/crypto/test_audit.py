"""The audit log: an entry for each access, never content; a deleted or edited entry is found."""

from __future__ import annotations

import json

from cryptokit import NOTE_MARKER, companion


def entries(root):
    return [json.loads(line) for line in (root / "audit-log.jsonl").read_text().splitlines()]


def test_every_access_is_logged_and_the_chain_verifies(study, tmp_path):
    root, ref = study.root, study.ref
    companion("--sessions", root, "export", ref, "-f", "md", "-o", "-", *study.key)
    companion("--sessions", root, "export", ref, "-f", "md", "-o", "-")  # refused: no key
    companion("--sessions", root, "decrypt", ref, "-o", tmp_path / "out", *study.key)
    companion("--sessions", root, "withdraw", "PR11", "--yes")
    log = entries(root)
    assert [e["command"] for e in log] == ["key enrol", "export --format md", "export --format md", "decrypt",
                                           "withdraw PR11"]
    assert [e["outcome"][:7] for e in log[1:4]] == ["ok", "refused", "ok"]
    assert all(e["sessions"] == [ref] for e in log[1:])
    assert all(e["user"] and e["when"] and e["host"] is not None for e in log)
    assert NOTE_MARKER not in (root / "audit-log.jsonl").read_text()
    done = companion("--sessions", root, "audit", "--verify")
    assert done.returncode == 0 and "intact: 5 entries" in done.stdout
    listing = companion("--sessions", root, "audit")
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 5 and "decrypt" in listing.stdout


def test_a_deleted_or_edited_entry_is_detected(study):
    root = study.root
    for _ in range(3):
        companion("--sessions", root, "export", study.ref, "-f", "md", "-o", "-")
    path = root / "audit-log.jsonl"
    good = path.read_text().splitlines(keepends=True)
    path.write_text("".join(good[:2] + good[3:]))  # entry 3 deleted
    done = companion("--sessions", root, "audit", "--verify")
    assert done.returncode == 1 and "line 3: entry 4 does not follow the line before it" in done.stderr
    path.write_text("".join(good[:-1] + [good[-1].replace("refused", "ok: fine")]))  # the last entry edited
    done = companion("--sessions", root, "audit", "--verify")
    assert done.returncode == 1 and "line 4: entry 4 was edited" in done.stderr
    path.write_text("".join(good[1:]))  # the first entry deleted
    done = companion("--sessions", root, "audit", "--verify")
    assert done.returncode == 1 and "line 1: entry 2 does not follow" in done.stderr
