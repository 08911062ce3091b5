"""Where the store is: never the terminal's current folder; --sessions, $COMPANION_SESSIONS and
the config file override the default; a stray ./sessions is pointed out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import companion
from companion import config, userconfig

CHECKOUT = Path(companion.__file__).resolve().parent.parent


def test_from_the_checkout_the_default_is_its_own_sessions_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("COMPANION_SESSIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert config.session_root() == CHECKOUT / "sessions"


def test_installed_the_default_is_the_per_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("COMPANION_SESSIONS", raising=False)
    monkeypatch.setattr(config, "checkout_root", lambda: None)
    assert config.session_root() == Path(os.environ["XDG_DATA_HOME"]) / "companion" / "sessions"


def test_overrides_in_order(monkeypatch, tmp_path):
    file = tmp_path / "config.yaml"
    file.write_text("sessions: from-config\n")
    userconfig.choose(file)
    monkeypatch.delenv("COMPANION_SESSIONS", raising=False)
    assert config.session_root() == tmp_path / "from-config"  # relative to the config file
    monkeypatch.setenv("COMPANION_SESSIONS", str(tmp_path / "from-env"))
    assert config.session_root() == tmp_path / "from-env"
    assert config.session_root(tmp_path / "from-arg") == tmp_path / "from-arg"


def run(*args, cwd, env=None):
    environment = {k: v for k, v in os.environ.items() if k != "COMPANION_SESSIONS"} | (env or {})
    return subprocess.run([sys.executable, "-m", "companion", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_sessions_names_the_store_and_points_out_a_stray_local_store(tmp_path, guide_file):
    stray = tmp_path / "sessions"
    from companion.guide.loader import load_guide
    from companion.store import Store

    Store(stray).create(load_guide(guide_file), "PR11").close()
    store = tmp_path / "elsewhere"
    done = run("sessions", cwd=tmp_path, env={"COMPANION_SESSIONS": str(store)})
    assert done.returncode == 0
    assert done.stdout.strip() == f"No sessions yet in {store} ($COMPANION_SESSIONS)."
    assert done.stderr.strip() == (
        f"companion: {stray} holds 1 session not in the store in use ({store}): "
        f"open them with --sessions {stray}, or move their participant folders into {store}."
    )
    done = run("sessions", "--sessions", str(stray), cwd=tmp_path)
    assert done.stdout.splitlines()[-1] == f"1 session in {stray} (--sessions)." and done.stderr == ""
