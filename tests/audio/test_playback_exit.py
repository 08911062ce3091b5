"""Leaving the app while audio plays must not abort the process inside PortAudio."""

from __future__ import annotations

import subprocess
import sys
import wave

import pytest

pytestmark = pytest.mark.audio

SCRIPT = """
import sys, time
from companion.audio.playback import Player
player = Player(sys.argv[1])
player.play(0.0)
time.sleep(0.5)
assert player.playing, player.error
print("playing", flush=True)
"""  # ...and the interpreter exits with the player still going


def test_exit_while_playing_is_clean(pulse, tmp_path):
    path = tmp_path / "ten-seconds.wav"
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(48000)
        audio.writeframes(b"\x10\x00" * 48000 * 10)
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True,
                            timeout=60, env=pulse.env)
    assert result.stdout.strip() == "playing"
    assert result.returncode == 0, result.stderr[-2000:]
