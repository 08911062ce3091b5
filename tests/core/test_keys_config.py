"""The action table, `companion keys`, and the keymap in the user's config file."""

from __future__ import annotations

import json
import subprocess
import sys

from companion.actions import INTERVIEW_ACTIONS, match_commands
from companion.userconfig import load


def companion(*args, env_home=None):
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True, timeout=60)


def test_keys_json_lists_every_interview_action_with_a_command():
    done = companion("keys", "--json")
    assert done.returncode == 0, done.stderr
    listed = {row["id"]: row for row in json.loads(done.stdout)}
    for action in INTERVIEW_ACTIONS:
        row = listed[action.id]
        assert set(row) == {"id", "description", "keys", "command"}
        assert row["keys"] == list(action.keys)
        # Reachable from any laptop keyboard: a typed command, or arrow keys.
        assert (row["command"] or "").startswith("/") or set(row["keys"]) <= {"up", "down"}, row


def test_a_keymap_rebinds_one_action_and_keys_shows_it(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("keymap:\n  q.covered: f10\n  flag.quote: f11\n")
    done = companion("--config", str(config), "keys")
    assert done.returncode == 0 and done.stderr == ""
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line}
    assert lines["q.covered"].split()[1:3] == ["f10", "/c"]
    assert lines["flag.quote"].split()[1:3] == ["f11", "/q"]
    assert lines["q.skipped"].split()[1] == "f3"


def test_a_broken_keymap_gets_located_lines_with_suggestions_and_the_defaults(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("keymap:\n  q.nxt: ctrl+n\n  q.covered: ctrl+pgdown\n  q.skipped: hyperr+x\n")
    done = companion("--config", str(config), "keys", "--json")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"{config}:2:3: unknown binding id 'q.nxt' — did you mean 'q.next'? (the default is used)",
        f"{config}:3:14: 'pgdown' is not a key name in 'ctrl+pgdown' for q.covered — did you mean 'ctrl+pagedown'? (the default is used)",
        f"{config}:4:14: 'hyperr' is not a modifier (use ctrl, shift, alt) in 'hyperr+x' for q.skipped (the default is used)",
    ]
    listed = {row["id"]: row["keys"] for row in json.loads(done.stdout)}
    assert listed["q.next"] == ["pagedown"] and listed["q.covered"] == ["f2"] and listed["q.skipped"] == ["f3"]


def test_broken_yaml_and_clashes_are_located(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("keymap: [\n")
    assert load(config).problems[0].startswith(f"{config}:2:1: YAML syntax error")
    config.write_text("keymap:\n  q.covered: f3\nsesions: x\n")
    problems = load(config).problems
    assert any("'f3' is given to both q.covered and q.skipped" in p for p in problems)
    assert any(p.startswith(f"{config}:3:1: unknown key 'sesions'") and "did you mean 'sessions'" in p for p in problems)
    assert load(config).keymap == {}


def test_a_missing_config_file_given_is_a_usage_error(tmp_path):
    done = companion("--config", str(tmp_path / "nope.yaml"), "keys")
    assert done.returncode == 2 and "no such file" in done.stderr and "Traceback" not in done.stderr


def test_keys_does_not_load_textual():
    code = "import sys, companion.cli as c; c.main(['keys']); assert 'textual' not in sys.modules, 'textual loaded'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_typed_commands_match_exactly_then_by_prefix_then_by_words():
    assert [a.id for a in match_commands("/p")][:3] == ["q.prev", "stage.prev", "q.probe"]
    assert match_commands("/s")[0].id == "q.skipped"
    assert match_commands("/sg")[0].id == "flag.safeguarding"
    assert match_commands("/j diagnosis")[0].id == "q.jump"
    assert match_commands("/quote")[0].id == "flag.quote"  # by its description
    assert match_commands("/zzz") == []


def test_the_core_key_names_are_textual_key_names():
    from textual.keys import Keys

    from companion.actions import NAMED_KEYS, key_problem

    textual_names = {k.value for k in Keys} | {f"f{n}" for n in range(1, 25)}
    assert NAMED_KEYS <= textual_names | {"space", "enter", "tab", "backspace"}
    for action in INTERVIEW_ACTIONS:
        assert all(key_problem(k) is None for k in action.keys)


def test_the_clock_mode_fix_is_the_one_for_each_platform():
    from companion.audio.devices import no_input, no_portaudio

    assert "apt install libportaudio2" in no_portaudio("linux")
    for platform in ("darwin", "win32"):
        assert "apt" not in no_portaudio(platform) and "pip install --force-reinstall sounddevice" in no_portaudio(platform)
    assert "System Settings" in no_input("darwin") and "Settings › Privacy & security" in no_input("win32")
    assert "PulseAudio" in no_input("linux")


def test_a_key_the_note_line_keeps_is_refused_for_an_interview_action(tmp_path):
    """ctrl+e moves to the end of the note line, ctrl+m is Enter as terminals send it, x is
    typed: given to an interview action, it could never be reached by that key."""
    config = tmp_path / "config.yaml"
    config.write_text("keymap:\n  session.end: ctrl+e\n  q.covered: f12\n  help: ctrl+E\n"
                      "  note.retry: ctrl+m\n  rec.break: x\n  flag.safeguarding: space\n  end.back: ctrl+b\n")
    loaded = load(config)
    assert loaded.keymap == {"q.covered": "f12", "end.back": "ctrl+b"}
    refused = [(line.split(":")[1], line.split("'")[1]) for line in loaded.problems]
    assert refused == [("2", "ctrl+e"), ("4", "ctrl+E"), ("5", "ctrl+m"), ("6", "x"), ("7", "space")], loaded.problems
    assert all("the note line keeps" in p and p.count("(the default is used)") == 1 for p in loaded.problems)


def test_the_note_line_keys_are_the_ones_the_note_line_binds():
    from textual.widgets import Input

    from companion.userconfig import NOTE_LINE_KEYS

    assert NOTE_LINE_KEYS == {key for binding in Input.BINDINGS for key in binding.key.split(",")}


def test_keys_are_shown_as_a_person_reads_them():
    from companion.actions import display_key

    shown = [display_key(k) for k in ("f2", "ctrl+pagedown", "escape", "question_mark", "ctrl+full_stop", "x", "space")]
    assert shown == ["F2", "ctrl+PgDn", "Esc", "?", "ctrl+.", "x", "Space"]
