"""``index.sqlite``: what listings need of every session, kept at the store's root.

Derived and rebuildable — the logs stay the record. Deleting the file loses nothing;
a damaged one is rebuilt with a one-line notice; a store that cannot hold it (read
only) gets one in memory for the run. Each row is keyed by the size, mtime and inode
of the files it was read from (see ``reading``), so a session added, resumed, amended,
repaired, deleted, or copied in by another process or machine is read again before it
is shown. Only counts, coverage states, code ids and dates are kept: never a note's text.

Many processes may share it: SQLite serialises writers (WAL, a busy timeout), a killed
writer's transaction is rolled back, and two processes that index the same session
write the same row — or an older one, whose key then differs and is read again.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from companion.collector import collector_paused
from companion.store.layout import INDEX_FILES, INDEX_NAME
from companion.store.reading import (
    Digest,
    Facts,
    GuideCache,
    GuideFacts,
    guide_facts,
    is_live,
    log_key,
    meta_key,
    read_facts,
    read_whole,
)
from companion.store.safefiles import open_private

# Raise when what is derived changes (a new count, another coverage rule): older indexes are rebuilt.
VERSION = 2  # 2: a guide's questions say whether they are optional
BUSY_TIMEOUT = 10.0  # seconds another process may hold the write lock
SCHEMA = (
    "CREATE TABLE sessions (ref TEXT PRIMARY KEY, meta_key TEXT NOT NULL, facts TEXT NOT NULL,"
    " log_key TEXT, digest TEXT)",
    "CREATE TABLE coverage (ref TEXT NOT NULL, position INTEGER NOT NULL, question TEXT NOT NULL,"
    " stage TEXT, state TEXT NOT NULL, PRIMARY KEY (ref, position))",
    "CREATE TABLE codes (ref TEXT NOT NULL, code TEXT NOT NULL, notes INTEGER NOT NULL, PRIMARY KEY (ref, code))",
    "CREATE TABLE guides (hash TEXT PRIMARY KEY, facts TEXT NOT NULL)",
)
CORRUPT = {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}

# Parsed guide copies, shared by every index in the process (they are known by their hash).
GUIDES = GuideCache()


class Entry:
    """One session as listed: its folder, session.yaml's facts, the log's digest, and
    whether another process is writing it right now."""

    __slots__ = ("folder", "facts", "digest", "live")

    def __init__(self, folder: Path, facts: Facts, digest: Digest | None, live: bool):
        self.folder, self.facts, self.digest, self.live = folder, facts, digest, live

    @property
    def ref(self) -> str:
        return ref_of(self.folder)


def ref_of(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


def is_damaged(error: sqlite3.Error) -> bool:
    if isinstance(error, sqlite3.OperationalError):
        return False  # busy, locked, read-only, cannot open: not damage
    return isinstance(error, sqlite3.DatabaseError) and (
        getattr(error, "sqlite_errorcode", None) in CORRUPT or type(error) is sqlite3.DatabaseError)


class Index:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.path = self.root / INDEX_NAME
        self.notices: list[str] = []  # one line each, for the caller to show (stderr or a toast)
        self._memory: sqlite3.Connection | None = None
        # Set once the root is known to be a store: an index file is never made in a folder
        # that is not one (a mistyped --sessions), only used where it already is.
        self.may_create = False

    # --- listing ---------------------------------------------------------------

    def entries(self, folders: list[Path], whole: bool, scope: str | None = None) -> list[Entry]:
        """Every session among ``folders``, from the index where its files are unchanged.

        ``whole``: the log's digest too (else session.yaml alone, for purge and withdrawal).
        ``scope``: a participant ID when ``folders`` are only that participant's.
        """
        for _ in range(3):  # a damaged file is rebuilt, an unwritable one moved to memory, then again
            db = self._connect()
            try:
                with collector_paused():  # a cold listing reads every log: see companion/collector.py
                    entries, writes, gone = self._compare(db, folders, whole, scope)
                self._write(db, writes, gone)
                return entries
            except sqlite3.Error as error:
                self._recover(error)
            finally:
                self._close(db)
        return self._compare(self._connect_memory(), folders, whole, scope)[0]

    def _compare(self, db, folders, whole, scope):
        columns = "ref, meta_key, facts, log_key, digest" if whole else "ref, meta_key, facts, NULL, NULL"
        cached = {row[0]: row for row in db.execute(f"SELECT {columns} FROM sessions")}
        if scope is not None:
            cached = {ref: row for ref, row in cached.items() if ref.split("/")[0] == scope}
        entries, writes = [], []
        for folder in folders:
            row = cached.pop(ref_of(folder), None)
            entry, fresh = self._entry(folder, row, whole)
            if entry is not None:
                entries.append(entry)
            if fresh:
                writes.append(entry)
        return entries, writes, list(cached)

    def _entry(self, folder: Path, row, whole: bool) -> tuple[Entry | None, bool]:
        """(the entry, whether it was read from disk); (None, False) for a folder that holds no session."""
        mkey = meta_key(folder)
        if mkey == "-":
            return None, False
        facts = Facts(**json.loads(row[2])) if row and row[1] == mkey else None
        if not whole:
            fresh = facts is None
            facts = facts or read_facts(folder)
            live = facts is not None and facts.status == "in-progress" and is_live(folder)
            return (Entry(folder, facts, None, live) if facts else None), fresh
        digest = _digest(json.loads(row[4])) if facts and row[4] and row[3] == log_key(folder) else None
        live = facts is not None and facts.status == "in-progress" and is_live(folder)
        if facts is not None and digest is not None and (live or facts.status != "in-progress"):
            return Entry(folder, facts, digest, live), False
        # New, changed, or a dead writer's session to repair: read it (under its lock when free).
        read = read_whole(folder, GUIDES)
        return (Entry(folder, *read) if read else None), read is not None

    def _write(self, db, writes: list[Entry], gone: list[str]) -> None:
        if not writes and not gone:
            return
        db.execute("BEGIN IMMEDIATE")  # waits up to BUSY_TIMEOUT for another writer
        try:
            for ref in gone:
                _delete(db, ref)
            for entry in writes:
                _put(db, entry)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def forget(self, refs: list[str]) -> None:
        """Drop deleted sessions at once (the next listing would drop them anyway)."""
        if refs:
            self._forget(lambda db: refs)

    def forget_participant(self, participant: str) -> None:
        """Drop every row of a withdrawn participant (their ID included)."""
        # Refs are "ID/session": every one of this ID sorts from "ID/" to just before "ID0".
        self._forget(lambda db: [ref for (ref,) in db.execute(
            "SELECT ref FROM sessions WHERE ref >= ? AND ref < ?", (participant + "/", participant + "0"))])

    def _forget(self, refs_in) -> None:
        db = self._connect()
        try:
            self._write(db, [], refs_in(db))
            if db is not self._memory:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy of the rows left in the log
        except sqlite3.Error as error:
            if is_damaged(error):
                self._rebuild()  # a damaged index is rebuilt without them
        finally:
            self._close(db)

    # --- for the report ---------------------------------------------------------

    def coverage_counts(self, refs: list[str]) -> dict[tuple[str, str], int]:
        """(question, state) -> sessions among ``refs``."""
        return {(q, s): n for q, s, n in self._query(
            refs, "SELECT question, state, count(*) FROM coverage WHERE ref IN temp.chosen GROUP BY 1, 2")}

    def code_counts(self, refs: list[str]) -> dict[str, tuple[int, int]]:
        """code -> (notes tagged with it, sessions with such a note) among ``refs``."""
        return {code: (notes, sessions) for code, notes, sessions in self._query(
            refs, "SELECT code, sum(notes), count(*) FROM codes WHERE ref IN temp.chosen GROUP BY 1")}

    def guide_hashes(self, refs: list[str]) -> dict[str, str | None]:
        """ref -> hash of the guide copy in force (None when it cannot be read)."""
        return {ref: json.loads(digest).get("guide_hash") for ref, digest in self._query(
            refs, "SELECT ref, digest FROM sessions WHERE ref IN temp.chosen")}

    def guides(self, hashes: list[str]) -> dict[str, GuideFacts]:
        found = {}
        for key, text in self._query(hashes, "SELECT hash, facts FROM guides WHERE hash IN temp.chosen"):
            data = json.loads(text)
            found[key] = GuideFacts(key, data["id"], data["title"], [tuple(q) for q in data["questions"]],
                                    [tuple(c) for c in data["codebook"]])
        return found

    def _query(self, keys: list[str], sql: str) -> list[tuple]:
        db = self._connect()
        try:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM temp.chosen")
            db.executemany("INSERT OR IGNORE INTO temp.chosen VALUES (?)", ((k,) for k in keys))
            return db.execute(sql).fetchall()
        finally:
            self._close(db)

    # --- the file ------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._memory is not None:
            return self._memory
        exists = self.path.exists()
        if not exists and not (self.may_create and self.root.is_dir()):
            return self._connect_memory()  # never make a store folder, or write into another, to index it
        try:
            if not exists:
                os.close(open_private(self.path, os.O_RDWR))  # 0600 before SQLite makes it (and its -wal)
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error):
            return self._connect_memory()
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a power cut may lose the last rows, never the file
            db.execute("PRAGMA secure_delete=ON")  # a forgotten session's bytes are overwritten
            if db.execute("PRAGMA user_version").fetchone()[0] != VERSION:
                _create(db)
        except sqlite3.Error as error:
            db.close()
            if is_damaged(error):
                self._rebuild()
                return self._connect()
            return self._connect_memory()  # read-only store, or a file we may not open
        return db

    def _connect_memory(self) -> sqlite3.Connection:
        if self._memory is None:
            self._memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            _create(self._memory)
        return self._memory

    def _close(self, db: sqlite3.Connection) -> None:
        if db is not self._memory:
            db.close()

    def _recover(self, error: sqlite3.Error) -> None:
        """A damaged file is rebuilt; one that cannot be written is replaced by one in memory."""
        if is_damaged(error):
            self._rebuild()
        elif self._memory is None:
            self._connect_memory()
        else:
            raise error

    def _rebuild(self) -> None:
        self.notices.append(f"The session index {self.path} was damaged; it is rebuilt from the sessions.")
        for name in INDEX_FILES:
            try:
                os.unlink(self.root / name)
            except FileNotFoundError:
                pass
            except OSError:
                self._connect_memory()


def _create(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    for table in ("sessions", "coverage", "codes", "guides"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in SCHEMA:
        db.execute(statement)
    db.execute(f"PRAGMA user_version={VERSION}")
    db.execute("COMMIT")


def _delete(db: sqlite3.Connection, ref: str) -> None:
    for table in ("sessions", "coverage", "codes"):
        db.execute(f"DELETE FROM {table} WHERE ref = ?", (ref,))


def _put(db: sqlite3.Connection, entry: Entry) -> None:
    ref, facts, digest = entry.ref, entry.facts, entry.digest
    if digest is None:  # session.yaml alone was read: the log's digest keeps its own key
        db.execute("INSERT INTO sessions (ref, meta_key, facts) VALUES (?, ?, ?) ON CONFLICT (ref)"
                   " DO UPDATE SET meta_key = excluded.meta_key, facts = excluded.facts",
                   (ref, facts.key, json.dumps(vars(facts))))
        return
    _delete(db, ref)
    summary = {k: v for k, v in vars(digest).items() if k not in ("coverage", "codes")}
    db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
               (ref, facts.key, json.dumps(vars(facts)), digest.key, json.dumps(summary)))
    db.executemany("INSERT INTO coverage VALUES (?, ?, ?, ?, ?)",
                   ((ref, i, q, stage, state) for i, (q, stage, state) in enumerate(digest.coverage)))
    db.executemany("INSERT INTO codes VALUES (?, ?, ?)", ((ref, c, n) for c, n in digest.codes.items()))
    guide = GUIDES.guides.get(digest.guide_hash) if digest.guide_hash else None
    if guide is not None:
        db.execute("INSERT OR IGNORE INTO guides VALUES (?, ?)",
                   (digest.guide_hash, json.dumps(vars(guide_facts(guide, digest.guide_hash)))))


def _digest(data: dict) -> Digest:
    return Digest(**data)  # coverage and codes stay in their tables
