"""Playing never waits on the sound library in the caller's thread (the UI's): PortAudio
is loaded in the playback thread, and its absence is said, with the fix, as the player's error."""

from __future__ import annotations

import threading
import time
import wave

from companion.audio import devices
from companion.audio.playback import Player


def one_second(path):
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(bytes(16000))
    return path


def test_a_slow_sound_library_loads_in_the_playback_thread(tmp_path, monkeypatch):
    loaded_in = []
    release = threading.Event()

    def slow_library():
        loaded_in.append(threading.current_thread().name)
        release.wait(5)  # PortAudio probing the devices
        raise devices.AudioUnavailable(devices.NO_PORTAUDIO)

    monkeypatch.setattr(devices, "sounddevice", slow_library)
    player = Player(one_second(tmp_path / "a.wav"))
    began = time.monotonic()
    player.play(0.0)
    assert time.monotonic() - began < 0.5  # returned while the library was still loading
    release.set()
    assert player.wait(5)
    assert loaded_in == ["companion-playback"]
    assert player.error == devices.NO_PORTAUDIO and not player.playing
