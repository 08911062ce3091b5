"""Helpers for the encryption tests (pytest's importlib mode makes conftest unimportable)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("store_conftest", HERE.parent / "store" / "conftest.py")
_store = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_store)
make_guide = _store.make_guide

PASSPHRASE = "correct horse battery"
NOTE_MARKER = "HERON-5150 felt the crisis line hung up"


def companion(*args, cwd=None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "companion", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def write_encrypted_session(root: Path, seconds: float = 2.5) -> Path:
    from companion.store import Store

    writer = Store(root).create(make_guide(), "PR11")
    segment = writer.new_segment()
    audio = segment.make_writer(segment.partial, 8000)
    audio.write(b"\x10\x20" * int(8000 * seconds))
    audio.finish(segment.final)
    writer.finish_segment(segment.index, int(8000 * seconds), 8000)
    note = writer.append("note", 1.0, text=NOTE_MARKER, codes=["support"], question="background", stage="context")
    writer.append("flag", 1.2, kind="quote", note=note.seq, text="FLAG-HERON")
    writer.close()
    return writer.path
