"""Every test runs with its own per-user folders: the user's real config file and data
folder are never read or written (platformdirs follows these variables on Linux)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    import companion.userconfig as userconfig

    monkeypatch.setattr(userconfig, "_loaded", None)
    monkeypatch.setattr(userconfig, "_chosen", None)
