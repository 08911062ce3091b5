"""Which editor `/g` opens: $VISUAL, then $EDITOR, then the platform's own — found before the
terminal is handed over, with a sentence when there is none."""

from __future__ import annotations

import shutil

from companion.editor import find_editor


def installed(*names):
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_visual_then_editor_with_their_arguments(monkeypatch):
    monkeypatch.setattr(shutil, "which", installed("code", "vim"))
    assert find_editor({"VISUAL": "code --wait", "EDITOR": "vim"}, "linux").command == ["/usr/bin/code", "--wait"]
    assert find_editor({"EDITOR": "vim -n"}, "linux").command == ["/usr/bin/vim", "-n"]


def test_a_missing_editor_is_named_not_replaced(monkeypatch):
    monkeypatch.setattr(shutil, "which", installed("nano"))
    editor = find_editor({"EDITOR": "no-such-editor"}, "linux")
    assert editor.command is None and editor.problem == "'no-such-editor' ($EDITOR) is not installed."


def test_platform_defaults(monkeypatch):
    monkeypatch.setattr(shutil, "which", installed("vi", "notepad"))
    assert find_editor({}, "linux").command == ["/usr/bin/vi"]  # nano first, vi when nano is missing
    assert find_editor({}, "darwin").command == ["/usr/bin/vi"]
    assert find_editor({}, "win32").command == ["/usr/bin/notepad"]  # never nano on Windows
    monkeypatch.setattr(shutil, "which", installed())
    assert find_editor({}, "linux").problem == "$EDITOR is not set and neither nano nor vi is installed."
    assert find_editor({}, "win32").problem == "$EDITOR is not set and notepad is not installed."


def test_a_windows_path_keeps_its_backslashes_and_spaces(monkeypatch):
    seen = []
    monkeypatch.setattr(shutil, "which", lambda name: seen.append(name) or name)
    editor = find_editor({"EDITOR": r'"C:\Program Files\Notepad++\notepad++.exe" -multiInst'}, "win32")
    assert seen == [r"C:\Program Files\Notepad++\notepad++.exe"] and editor.command[1:] == ["-multiInst"]


def test_an_unclosed_quote_is_a_sentence(monkeypatch):
    editor = find_editor({"EDITOR": "'vim"}, "linux")
    assert editor.command is None and "cannot be read as a command" in editor.problem
