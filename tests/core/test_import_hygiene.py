"""The core never imports textual, and the CLI starts without the heavy libraries."""

import subprocess
import sys

HEAVY = ("textual", "numpy", "sounddevice")


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def test_core_does_not_import_textual():
    code = (
        "import pkgutil, importlib, companion\n"
        "for m in pkgutil.walk_packages(companion.__path__, 'companion.'):\n"
        "    if not m.name.startswith(('companion.ui', 'companion.__main__')):\n"
        "        importlib.import_module(m.name)\n"
    )
    loaded = modules_after(code)
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)


def test_cli_parser_loads_no_heavy_library():
    loaded = modules_after("from companion.cli import build_parser; build_parser()")
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]


def test_clock_mode_loads_none_of_the_sound_modules():
    """--no-audio: the interview's clock comes without the recorder, device and WAV modules."""
    loaded = modules_after(
        "from pathlib import Path\n"
        "from companion.ui.app import Settings, default_recorder_factory\n"
        "make = default_recorder_factory(Settings(Path('s'), [], no_audio=True))\n"
        "recorder = make(False, '', None)\n"
        "assert recorder.mode == 'clock' and 'no-audio' in recorder.state.reason, recorder.state\n"
        "declined = make(True, 'the participant declined recording.', None)\n"
        "assert declined.state.reason == 'the participant declined recording.'\n"
    )
    assert not [m for m in loaded if m in ("companion.audio.recorder", "companion.audio.devices", "sounddevice")]
