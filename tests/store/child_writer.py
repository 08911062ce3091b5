"""A child process that writes a session, for the tests that kill it, limit it or lock it out.

    child_writer.py append ROOT GUIDE [REF]   create (or resume REF) and append notes forever,
                                              printing "ack SEQ" once each is acknowledged
    child_writer.py hold ROOT REF             resume REF, print "ready", then wait to be killed
    child_writer.py fsize ROOT GUIDE          hit RLIMIT_FSIZE, then lift it and retry
    child_writer.py readonly ROOT GUIDE       hit a read-only session folder, then restore and retry

Every line is flushed at once, so what the parent reads was printed before any kill.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from companion.guide.loader import load_guide
from companion.store import JournalWriteError, Store

print_lock = threading.Lock()


def say(*parts) -> None:
    with print_lock:
        sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
        sys.stdout.flush()


def append_forever(root: str, guide_path: str, ref: str | None = None) -> None:
    store = Store(Path(root))
    writer = store.resume(ref) if ref else store.create(load_guide(guide_path), "PR11")
    say("session", writer.path)
    t = writer.timeline_end
    while True:
        # Several in flight at once, acknowledged from the writer thread as they land.
        futures = []
        for _ in range(5):
            t += 0.01
            futures.append(writer.append("note", t, text="x" * 200, codes=[], question=None, stage=None))
        for future in futures:
            future.add_done_callback(lambda f: say("ack", f.result()["seq"]))
        futures[-1].result()


def hold(root: str, ref: str) -> None:
    Store(Path(root)).resume(ref)
    say("ready")
    time.sleep(60)


def note(writer, i: int):
    return writer.append("note", float(i), text=f"note {i} " + "y" * 300, codes=[], question=None, stage=None)


def fsize(root: str, guide_path: str) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    writer = Store(Path(root)).create(load_guide(guide_path), "PR11")
    note(writer, 1).result()
    journal = writer.path / "events.jsonl"
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (journal.stat().st_size + 100, hard))
    report = {"errors": []}
    for i in (2, 3):
        try:
            note(writer, i).result()
        except JournalWriteError as error:
            report["errors"].append(str(error))
    report["pending"] = [e["seq"] for e in writer.pending]
    report["size_at_limit"] = journal.stat().st_size
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    report["retried"] = [f.result()["seq"] for f in writer.retry()]
    report["after"] = note(writer, 4).result()["seq"]
    writer.close()
    report["path"] = str(writer.path)
    print(json.dumps(report))


def readonly(root: str, guide_path: str) -> None:
    guide = load_guide(guide_path)  # before dropping privileges: the interpreter's files may be root's
    import companion.guide.loader  # noqa: F401 - the guide copy needs it after the drop
    import filelock  # noqa: F401 - the session lock imports it when first taken, after the drop
    import companion.store.writer  # noqa: F401 - the store imports it when a session is created
    if os.geteuid() == 0:
        # root ignores permission bits: drop to nobody, who owns the temporary store.
        os.setgid(65534)
        os.setuid(65534)
    writer = Store(Path(root)).create(guide, "PR11")
    note(writer, 1).result()
    subprocess.run(["chmod", "-R", "a-w", str(writer.path)], check=True)
    report = {"errors": []}
    for i in (2, 3):
        try:
            note(writer, i).result()
        except JournalWriteError as error:
            report["errors"].append(str(error))
    report["pending"] = [e["seq"] for e in writer.pending]
    subprocess.run(["chmod", "-R", "u+w", str(writer.path)], check=True)
    report["retried"] = [f.result()["seq"] for f in writer.retry()]
    writer.close()
    report["path"] = str(writer.path)
    print(json.dumps(report))


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"append": append_forever, "hold": hold, "fsize": fsize, "readonly": readonly}[command](*rest)
