"""Which program edits a file: the one in $VISUAL or $EDITOR, or this platform's usual one —
found before the terminal is handed over, so a missing editor is a sentence, not a blank screen."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass

DEFAULTS = {"win32": ("notepad",)}
UNIX_DEFAULTS = ("nano", "vi")  # nano first: its keys are on the screen


@dataclass(frozen=True)
class Editor:
    command: list[str] | None  # the program's full path and its arguments; None when none was found
    problem: str = ""  # why none was found, as a sentence


def split_command(value: str, windows: bool) -> list[str]:
    """The words of $EDITOR; on Windows backslashes are path separators, not escapes."""
    if not windows:
        return shlex.split(value)
    return [word[1:-1] if len(word) > 1 and word[0] == word[-1] == '"' else word
            for word in shlex.split(value, posix=False)]


def find_editor(environ=os.environ, platform: str = sys.platform) -> Editor:
    windows = platform == "win32"
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if not value:
            continue
        try:
            words = split_command(value, windows)
        except ValueError:  # an unclosed quote
            return Editor(None, f"${variable} ({value}) cannot be read as a command.")
        found = shutil.which(words[0]) if words else None
        if found:
            return Editor([found, *words[1:]])
        return Editor(None, f"'{words[0] if words else value}' (${variable}) is not installed.")
    for name in DEFAULTS.get(platform, UNIX_DEFAULTS):
        found = shutil.which(name)
        if found:
            return Editor([found])
    names = DEFAULTS.get(platform, UNIX_DEFAULTS)
    missing = f"{names[0]} is not" if len(names) == 1 else "neither " + " nor ".join(names) + " is"
    return Editor(None, f"$EDITOR is not set and {missing} installed.")
