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
