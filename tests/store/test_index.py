"""The store's index (index.sqlite): derived, never stale, rebuildable, private.

Every listing must show what the logs say now: a session added, resumed, amended,
purged, withdrawn, or copied in or written by another process shows correctly in the
next listing. Deleting the index loses nothing; a damaged one is rebuilt with a notice.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from companion.guide.model import Code, ConsentItem, Guide, IdRule, Question, Stage, Study
from companion.store import Store
from companion.store.layout import INDEX_NAME

ROOT = Path(__file__).resolve().parents[2]


def rich_guide(project_end: date | None = None) -> Guide:
    stages = (Stage("context", "Context", (Question("background", "Background?"), Question("role", "Role?"))),
              Stage("care", "Care", (Question("plans", "Plans?"),)))
    return Guide("professional", "Professional", "professional",
                 Study("Recovery study", project_end=project_end, retention_years=3),
                 IdRule("PR", "PR[0-9]{1,4}", "PR11"), (ConsentItem("record", "We record.", True, True),),
                 stages, (), (Code("hope", "Hope"), Code("stuck", "Feeling stuck")))


def interview(store: Store, participant: str, notes: int = 2, guide: Guide | None = None, close: bool = True,
              text: str = "a note"):
    writer = store.create(guide or rich_guide(), participant)
    writer.append("question.shown", 1.0, question="background", stage="context")
    for i in range(notes):
        writer.append("note", 2.0 + i, text=f"{text} {i}", codes=["hope"], question="background", stage="context")
    writer.append("question.covered", 3.0 + notes, question="background", stage="context")
    if close:
        writer.close()
    else:
        writer.flush()
    return writer


def listing(store: Store) -> list[tuple]:
    return [(s.ref, s.status, s.notes, s.flags, s.safeguarding, s.duration, s.due) for s in Store(store.root).sessions()]


def from_logs(store: Store) -> list[tuple]:
    """The same listing with no index at all: every log read afresh."""
    saved = store.root / "saved-index"
    for name in os.listdir(store.root):
        if name.startswith(INDEX_NAME):
            os.rename(store.root / name, saved.with_name("saved-" + name))
    try:
        return listing(store)
    finally:
        for name in os.listdir(store.root):
            if name.startswith(INDEX_NAME):
                os.unlink(store.root / name)
            if name.startswith("saved-"):
                os.rename(store.root / name, store.root / name.removeprefix("saved-"))


def rows(store: Store, table: str = "sessions") -> list[tuple]:
    with sqlite3.connect(store.root / INDEX_NAME) as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "sessions")


def test_the_index_is_made_at_the_store_root_private_and_used_again(store):
    interview(store, "PR1")
    first = listing(store)
    path = store.root / INDEX_NAME
    assert path.is_file() and (os.stat(path).st_mode & 0o777) == 0o600
    assert [r[0] for r in rows(store)] == [first[0][0]]
    assert listing(store) == first == from_logs(store)


def test_a_session_added_shows_in_the_next_listing(store):
    interview(store, "PR1")
    listing(store)
    interview(store, "PR2", notes=5)
    assert [(r[0].split("/")[0], r[2]) for r in listing(store)] == [("PR1", 2), ("PR2", 5)]


def test_a_resumed_session_shows_live_then_its_new_notes(store):
    writer = interview(store, "PR1", notes=1, close=False)
    writer.abandon()
    assert listing(store)[0][1:3] == ("interrupted", 1)
    resumed = store.resume(f"PR1/{writer.session_id}")
    assert listing(store)[0][1] == "in-progress"
    resumed.append("note", 30.0, text="after", codes=[], question=None, stage=None).result()
    assert listing(store)[0][1:3] == ("in-progress", 2)
    resumed.close()
    assert listing(store)[0][1:3] == ("complete", 2)
    assert listing(store) == from_logs(store)


def test_a_live_session_whose_process_dies_reads_interrupted_without_any_file_changing(store):
    writer = interview(store, "PR1", close=False)
    assert listing(store)[0][1] == "in-progress"
    writer.abandon()  # the lock goes as a killed process's would; session.yaml still says in-progress
    assert listing(store)[0][1] == "interrupted"


def test_a_note_amended_in_review_changes_the_report(store):
    from companion.review.report import store_reports

    writer = interview(store, "PR1", notes=2)
    [report], _ = store_reports(Store(store.root))
    assert [(c.code, c.notes) for c in report.codes] == [("hope", 2), ("stuck", 0)]
    record = store.open(f"PR1/{writer.session_id}")
    first = next(e["seq"] for e in record.events if e["type"] == "note")
    store.amend(f"PR1/{writer.session_id}", "note.tagged", note=first, codes=["stuck"])
    [report], _ = store_reports(Store(store.root))
    assert [(c.code, c.notes, c.sessions) for c in report.codes] == [("hope", 1, 1), ("stuck", 1, 1)]


def test_purged_sessions_leave_the_listing_and_the_index(store):
    interview(store, "PR1", guide=rich_guide(project_end=date(2015, 6, 30)))
    interview(store, "PR2")
    listing(store)
    deleted, skipped = Store(store.root).purge()
    assert [d.participant for d in deleted] == ["PR1"] and not skipped
    assert [r[0].split("/")[0] for r in listing(store)] == ["PR2"]
    assert [r[0].split("/")[0] for r in rows(store)] == ["PR2"]


def test_a_withdrawn_participant_leaves_no_row_behind(store):
    interview(store, "PR1")
    interview(store, "PR12")
    listing(store)
    Store(store.root).withdraw("PR1")
    assert [r[0] for r in rows(store)] == [listing(store)[0][0]]
    for table in ("coverage", "codes"):
        assert {r[0].split("/")[0] for r in rows(store, table)} == {"PR12"}


def test_sessions_deleted_behind_its_back_vanish_from_the_listing(store):
    first = interview(store, "PR1")
    interview(store, "PR2")
    listing(store)
    shutil.rmtree(first.path)
    assert [r[0].split("/")[0] for r in listing(store)] == ["PR2"]


def test_a_session_copied_in_by_another_process_shows(store, tmp_path):
    other = Store(tmp_path / "elsewhere")
    copied = interview(other, "PR7", notes=4)
    interview(store, "PR1")
    listing(store)
    subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2])",
                    str(copied.path), str(store.root / "PR7" / copied.session_id)], check=True)
    assert [(r[0].split("/")[0], r[2]) for r in listing(store)] == [("PR1", 2), ("PR7", 4)]


def test_notes_written_by_another_process_show(store):
    writer = interview(store, "PR1", notes=1, close=False)
    writer.abandon()
    listing(store)
    code = textwrap.dedent(f"""
        from companion.store import Store
        store = Store({str(store.root)!r})
        store.amend("PR1/{writer.session_id}", "note.corrected", note=3, text="x")
        w = store.resume("PR1/{writer.session_id}")
        w.append("flag", 9.0, kind="safeguarding", note=None)
        w.close()
    """)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert listing(store)[0][1:5] == ("complete", 1, 0, 1)


def test_a_same_size_rewrite_of_session_yaml_is_seen(store):
    """in-progress and interrupted are both 11 letters: the inode of the atomic replace tells."""
    writer = interview(store, "PR1", close=False)
    writer.abandon()
    meta = writer.path / "session.yaml"
    assert listing(store)[0][1] == "interrupted"  # and session.yaml is repaired to say so
    text = meta.read_text()
    stamp = os.stat(meta)
    replacement = meta.with_suffix(".new")
    replacement.write_text(text.replace("status: interrupted", "status: complete   "))
    os.utime(replacement, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    os.replace(replacement, meta)
    assert os.stat(meta).st_size == stamp.st_size and os.stat(meta).st_mtime_ns == stamp.st_mtime_ns
    assert listing(store)[0][1] == "complete"


def test_deleting_the_index_loses_nothing(store):
    for n in range(1, 4):
        interview(store, f"PR{n}", notes=n)
    before = listing(store)
    for name in os.listdir(store.root):
        if name.startswith(INDEX_NAME):
            os.unlink(store.root / name)
    assert listing(store) == before


def test_a_damaged_index_is_rebuilt_with_a_one_line_notice(store):
    interview(store, "PR1")
    before = listing(store)
    (store.root / INDEX_NAME).write_bytes(b"this is not a database" * 100)
    for name in ("-wal", "-shm"):
        (store.root / (INDEX_NAME + name)).unlink(missing_ok=True)
    fresh = Store(store.root)
    assert [s.ref for s in fresh.sessions()] == [before[0][0]]
    assert len(fresh.notices) == 1 and "rebuilt" in fresh.notices[0]
    assert listing(store) == before and Store(store.root).notices == []


def test_the_cli_says_so_in_one_line_when_it_rebuilds(store):
    interview(store, "PR1")
    listing(store)
    (store.root / INDEX_NAME).write_bytes(b"\0garbage" * 512)
    result = subprocess.run([sys.executable, "-m", "companion", "--sessions", str(store.root), "sessions"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "PR1" in result.stdout
    assert len(result.stderr.splitlines()) == 1 and "index" in result.stderr


def test_no_note_text_is_ever_put_in_the_index(store):
    interview(store, "PR1", text="Zanzibar-unique-words")
    listing(store)
    from companion.review.report import store_reports

    store_reports(Store(store.root))
    for name in os.listdir(store.root):
        if name.startswith(INDEX_NAME):
            assert b"Zanzibar" not in (store.root / name).read_bytes()


def test_a_folder_that_is_not_a_store_gets_no_index(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    store = Store(tmp_path)
    assert store.participant_sessions("PR1") == []
    with pytest.raises(Exception):
        store.sessions()
    assert not (tmp_path / INDEX_NAME).exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_store_is_listed_with_an_index_in_memory(store):
    interview(store, "PR1")
    before = from_logs(store)
    store.root.chmod(0o500)
    try:
        assert listing(store) == before and not (store.root / INDEX_NAME).exists()
    finally:
        store.root.chmod(0o700)


def test_processes_listing_at_once_agree_and_leave_a_sound_index(store):
    for n in range(1, 13):
        interview(store, f"PR{n}", notes=n)
    code = "import json, sys; from companion.store import Store; s = Store(sys.argv[1]); " \
           "print(json.dumps([[x.ref, x.notes] for x in s.sessions()] + [s.notices]))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(store.root)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
             for _ in range(4)]
    outputs = {p.communicate(timeout=60)[0] for p in procs}
    assert len(outputs) == 1 and json.loads(outputs.pop())[-1] == []
    with sqlite3.connect(store.root / INDEX_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert listing(store) == from_logs(store)


def test_a_process_killed_while_indexing_leaves_an_index_that_needs_no_rebuild(store):
    for n in range(1, 40):
        interview(store, f"PR{n}", notes=30)
    code = "import sys\nfrom companion.store import Store\nwhile True:\n    Store(sys.argv[1]).sessions()\n" \
           "    import os\n    [os.unlink(os.path.join(sys.argv[1], n)) for n in os.listdir(sys.argv[1]) if n == 'index.sqlite']\n"
    for delay in (0.3, 0.6, 0.9):
        child = subprocess.Popen([sys.executable, "-c", code, str(store.root)], cwd=ROOT)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        fresh = Store(store.root)
        assert [(s.ref, s.notes) for s in fresh.sessions()] == [(r[0], r[2]) for r in from_logs(store)]
        assert fresh.notices == []


def test_the_report_from_the_index_matches_one_folded_from_the_logs(store):
    """The report the index makes is the one every session's fold would make."""
    from companion.review.fold import fold
    from companion.review.report import store_reports

    older = rich_guide()
    newer = Guide(**{**vars(older), "stages": older.stages[:1] + (Stage("end", "End", (Question("last", "Last?"),)),)})
    for n, guide in enumerate([older, older, newer, older], start=1):
        writer = interview(store, f"PR{n}", notes=n, guide=guide)
        if n == 2:
            writer_path = writer.path
    store.amend(f"PR2/{writer_path.name}", "note.tagged", note=3, codes=["stuck", "hope"])
    [report], skipped = store_reports(Store(store.root))
    views = [fold(r.guide, r.events, r.meta) for r in (store.open(s.path) for s in store.sessions())]
    states = Counter((c.question, c.state) for v in views for c in v.coverage.values())
    assert not skipped and report.sessions == 4
    assert {(q.question, s): n for q in report.questions for s, n in q.counts.items() if n} == dict(states)
    assert [q.question for q in report.questions] == ["background", "role", "plans", "last"]  # the newest copy first
    used = Counter(code for v in views for note in v.notes for code in note.codes)
    assert {c.code: c.notes for c in report.codes} == dict(used)


def test_a_guide_copy_changed_in_place_is_read_again(store):
    from companion.review.report import store_reports
    from companion.store import meta as metafile

    writer = interview(store, "PR1")
    [report], _ = store_reports(Store(store.root))
    assert [q.question for q in report.questions] == ["background", "role", "plans"]
    shorter = Guide(**{**vars(rich_guide()), "stages": rich_guide().stages[:1]})
    with open(writer.path / "guide.yaml", "r+b") as copy:  # in place: same inode, folder untouched
        copy.truncate(0)
        copy.write(metafile.dump(metafile.guide_data(shorter)))
    [report], _ = store_reports(Store(store.root))
    assert [q.question for q in report.questions] == ["background", "role"]
