"""Fixtures for the guide loader tests: small valid guides and the broken-guide folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

VALID = Path(__file__).resolve().parent / "valid"


@pytest.fixture
def mini_text() -> str:
    """A small valid guide (inline codebook) to break in tests."""
    return (VALID / "mini.yaml").read_text(encoding="utf-8")


@pytest.fixture
def run_companion():
    """Run ``python -m companion ARGS`` for real; returns the CompletedProcess."""

    def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        environment = dict(os.environ)
        environment.pop("COMPANION_SESSIONS", None)
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "companion", *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=environment,
            timeout=120,
        )

    return run
