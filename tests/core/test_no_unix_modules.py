"""As on Windows: every module of the package imports, and the session lock works, in a
process where fcntl, termios, pwd, grp and resource cannot be imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

UNIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")

CHILD = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    from pathlib import Path

    BLOCKED = set(sys.argv[1].split(","))

    class NoUnix:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"No module named {name!r} (blocked: as on Windows)")
            return None

    for name in BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, NoUnix())

    import companion
    names = [m.name for m in pkgutil.walk_packages(companion.__path__, "companion.") if m.name != "companion.__main__"]
    for name in names:
        importlib.import_module(name)
    leaked = BLOCKED & set(sys.modules)
    assert not leaked, leaked

    from companion.guide.loader import load_guide
    from companion.config import shipped_guides_dir
    from companion.store import Store, SessionLockedError

    store = Store(Path(sys.argv[2]))
    writer = store.create(load_guide(shipped_guides_dir() / "professional.yaml"), "PR11")
    try:
        store.resume(writer.path)
    except SessionLockedError:
        pass
    else:
        raise AssertionError("a second writer was let in")
    writer.close("interrupted")
    store.resume(writer.path).close()
    print(len(names), "modules imported; lock held and released")
    """
)


def test_every_module_imports_and_the_lock_works_without_unix_modules(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, ",".join(UNIX_ONLY), str(tmp_path / "sessions")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "lock held and released" in done.stdout
