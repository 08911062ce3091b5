"""A write that fails gives a clear JournalWriteError, keeps the event, and a retry saves it."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from companion.store.journal import JOURNAL_NAME, parse


def check_log(path: Path, last: int) -> list[dict]:
    parsed = parse((path / JOURNAL_NAME).read_bytes())
    assert parsed.clean and not parsed.problems
    assert [e["seq"] for e in parsed.events] == list(range(1, last + 1))
    return parsed.events


def test_file_size_limit_fails_the_write_keeps_the_event_and_retry_saves_it(tmp_path, guide_file, kit):
    result = kit.run_child("fsize", str(tmp_path / "sessions"), str(guide_file))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    first, second = report["errors"]
    assert first.startswith("Could not save event 3 (note)") and "File too large" in first
    assert "kept in memory for a retry" in first
    assert second.startswith("Event 4 (note) is not saved yet")  # waits behind event 3, in order
    assert report["pending"] == [3, 4]
    assert report["retried"] == [3, 4] and report["after"] == 5
    events = check_log(Path(report["path"]), 6)  # start, 4 notes, end: the torn part was cut away
    assert [e.get("text", "")[:6] for e in events[1:5]] == ["note 1", "note 2", "note 3", "note 4"]


def test_read_only_session_folder_fails_the_write_keeps_the_event_and_retry_saves_it(guide_file, kit):
    # A folder nobody but the child's user can reach: the child drops to nobody when run as root.
    top = Path(tempfile.mkdtemp(prefix="companion-ro-"))
    try:
        shutil.copy(guide_file, top / "guide.yaml")
        if os.geteuid() == 0:
            os.chown(top, 65534, 65534)
            os.chown(top / "guide.yaml", 65534, 65534)
        result = kit.run_child("readonly", str(top / "sessions"), str(top / "guide.yaml"), cwd=top)
        if "Permission denied" in result.stderr and "python" in result.stderr.lower():
            pytest.skip("the interpreter is not reachable by the unprivileged user")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["errors"][0].startswith("Could not save event 3 (note)")
        assert "Permission denied" in report["errors"][0]
        assert report["pending"] == [3, 4] and report["retried"] == [3, 4]
        check_log(Path(report["path"]), 5)
    finally:
        shutil.rmtree(top)


def test_unwritable_event_fields_fail_at_the_call_without_using_a_seq(store, guide):
    writer = store.create(guide, "PR11")
    with pytest.raises(TypeError):
        writer.append("note", 1.0, text=object(), codes=[], question=None, stage=None)
    with pytest.raises(ValueError, match="needs text"):
        writer.append("note", 1.0, codes=[], question=None, stage=None)
    with pytest.raises(ValueError, match="unknown event type"):
        writer.append("nonsense", 1.0)
    assert writer.append("recording.break", 1.0).result()["seq"] == 2
    writer.close()
    check_log(writer.path, 3)


def break_journal(path: Path) -> Path:
    """Put a folder where the journal is: opening it fails (EISDIR), even for root."""
    journal = path / JOURNAL_NAME
    aside = path / "journal.aside"
    journal.rename(aside)
    journal.mkdir()
    return aside


def mend_journal(path: Path, aside: Path) -> None:
    (path / JOURNAL_NAME).rmdir()
    aside.rename(path / JOURNAL_NAME)


def test_failed_events_wait_in_order_and_every_retry_future_settles(store, guide):
    from companion.store import JournalWriteError

    writer = store.create(guide, "PR11")
    writer.flush()
    aside = break_journal(writer.path)
    futures = [writer.append("recording.break", float(i)) for i in range(3)]
    for future in futures:
        assert isinstance(future.exception(timeout=5), JournalWriteError)
    assert "Is a directory" in str(futures[0].exception())
    assert [e["seq"] for e in writer.pending] == [2, 3, 4]
    still = writer.retry()  # fails again: each future says so
    assert all(isinstance(f.exception(timeout=5), JournalWriteError) for f in still)
    with pytest.raises(JournalWriteError, match="is not closed: 4 event"):
        writer.close()  # session.end waits behind them too
    mend_journal(writer.path, aside)
    first, second = writer.retry(), writer.retry()  # the second finds them written by the first
    assert [f.result(timeout=5)["seq"] for f in first] == [2, 3, 4, 5]
    assert [f.result(timeout=5)["seq"] for f in second] == [2, 3, 4, 5]
    writer.close()  # no second session.end
    events = check_log(writer.path, 5)
    assert [e["type"] for e in events] == ["session.start"] + ["recording.break"] * 3 + ["session.end"]
    assert store.sessions()[0].status == "complete"
