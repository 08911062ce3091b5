"""Fixtures for the audio tests: fakes for unit tests, a private PulseAudio for real ones."""

from __future__ import annotations

import sys
from contextlib import contextmanager
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


@contextmanager
def serving(sd):
    """A started PulseAudio sandbox that this process's PortAudio talks to, until the block ends.

    PortAudio enumerates devices once: it is re-initialised so ALSA's pulse device finds the
    server, and again afterwards."""
    server = PulseSandbox()
    try:
        server.start()
    except Exception as error:
        server.stop()
        pytest.skip(f"PulseAudio cannot run here: {error}")
    saved = server.activate()
    sd._terminate()
    sd._initialize()
    try:
        yield server
    finally:
        PulseSandbox.restore(saved)
        server.stop()
        sd._terminate()
        sd._initialize()


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
    with serving(sd) as server:
        yield server


@pytest.fixture
def own_pulse(pulse):
    """A second, private PulseAudio this test may crash; the session's server is restored after."""
    import sounddevice as sd

    with serving(sd) as server:
        yield server
