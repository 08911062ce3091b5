"""Choosing an input device and a rate, and `companion devices`."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from companion.audio import devices
from companion.cli import main
from companion.errors import UsageError

INPUTS = [
    devices.Device(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 44100.0, False),
    devices.Device(3, "Blue Yeti USB Microphone (hw:2,0)", 2, 48000.0, False),
    devices.Device(4, "pulse", 32, 44100.0, False),
    devices.Device(5, "default", 32, 44100.0, True),
]


@pytest.fixture
def inputs(monkeypatch):
    monkeypatch.setattr(devices, "list_input_devices", lambda: list(INPUTS))


@pytest.mark.parametrize("spec, index", [(None, 5), (3, 3), ("4", 4), ("yeti", 3), ("PULSE", 4), ("default", 5)])
def test_resolve_by_index_or_part_of_a_name(inputs, spec, index):
    assert devices.resolve_input(spec).index == index


@pytest.mark.parametrize("spec, message", [
    ("9", "no input device has index 9"),
    ("webcam", "no input device matches 'webcam'; the inputs are 0: HDA"),
    ("hw:", "matches several input devices"),
])
def test_bad_device_specs_are_one_sentence(inputs, spec, message):
    with pytest.raises(UsageError, match=message):
        devices.resolve_input(spec)


class FakeSd:
    def __init__(self, accepts):
        self.accepts = accepts

    def check_input_settings(self, device, channels, dtype, samplerate):
        if samplerate not in self.accepts:
            raise ValueError("Invalid sample rate")


def test_rate_prefers_48k_else_the_device_default(monkeypatch):
    monkeypatch.setattr(devices, "sounddevice", lambda: FakeSd({48000, 44100}))
    assert devices.choose_rate(INPUTS[0], None) == 48000
    monkeypatch.setattr(devices, "sounddevice", lambda: FakeSd({44100}))
    assert devices.choose_rate(INPUTS[0], None) == 44100
    assert devices.choose_rate(INPUTS[0], 44100) == 44100
    with pytest.raises(UsageError, match="cannot record at 16000 Hz"):
        devices.choose_rate(INPUTS[0], 16000)


def test_devices_command_lists_inputs_with_the_default_marked(inputs, capsys):
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "Blue Yeti USB Microphone" in out
    default_line = next(line for line in out.splitlines() if "default " in line and line.startswith("*"))
    assert default_line.split()[1] == "5"


def test_devices_without_portaudio_prints_the_fix_and_exits_0():
    # A child whose import of sounddevice fails the way it does without libportaudio2.
    code = textwrap.dedent("""
        import sys
        class NoPortAudio:
            def find_spec(self, name, path=None, target=None):
                if name == "sounddevice":
                    raise OSError("PortAudio library not found")
        sys.meta_path.insert(0, NoPortAudio())
        from companion.cli import main
        from companion.audio.recorder import open_recorder
        code = main(["devices"])
        rec = open_recorder()
        print(rec.state.kind, "|", rec.state.reason)
        sys.exit(code)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PortAudio is not installed: sudo apt install libportaudio2.")
    assert lines[1] == "clock-mode | PortAudio is not installed: sudo apt install libportaudio2"
    assert result.stderr == ""
