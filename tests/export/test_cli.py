"""`companion export` and `companion report` end to end, through a subprocess on a real store."""

from __future__ import annotations

import json
import subprocess
import sys


def companion(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, cwd=cwd)


def test_export_all_prints_paths_and_warns(stored, readers):
    root, ref = stored
    done = companion("--sessions", str(root), "export", ref, "--format", "all")
    assert done.returncode == 0, done.stderr
    paths = done.stdout.split()
    assert len(paths) == 8 and all("/exports/PR11-" in p for p in paths)
    assert "safeguarding" in done.stderr and "Traceback" not in done.stderr
    vtt = next(p for p in paths if p.endswith(".vtt"))
    with open(vtt, encoding="utf-8") as handle:
        assert len(readers.vtt(handle.read())) == 11


def test_export_to_stdout_from_a_session_folder(stored, readers):
    root, ref = stored
    done = companion("export", str(root / ref), "--format", "srt", "-o", "-")
    assert done.returncode == 0, done.stderr
    cues = readers.srt(done.stdout)
    assert len(cues) == 12 and cues[0] == (0, 0, f"[audio: {(root / ref / 'audio.wav').resolve().as_posix()}]")
    done = companion("export", str(root / ref), "--format", "all", "-o", "-")
    assert done.returncode == 2 and done.stderr.startswith("companion: ") and done.stdout == ""


def test_unknown_session_or_format_is_one_line(stored):
    root, _ = stored
    done = companion("--sessions", str(root), "export", "PR99/20240101-000000", "--format", "md")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "PR99" in done.stderr
    done = companion("--sessions", str(root), "export", "x", "--format", "pdf")
    assert done.returncode == 2 and "unknown export format" in done.stderr


def test_report_counts_coverage_and_codes(stored, write_session):
    root, _ = stored
    write_session(root)  # a second interview with the same guide
    done = companion("--sessions", str(root), "report", "--json")
    assert done.returncode == 0, done.stderr
    [report] = json.loads(done.stdout)
    assert report["guide"] == "professional" and report["sessions"] == 2
    counts = {q["question"]: (q["covered"], q["skipped"], q["shown-not-marked"], q["not-reached"])
              for q in report["questions"]}
    assert counts == {"background": (2, 0, 0, 0), "early-goal": (2, 0, 0, 0), "first-meeting": (0, 2, 0, 0),
                      "stuck": (2, 0, 0, 0), "carers": (0, 0, 2, 0), "exit": (0, 0, 0, 2)}
    codes = {c["code"]: (c["notes"], c["sessions"]) for c in report["codes"]}
    assert codes["listening"] == (4, 2) and codes["stuck.recognising"] == (2, 2)
    assert report["codes"][0]["code"] == "family" or report["codes"][0]["notes"] >= report["codes"][-1]["notes"]


def test_report_table_names_questions_never_covered(stored):
    root, _ = stored
    done = companion("--sessions", str(root), "report", "--guide", "professional")
    assert done.returncode == 0, done.stderr
    assert "Core questions never covered: first-meeting, carers, exit" in done.stdout
    assert "Codes by use" in done.stdout
    done = companion("--sessions", str(root), "report", "--guide", "carer")
    assert done.returncode == 2 and "carer" in done.stderr
