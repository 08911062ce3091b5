"""Fixtures for the store tests: a small guide built directly, a store in a temporary folder,
and helpers to run the child scripts that a test kills, limits or locks out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from companion.guide.model import ConsentItem, Guide, IdRule, Question, Stage, Study
from companion.store import Store

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child_writer.py"


def make_guide(project_end: date | None = None, retention_years: int = 3) -> Guide:
    return Guide(
        id="professional",
        title="Interview - Topic Guide (Professional Version)",
        audience="professional",
        study=Study(name="Recovery study", project_end=project_end, retention_years=retention_years),
        participant_id=IdRule(prefix="PR", pattern="PR[0-9]{1,4}", example="PR11"),
        preamble=(ConsentItem(id="record", text="We will record.", required=True, recording_permission=True),),
        stages=(Stage(id="context", title="Context", questions=(Question(id="background", ask="Background?"),)),),
    )


@pytest.fixture
def guide() -> Guide:
    return make_guide()


@pytest.fixture
def old_guide() -> Guide:
    """A guide whose project ended long ago: its sessions are due for destruction at once."""
    return make_guide(project_end=date(2015, 6, 30))


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "sessions")


def write_guide_file(guide: Guide, path: Path) -> Path:
    from companion.guide.loader import guide_data

    path.write_text(yaml.safe_dump(guide_data(guide), sort_keys=False, allow_unicode=True))
    return path


@pytest.fixture
def guide_file(tmp_path, guide) -> Path:
    return write_guide_file(guide, tmp_path / "guide.yaml")


def child(*args: str, **kwargs) -> subprocess.Popen:
    """Start the child writer script with the same interpreter."""
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def run_child(*args: str, timeout: float = 30, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHILD), *args], capture_output=True, text=True,
                          timeout=timeout, check=False, **kwargs)


def walk(root: Path) -> list[Path]:
    """Every path under root (files and folders), for "nothing left behind" checks."""
    found = []
    for folder, dirs, files in os.walk(root):
        found += [Path(folder) / name for name in dirs + files]
    return found


class Kit:
    """The helpers above, for tests (pytest's importlib mode makes conftest unimportable)."""

    make_guide = staticmethod(make_guide)
    write_guide_file = staticmethod(write_guide_file)
    child = staticmethod(child)
    run_child = staticmethod(run_child)
    walk = staticmethod(walk)


@pytest.fixture
def kit() -> Kit:
    return Kit()
