"""`companion interview --device` is checked against the real inputs before the app opens."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.audio


def test_an_unknown_device_is_refused_before_the_app_opens(pulse, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "companion", "--sessions", str(tmp_path / "s"), "interview",
         "--guide", "professional", "--participant", "PR11", "--device", "no-such-microphone"],
        capture_output=True, text=True, timeout=60, env=pulse.env, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "no input device matches 'no-such-microphone'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists()  # nothing was created
