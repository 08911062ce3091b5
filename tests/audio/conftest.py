"""Fixtures for the audio tests: fakes for unit tests, a private PulseAudio for real ones."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # fakes.py and pulse_sandbox.py (pytest runs in importlib mode)

from fakes import FakeClock, FakeDevice  # noqa: E402
from pulse_sandbox import PulseSandbox, missing_tools  # noqa: E402


@pytest.fixture
def fake_device() -> FakeDevice:
    return FakeDevice()


@pytest.fixture
def live_device() -> FakeDevice:
    return FakeDevice(live=True)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def pulse():
    """A PulseAudio server with a null sink whose monitor is the default source.

    Skips (with the reason) only when PulseAudio or PortAudio cannot run here.
    """
    missing = missing_tools()
    if missing:
        pytest.skip(f"PulseAudio tools missing ({', '.join(missing)}): apt install pulseaudio pulseaudio-utils")
    try:
        import sounddevice as sd
    except OSError:
        pytest.skip("PortAudio is not installed: apt install libportaudio2")
    server = PulseSandbox()
    try:
        server.start()
    except Exception as error:
        server.stop()
        pytest.skip(f"PulseAudio cannot run here: {error}")
    saved = server.activate()
    # PortAudio enumerated devices when sounddevice was imported: look again now
    # that ALSA's pulse device has a server to talk to.
    sd._terminate()
    sd._initialize()
    yield server
    PulseSandbox.restore(saved)
    server.stop()
    sd._terminate()
    sd._initialize()


@pytest.fixture
def own_pulse(pulse):
    """A second, private PulseAudio this test may crash; the session's server is restored after."""
    import sounddevice as sd

    server = PulseSandbox()
    try:
        server.start()
    except Exception as error:
        server.stop()
        pytest.skip(f"PulseAudio cannot run here: {error}")
    saved = server.activate()
    sd._terminate()
    sd._initialize()
    yield server
    PulseSandbox.restore(saved)
    server.stop()
    sd._terminate()
    sd._initialize()
