"""`companion sessions`, `purge` and `withdraw` through real processes: output, exit codes,
one sentence for bad input and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from companion.store.layout import PURGE_LOG


def companion(*args: str, root: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COMPANION_SESSIONS"}
    result = subprocess.run([sys.executable, "-m", "companion", *args, "--sessions", str(root)],
                            capture_output=True, text=True, timeout=60, env=env, check=False, **kwargs)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def refused(result: subprocess.CompletedProcess) -> str:
    """The one-line refusal of a command that exits 2."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("companion: "), result.stderr
    return lines[0]


def test_an_empty_or_missing_store(tmp_path):
    root = tmp_path / "sessions"
    result = companion("sessions", "--json", root=root)
    assert result.returncode == 0 and json.loads(result.stdout) == []
    result = companion("sessions", root=root)
    assert result.returncode == 0 and result.stdout == f"No sessions yet in {root} (--sessions).\n"
    assert companion("purge", root=root).stdout == f"No session in {root} is due for destruction.\n"
    assert not root.exists()


def test_sessions_lists_every_session(store, guide):
    writer = store.create(guide, "PR11")
    writer.append("flag", 1.0, kind="safeguarding", note=None)
    writer.close()
    [row] = json.loads(companion("sessions", "--json", root=store.root).stdout)
    assert row["participant"] == "PR11" and row["session"] == writer.session_id and row["guide"] == "professional"
    assert (row["status"], row["notes"], row["flags"], row["safeguarding"], row["due"]) == ("complete", 0, 0, 1, False)
    assert row["started"] and row["retain_until"]
    table = companion("sessions", root=store.root).stdout.splitlines()
    assert table[0].split()[:3] == ["PARTICIPANT", "SESSION", "GUIDE"] and table[1].split()[0] == "PR11"


@pytest.mark.parametrize("text", ["John Smith", "john", "../x", "", "\u0420R11", "PR11/../PR12"])
def test_withdraw_refuses_a_malformed_id(store, guide, text):
    store.create(guide, "PR11").close()
    line = refused(companion("withdraw", text, "--yes", root=store.root))
    assert "is not a participant ID" in line and line.endswith("never use a name.")
    assert (store.root / "PR11").exists()


def test_withdraw_refuses_john_smith_with_the_sentence(tmp_path):
    line = refused(companion("withdraw", "John Smith", root=tmp_path))
    assert line.startswith("companion: 'John Smith' is not a participant ID: IDs look like ")
    assert "PR11 (PR followed by digits)" in line


def test_purge_lists_only_due_sessions_and_yes_removes_them(store, guide, old_guide):
    due = store.create(old_guide, "PR11")
    due.close()
    kept = store.create(guide, "PR12")
    kept.close()
    listing = companion("purge", root=store.root)
    assert listing.returncode == 0
    assert f"PR11/{due.session_id}" in listing.stdout and "PR12" not in listing.stdout
    assert "nothing was deleted" in listing.stdout and due.path.exists()
    result = companion("purge", "--yes", root=store.root)
    assert result.returncode == 0 and f"Deleted PR11/{due.session_id}" in result.stdout
    assert not (store.root / "PR11").exists() and kept.path.exists()
    [line] = (store.root / PURGE_LOG).read_text().splitlines()
    assert json.loads(line)["session"] == due.session_id


def test_withdraw_lists_then_deletes_with_yes(store, guide):
    writer = store.create(guide, "PR11")
    writer.close()
    listing = companion("withdraw", "PR11", root=store.root)
    assert listing.returncode == 0 and f"PR11/{writer.session_id}" in listing.stdout and writer.path.exists()
    result = companion("withdraw", "PR11", "--yes", root=store.root)
    assert result.returncode == 0 and not (store.root / "PR11").exists()
    assert json.loads((store.root / PURGE_LOG).read_text())["reason"] == "withdrawn"
    assert companion("withdraw", "PR11", root=store.root).stdout.startswith("Nothing is held for PR11")


def test_a_store_path_that_is_a_file_or_not_a_store(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("hello")
    for args in (("sessions",), ("sessions", "--json"), ("purge", "--yes"), ("withdraw", "PR11", "--yes")):
        assert "is a file, not a folder" in refused(companion(*args, root=file))
    foreign = tmp_path / "project"
    (foreign / "src").mkdir(parents=True)
    (foreign / "README.md").write_text("")
    assert "is not a session store" in refused(companion("sessions", root=foreign))
    assert sorted(p.name for p in foreign.iterdir()) == ["README.md", "src"]


def test_an_unreadable_store(tmp_path):
    root = tmp_path / "sessions"
    root.mkdir()
    root.chmod(0o000)
    try:
        if os.geteuid() == 0:
            # root reads anything: run the real CLI in a process that drops to nobody first.
            code = (
                "import os, sys, json, companion.cli, companion.commands.sessions, companion.store, "
                "companion.guide.loader, encodings.utf_8_sig, locale\n"
                "companion.cli.build_parser()\n"
                "os.setgid(65534); os.setuid(65534)\n"
                f"sys.exit(companion.cli.main(['sessions', '--sessions', {str(root)!r}]))\n"
            )
            result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
            assert "Traceback" not in result.stderr, result.stderr
        else:
            result = companion("sessions", root=root)
        assert "Cannot read the session store" in refused(result) and "permission denied" in result.stderr
    finally:
        root.chmod(0o700)


def test_withdraw_names_the_same_number_written_with_other_zeros(store, guide):
    """C9 typed for C09 files one person under two IDs: withdrawing either says the other is
    held, most sessions first; a folder holding no session is not named."""
    for participant in ("PR09", "PR9", "PR9", "PR19"):
        store.create(guide, participant).close()
    (store.root / "PR0009").mkdir()  # no session in it
    nothing = companion("withdraw", "PR009", root=store.root).stdout.splitlines()
    assert nothing[0].startswith("Nothing is held for PR009")
    assert nothing[1].startswith("Also held, the same number written with other zeros: PR9 (2 sessions) and "
                                 "PR09 (1 session). They are other IDs") and "PR0009" not in nothing[1]
    listing = companion("withdraw", "PR9", root=store.root).stdout
    assert "other zeros: PR09 (1 session). It is another ID" in listing and "run `companion withdraw PR09`" in listing
    assert "PR19" not in listing and "PR0009" not in listing
    result = companion("withdraw", "PR09", "--yes", root=store.root)
    assert result.returncode == 0 and "other zeros: PR9 (2 sessions)." in result.stdout
    assert not (store.root / "PR09").exists() and (store.root / "PR9").exists() and (store.root / "PR19").exists()
    assert "Also held" not in companion("withdraw", "PR19", root=store.root).stdout
