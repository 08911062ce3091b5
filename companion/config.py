"""Where things are: the session store and the guide folders.

Precedence for the store: ``--sessions DIR`` > ``$COMPANION_SESSIONS`` > ``./sessions``.
Guides: the shipped guides, plus ``--guides DIR`` when given, else ``./guides`` when present.
"""

from __future__ import annotations

import os
from pathlib import Path

import companion

SESSIONS_ENV = "COMPANION_SESSIONS"


def session_root(arg: str | os.PathLike | None = None) -> Path:
    """The session store folder, which need not exist yet."""
    chosen = arg or os.environ.get(SESSIONS_ENV) or "sessions"
    return Path(chosen).expanduser()


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
