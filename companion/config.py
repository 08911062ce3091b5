"""Where things are: the session store and the guide folders.

The store: ``--sessions DIR`` > ``$COMPANION_SESSIONS`` > ``sessions:`` in the user's
config file > the default. The default never depends on the folder the terminal is in:
run from the project's checkout (an editable install) it is the checkout's own
``sessions/``; installed as a package it is the per-user data folder
(``platformdirs.user_data_dir("companion")/sessions``: ~/.local/share on Linux,
~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows — inside the user's profile).
Guides: the shipped guides, plus ``--guides DIR`` when given, else ``./guides`` when present.
"""

from __future__ import annotations

import os
from pathlib import Path

import companion

SESSIONS_ENV = "COMPANION_SESSIONS"


def session_root(arg: str | os.PathLike | None = None) -> Path:
    """The session store folder, which need not exist yet."""
    chosen = arg or os.environ.get(SESSIONS_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from companion import userconfig

    return userconfig.current().sessions or default_session_root()


def checkout_root() -> Path | None:
    """The project checkout the package runs from (an editable install), or None when installed."""
    top = Path(companion.__file__).resolve().parent.parent
    return top if (top / "pyproject.toml").is_file() and (top / "sessions").is_dir() else None


def default_session_root() -> Path:
    checkout = checkout_root()
    if checkout is not None:
        return checkout / "sessions"
    from platformdirs import user_data_dir

    return Path(user_data_dir("companion", appauthor=False)) / "sessions"


def store_origin(arg: str | os.PathLike | None = None) -> str:
    """Why the store is where it is, in a few words, for the home screen and `companion sessions`."""
    if arg:
        return "--sessions"
    if os.environ.get(SESSIONS_ENV):
        return f"${SESSIONS_ENV}"
    from companion import userconfig

    if userconfig.current().sessions:
        return f"sessions: in {userconfig.current().path}"
    return "the checkout's own store" if checkout_root() else "the per-user store"


def shipped_guides_dir() -> Path:
    """The shipped guides: inside the package when installed from a wheel,
    at the top of the repository when running from a checkout."""
    package = Path(companion.__file__).resolve().parent
    inside = package / "_guides"
    if inside.is_dir():
        return inside
    return package.parent / "guides"


def guide_dirs(arg: str | os.PathLike | None = None) -> list[Path]:
    """Folders searched for guides, shipped first, without duplicates."""
    extra = Path(arg).expanduser() if arg else Path("guides")
    dirs = [shipped_guides_dir()]
    if extra.is_dir() and extra.resolve() != dirs[0].resolve():
        dirs.append(extra)
    return dirs


def stray_sessions_notice(root: Path) -> str | None:
    """One sentence when ./sessions (from before the store stopped following the current
    folder) holds sessions that the store in use does not, and how to use them; else None."""
    here = Path("sessions")
    try:
        if not here.is_dir() or here.resolve() == root.resolve():
            return None
        stray = [p.parent for p in here.glob("*/*/session.yaml") if not (root / p.parent.relative_to(here)).exists()]
    except OSError:
        return None
    if not stray:
        return None
    count = f"{len(stray)} session" + ("" if len(stray) == 1 else "s")
    return (f"{here.resolve()} holds {count} not in the store in use ({root}): "
            f"open them with --sessions {here.resolve()}, or move their participant folders into {root}.")
