"""`companion guides` and `companion guide check` through a real subprocess:
exit statuses, what goes to stdout and stderr, and never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
VALID, BROKEN = HERE / "valid", HERE / "broken"


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_check_valid_files_prints_ok_and_exits_0(run_companion):
    result = run_companion("guide", "check", str(VALID / "mini.yaml"), str(VALID / "carer-mini.yaml"), str(VALID / "codes.yaml"))
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"OK {VALID / 'mini.yaml'} (2 stages, 3 questions)",
        f"OK {VALID / 'carer-mini.yaml'} (1 stage, 1 question)",
        f"OK {VALID / 'codes.yaml'} (codebook, 3 codes)",
    ]
    assert result.stderr == ""


def test_check_prints_every_problem_on_stderr_and_exits_1(run_companion):
    result = run_companion("guide", "check", str(VALID / "mini.yaml"), str(BROKEN / "unknown-key-probe.yaml"), str(BROKEN / "bad-pattern.yaml"))
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout == f"OK {VALID / 'mini.yaml'} (2 stages, 3 questions)\n"
    assert result.stderr.splitlines() == [
        f"{BROKEN / 'unknown-key-probe.yaml'}:43:9: unknown key 'probe' in question 'early-goal' — did you mean 'probes'?",
        f"{BROKEN / 'bad-pattern.yaml'}:11:12: participant_id pattern 'PR[0-9{{1,4}}' is not a valid regular expression: "
        "unterminated character set at position 2",
    ]


def test_check_every_broken_guide_at_once(run_companion):
    paths = sorted(str(p) for p in BROKEN.glob("*.yaml"))
    result = run_companion("guide", "check", *paths)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == len(paths)  # one fault each, one line each


@pytest.mark.parametrize("target", ["missing.yaml", "."], ids=["missing file", "folder"])
def test_check_a_missing_file_or_folder_is_a_usage_error(run_companion, tmp_path, target):
    shutil.copy(VALID / "mini.yaml", tmp_path / "mini.yaml")
    result = run_companion("guide", "check", "mini.yaml", target, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stdout == "OK mini.yaml (2 stages, 3 questions)\n"
    reason = "no such file" if target != "." else "is a folder, not a YAML file"
    assert result.stderr == f"companion: {target}: {reason}\n"


def test_check_relative_paths_are_shown_as_given(run_companion):
    result = run_companion("guide", "check", "broken/empty.yaml", "broken/tab-indent.yaml", cwd=HERE)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "broken/empty.yaml: the file is empty"
    assert result.stderr.splitlines()[1].startswith("broken/tab-indent.yaml:45:1: YAML syntax error")


def test_check_without_paths_checks_the_guide_folders(run_companion, tmp_path):
    for name in ("mini.yaml", "codes.yaml"):
        shutil.copy(VALID / name, tmp_path / name)
    result = run_companion("guide", "check", "--guides", str(tmp_path))
    no_traceback(result)
    assert f"OK {tmp_path / 'mini.yaml'} (2 stages, 3 questions)" in result.stdout.splitlines()
    assert f"OK {tmp_path / 'codes.yaml'} (codebook, 3 codes)" in result.stdout.splitlines()


def test_non_utf8_and_binary_files_are_problems_not_crashes(run_companion, tmp_path):
    (tmp_path / "latin1.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    (tmp_path / "binary.yaml").write_bytes(bytes(range(256)))
    result = run_companion("guide", "check", "latin1.yaml", "binary.yaml", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "latin1.yaml:1:11: not UTF-8 text (byte 0xe9): save the file as UTF-8"
    assert result.stderr.splitlines()[1] == "binary.yaml:2:118: not UTF-8 text (byte 0x80): save the file as UTF-8"


def test_guides_lists_the_guides_in_a_folder(run_companion, tmp_path):
    for name in ("mini.yaml", "carer-mini.yaml", "codes.yaml"):
        shutil.copy(VALID / name, tmp_path / name)
    result = run_companion("--guides", str(tmp_path), "guides", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "AUDIENCE", "STAGES", "QUESTIONS", "FILE"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert " ".join(rows["mini"][1:5]) == "Mini guide for tests"
    assert rows["mini"][-4:] == ["professional", "2", "3", "mini.yaml"]
    assert rows["carer-mini"][-4:] == ["carer", "1", "1", "carer-mini.yaml"]
    assert "codes" not in rows  # a codebook is not a guide


def test_guides_lists_a_broken_guide_with_its_first_problem_and_exits_1(run_companion, tmp_path):
    shutil.copy(VALID / "mini.yaml", tmp_path / "mini.yaml")
    shutil.copy(BROKEN / "bad-audience.yaml", tmp_path / "bad-audience.yaml")
    result = run_companion("guides", "--guides", str(tmp_path), cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1
    assert "BROKEN bad-audience.yaml:3:11: audience 'clinician' should be one of" in result.stdout


def test_help_on_each_command(run_companion):
    for args in (["guides", "--help"], ["guide", "--help"], ["guide", "check", "--help"]):
        result = run_companion(*args)
        assert result.returncode == 0 and result.stdout.startswith("usage: companion "), args
    assert "check" in run_companion("guide", "--help").stdout
    assert "guides" in run_companion("--help").stdout


def test_guide_without_an_action_shows_usage_and_exits_2(run_companion):
    result = run_companion("guide")
    no_traceback(result)
    assert result.returncode == 2 and "usage: companion guide" in result.stderr


def test_the_commands_do_not_load_textual_or_numpy(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from companion.cli import main\n"
        f"main(['guide', 'check', {str(VALID / 'mini.yaml')!r}]); main(['guides'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'numpy', 'sounddevice')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert out.splitlines()[-1] == "[]"
