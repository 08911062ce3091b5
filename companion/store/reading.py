"""Reading one session for a listing: what the store's index keeps about it.

``inspect`` reads a session whole, repairing what a dead writer left (only when
nobody holds its lock). ``read_facts`` reads only session.yaml, for purge and
withdrawal, and ``read_digest`` the summary of the log: counts, coverage, codes —
never note text. Each result carries the *keys* (size, mtime, inode) of the files
it was read from, taken under the session's lock when it could be taken, so the
index knows when to read it again.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path

from companion.errors import CompanionError
from companion.store import journal
from companion.store import meta as metafile
from companion.store import segments as seg
from companion.store.errors import StoreError
from companion.store.lock import try_lock


def file_key(path: Path | str) -> str:
    """Changes whenever the file does: an append changes its size, an atomic replace its inode,
    and on POSIX any write its ctime (which, unlike mtime, cannot be set back)."""
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{st.st_ctime_ns}"


def meta_key(folder: Path) -> str:
    return file_key(folder / metafile.META_NAME)


def log_key(folder: Path) -> str:
    """The journal, the guide copy, and the folder's own entry (files added, renamed or
    removed: audio, live edits' guide copies)."""
    return f"{file_key(folder / journal.JOURNAL_NAME)}|{file_key(folder / metafile.GUIDE_NAME)}|{file_key(folder)}"


@dataclass
class Facts:
    """What session.yaml says, as listings need it; ``problem`` when it cannot be read."""

    key: str
    participant: str
    session: str
    guide: str = ""
    guide_title: str = ""
    started: str | None = None
    ended: str | None = None
    status: str = "interrupted"  # as written in the file; a dead writer's in-progress is read as interrupted
    retain_until: str | None = None
    audio_end: float | None = None  # end of the last audio segment on the timeline
    problem: str | None = None


@dataclass
class Digest:
    """What the log says, summed up: never the text of a note."""

    key: str
    notes: int = 0
    flags: int = 0
    safeguarding: int = 0
    last_t: float | None = None
    problems: list[str] = field(default_factory=list)
    guide_hash: str | None = None  # of the guide copy in force; None when it cannot be read
    coverage: list[tuple[str, str, str]] = field(default_factory=list)  # (question, stage, state) in guide order
    codes: dict[str, int] = field(default_factory=dict)  # code -> notes tagged with it


@dataclass
class GuideFacts:
    """A guide copy as the report needs it, known by the hash of its text."""

    hash: str
    id: str
    title: str
    questions: list[tuple[str, str, str, bool]]  # (stage, question, ask, optional)
    codebook: list[tuple[str, str]]  # (code, label)


def facts_of(folder: Path, meta: dict, key: str) -> Facts:
    return Facts(
        key=key,
        participant=str(meta.get("participant", folder.parent.name)),
        session=str(meta.get("session", folder.name)),
        guide=str(meta.get("guide", "")),
        guide_title=str(meta.get("guide_title", "")),
        started=_text(meta.get("started")),
        ended=_text(meta.get("ended")),
        status=str(meta.get("status", "interrupted")),
        retain_until=_text(meta.get("retain_until")),
        audio_end=seg.end_of(meta["segments"]) if meta.get("segments") else None,
    )


def unreadable(folder: Path, key: str, problem: str) -> Facts:
    return Facts(key, folder.parent.name, folder.name, problem=problem)


def read_facts(folder: Path) -> Facts | None:
    """session.yaml alone; None when the folder holds none (a creation cut short)."""
    key = meta_key(folder)
    if key == "-":
        return None
    try:
        return facts_of(folder, metafile.read(folder), key)
    except StoreError as error:
        return unreadable(folder, key, str(error))


def is_live(folder: Path) -> bool:
    """True while another process holds the session's lock (it is being written now)."""
    try:
        lock = try_lock(folder)
    except OSError:
        return False
    if lock is None:
        return True
    lock.release()
    return False


def read_whole(folder: Path, guides: GuideCache) -> tuple[Facts, Digest, bool] | None:
    """session.yaml, a digest of the log, and whether another process is writing it;
    repaired first when nobody is."""
    return _read_settled(folder, guides) or _read_locked(folder, guides)


def _read_settled(folder: Path, guides: GuideCache) -> tuple[Facts, Digest, bool] | None:
    """A session with nothing to repair, read without its lock (most of a store: taking a
    lock costs more than reading session.yaml). None when it may need the locked reading:
    in progress (live, or a dead writer's), audio left unfinished, or a log not clean."""
    mkey, lkey = meta_key(folder), log_key(folder)  # before reading: a later write is seen next time
    try:
        meta = metafile.read(folder)
        if meta.get("status") == "in-progress" or seg.unsettled(folder, meta["segments"]):
            return None
        parsed = journal.parse((folder / journal.JOURNAL_NAME).read_bytes())
    except (StoreError, OSError):
        return None
    if not parsed.clean:
        return None
    return facts_of(folder, meta, mkey), digest(folder, parsed.events, parsed.problems, lkey, guides), False


def _read_locked(folder: Path, guides: GuideCache) -> tuple[Facts, Digest, bool] | None:
    try:
        lock = try_lock(folder)
        elsewhere = lock is None
    except OSError:  # the lock file cannot even be opened: read only, nobody to wait for
        lock, elsewhere = None, False
    try:
        # Keys taken before reading: a write that lands after them is seen next time.
        mkey, lkey = meta_key(folder), log_key(folder)
        if mkey == "-":
            return None
        try:
            meta, events, problems, _ = inspect(folder, lock)
        except StoreError as error:
            return unreadable(folder, mkey, str(error)), Digest(lkey), elsewhere
        if lock is not None:  # nobody else writes it: what a repair changed is what we read
            mkey, lkey = meta_key(folder), log_key(folder)
        return facts_of(folder, meta, mkey), digest(folder, events, problems, lkey, guides), elsewhere
    finally:
        if lock is not None:
            lock.release()


def inspect(folder: Path, lock) -> tuple[dict, list[dict], list[str], bool]:
    """Read a session, repairing what a dead writer left when ``lock`` (its lock) is held."""
    meta = metafile.read(folder)
    events, problems = journal.read(folder, repair=lock is not None)
    if lock is not None:
        changed, audio_problems = seg.repair(folder, meta["segments"], rate_of(meta))
        problems += audio_problems
        if meta.get("status") == "in-progress":
            meta["status"], changed = "interrupted", True
        if changed:
            try:
                metafile.write(folder, meta)
            except StoreError as error:
                problems.append(str(error))
    return meta, events, problems, lock is None


def digest(folder: Path, events: list[dict], problems: list[str], key: str, guides: GuideCache) -> Digest:
    """One pass over the log: counts as the writer counts them, the last moment, codes after
    re-tagging and coverage as the fold makes them. Counted in locals, not on the Digest:
    this runs on every line of every log a cold listing reads."""
    from companion.review.fold import COVERAGE_TYPES, coverage_of

    notes = flags = safeguarding = 0
    codes: dict[int, list | None] = {}  # note seq -> its codes now
    marks, reloads = [], []
    for e in events:
        kind = e["type"]
        if kind == "note":
            notes += 1
            codes[e["seq"]] = e.get("codes")
        elif kind == "flag":
            if e.get("kind") == "safeguarding":
                safeguarding += 1
            else:
                flags += 1
        elif kind in COVERAGE_TYPES:
            marks.append(e)
        elif kind == "note.tagged" and e.get("note") in codes:
            codes[e["note"]] = e.get("codes")
        elif kind == "guide.reloaded":
            reloads.append(e)
    last_t = max((e["t"] for e in events), default=None)
    found = Digest(key, notes, flags, safeguarding, None if last_t is None else float(last_t), list(problems))
    guide, found.guide_hash = guides.load(metafile.guide_copy_path(folder, reloads))
    if guide is not None:
        found.coverage = [(c.question, c.stage, c.state) for c in coverage_of(guide, marks).values()]
        found.codes = dict(Counter(chain.from_iterable(filter(None, codes.values()))))
    return found


class GuideCache:
    """Guide copies parsed once per distinct text: 150 sessions hold a handful of guides."""

    def __init__(self):
        self.guides: dict[str, object] = {}

    def load(self, path: Path):
        """(guide or None, hash of its text or None)."""
        try:
            data = path.read_bytes()
        except OSError:
            return None, None
        key = hashlib.blake2b(data, digest_size=16).hexdigest()
        if key not in self.guides:
            self.guides[key] = _parse_guide(data, path)
        guide = self.guides[key]
        return (guide, key) if guide is not None else (None, None)


def _parse_guide(data: bytes, path: Path):
    from companion.guide.loader import load_guide_text

    try:
        return load_guide_text(data.decode("utf-8"), str(path), path.parent)
    except (CompanionError, UnicodeDecodeError):
        return None


def guide_facts(guide, key: str) -> GuideFacts:
    return GuideFacts(key, guide.id, guide.title,
                      [(stage.id, question.id, question.ask, question.optional) for stage, question in guide.questions()],
                      [(code.id, code.label) for code in guide.codebook])


def rate_of(meta: dict) -> int | None:
    audio = meta.get("audio")
    rate = audio.get("rate") if isinstance(audio, dict) else None
    return rate if isinstance(rate, int) else None


def _text(value) -> str | None:
    return None if value is None else str(value)
