"""The user's own settings: ``config.yaml`` in the per-user config folder (platformdirs),
or the file given with ``--config``.

    sessions: ~/Research/sessions     # where the session store is (optional)
    keymap:                           # binding id: keys, as `companion keys` lists them
      q.next: ctrl+n
      q.covered: f2,ctrl+o

A mistake in it never stops an interview: each one is a located line
(``file:line:col: what — did you mean …?``) and the app starts with the defaults for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from companion.actions import BY_ID, INTERVIEW_ACTIONS, character_name, key_names, key_problem
from companion.errors import UsageError
from companion.guide import yaml_marks as ym

CONFIG_NAME = "config.yaml"
TOP_KEYS = {"sessions": False, "keymap": False}


@dataclass
class UserConfig:
    path: Path | None = None  # the file read, if any
    sessions: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("companion", appauthor=False)) / CONFIG_NAME


_chosen: Path | None = None  # set from --config by the command line
_loaded: UserConfig | None = None


def choose(path: str | os.PathLike | None) -> None:
    """Use ``path`` instead of the per-user file (``--config FILE``); it must exist."""
    global _chosen, _loaded
    _chosen = Path(path).expanduser() if path else None
    _loaded = None
    if _chosen is not None and not _chosen.is_file():
        raise UsageError(f"--config {path}: no such file.")


def current() -> UserConfig:
    """The user's settings, read once per process."""
    global _loaded
    if _loaded is None:
        _loaded = load(_chosen or default_config_path())
    return _loaded


def load(path: Path) -> UserConfig:
    config = UserConfig()
    if not path.exists():
        return config
    config.path = path
    problems = ym.Problems(str(path))
    try:
        text = ym.read_text(path)
    except ym.FileProblem as error:
        config.problems = [error.located(str(path)) + " (the defaults are used)"]
        return config
    root = ym.compose(text, problems) if text.strip() else None
    if root is not None:
        entries = ym.mapping_entries(root, "the config file", TOP_KEYS, problems) or {}
        if "sessions" in entries:
            config.sessions = _sessions(entries["sessions"][1], path, problems)
        if "keymap" in entries:
            config.keymap = _keymap(entries["keymap"][1], problems)
    config.problems = [line + " (the default is used)" for line in problems.lines()]
    return config


def _sessions(node, path: Path, problems: ym.Problems) -> Path | None:
    if not isinstance(node, ym.ScalarNode) or node.tag != ym.STR or not node.value.strip():
        problems.at(node, f"sessions should be a folder, not {ym.describe(node)}")
        return None
    folder = Path(node.value).expanduser()
    return folder if folder.is_absolute() else path.parent / folder


def _keymap(node, problems: ym.Problems) -> dict[str, str]:
    if not isinstance(node, ym.MappingNode):
        problems.at(node, f"keymap should map binding ids to keys, not {ym.describe(node)}")
        return {}
    keymap: dict[str, str] = {}
    for key_node, value_node in node.value:
        binding_id = str(key_node.value)
        if binding_id not in BY_ID:
            problems.at(key_node, f"unknown binding id '{ym.shorten(binding_id)}'{ym.suggestion(binding_id, BY_ID)}")
            continue
        keys = _keys(value_node, binding_id, problems)
        if keys:
            keymap[binding_id] = keys
    _clashes(keymap, node, problems)
    return keymap


def _keys(node, binding_id: str, problems: ym.Problems) -> str | None:
    if not isinstance(node, ym.ScalarNode) or node.tag not in (ym.STR, ym.INT) or not str(node.value).strip():
        problems.at(node, f"keys for {binding_id} should be text like 'ctrl+n' or 'f2,ctrl+o', not {ym.describe(node)}")
        return None
    keys = [k.strip() for k in str(node.value).split(",")]
    for key in keys:
        why = key_problem(key)
        if why:
            base = key.split("+")[-1]
            near = ym.closest(base, key_names())
            hint = f" — did you mean '{key[: len(key) - len(base)]}{near}'?" if near else ""
            problems.at(node, f"{why} in '{key}' for {binding_id}{hint}")
            return None
        if binding_id in INTERVIEW_IDS and note_line_takes(key):
            problems.at(node, f"'{key}' for {binding_id} is a key the note line keeps while you type "
                        "(it edits or types there), so it would never reach the action: choose another")
            return None
    return ",".join(keys)


# The keys the interview's note line (Textual's Input) acts on itself while it has the focus,
# which is nearly always: given to an interview action, they would never reach it. With
# them, the keys a terminal sends as one of those: ctrl+j and ctrl+m are Enter, ctrl+h is
# Backspace, ctrl+i is Tab, ctrl+[ is Esc. (tests/core/test_keys_config.py checks the list
# against the widget's own bindings.)
NOTE_LINE_KEYS = frozenset({
    "alt+backspace", "backspace", "ctrl+a", "ctrl+backspace", "ctrl+c", "ctrl+d", "ctrl+e",
    "ctrl+k", "ctrl+left", "ctrl+right", "ctrl+shift+a", "ctrl+shift+left", "ctrl+shift+right",
    "ctrl+u", "ctrl+v", "ctrl+w", "ctrl+x", "delete", "end", "enter", "home", "left", "right",
    "shift+end", "shift+home", "shift+left", "shift+right", "super+backspace", "super+c",
})
TERMINAL_ALIASES = frozenset({"ctrl+j", "ctrl+m", "ctrl+h", "ctrl+i", "ctrl+["})
INTERVIEW_IDS = frozenset(a.id for a in INTERVIEW_ACTIONS)


def note_line_takes(key: str) -> bool:
    """Whether the note line keeps ``key`` for itself: one of its editing keys (in any case:
    terminals send ctrl+E as ctrl+e), or a character it types (x, space, shift+x)."""
    key = key.lower()
    *mods, base = key.split("+") if key != "+" else ["+"]
    typed = set(mods) <= {"shift"} and (len(base) == 1 or base == "space" or character_name(base))
    return key in NOTE_LINE_KEYS or key in TERMINAL_ALIASES or typed


def _clashes(keymap: dict[str, str], node, problems: ym.Problems) -> None:
    """Two interview actions on one key: the second would never run. Both keep their defaults."""
    owner: dict[str, str] = {}
    for action in INTERVIEW_ACTIONS:
        for key in keymap.get(action.id, ",".join(action.keys)).split(","):
            if key and key in owner and owner[key] != action.id:
                problems.at(node, f"'{key}' is given to both {owner[key]} and {action.id}")
                keymap.pop(action.id, None)
                keymap.pop(owner[key], None)
            owner.setdefault(key, action.id)
    _end_twice(keymap, node, problems)


def _end_twice(keymap: dict[str, str], node, problems: ym.Problems) -> None:
    """Finish on End's key would end an interview, unseen, when End is pressed twice.
    Both go back to their defaults, which never share a key."""
    pair = ("session.end", "end.finish")
    end, finish = (set(keymap.get(i, ",".join(BY_ID[i].keys)).split(",")) for i in pair)
    for key in sorted(end & finish):
        problems.at(node, f"'{key}' is given to both session.end and end.finish: End twice would finish unseen")
    if end & finish:
        for binding_id in pair:
            keymap.pop(binding_id, None)
