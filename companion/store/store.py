"""The session store: create and resume sessions, list and open them.

Everything here is safe to call while an interview is being written elsewhere:
a session whose lock is held is only read, never repaired or changed.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from companion.errors import CompanionError, UsageError
from companion.guide.model import Guide
from companion.store import deletion, journal, layout, reading, sealing
from companion.store import meta as metafile
from companion.store import segments as seg
from companion.store.deletion import Deletion
from companion.store.errors import JournalWriteError, ParticipantIdError, StoreError
from companion.store.ids import check_for_guide, is_safe_name
from companion.store.index import Entry, Index
from companion.store.lock import acquire, try_lock
from companion.store.meta import GUIDE_NAME, as_date
from companion.store.retention import is_due, retain_until
from companion.store.reading import rate_of
from companion.store.safefiles import make_private_dir, replace_atomically

if TYPE_CHECKING:
    from companion.store.writer import SessionWriter

INITIALS = re.compile(r"[A-Za-z]{1,4}")


@dataclass(frozen=True)
class SessionSummary:
    """One line of `companion sessions`. ``flags`` excludes safeguarding flags, counted apart."""

    participant: str
    session: str
    path: Path
    guide: str
    guide_title: str
    started: str | None  # ISO 8601 with UTC offset
    ended: str | None
    duration: float | None  # seconds of the session's timeline
    # None in listings from session.yaml alone (purge, withdraw): the log was not read
    notes: int | None
    flags: int | None
    safeguarding: int | None
    status: str  # in-progress (being written now), interrupted, complete
    retain_until: date | None
    due: bool
    problems: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.participant}/{self.session}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path)
        data["retain_until"] = self.retain_until.isoformat() if self.retain_until else None
        return data


@dataclass
class SessionRecord:
    """A whole session as read from disk, for review and export."""

    path: Path
    meta: dict
    # The guide in force at the end of the log (a live edit's copy, else guide.yaml);
    # None when it cannot be read (see problems).
    guide: Guide | None
    events: list[dict]
    segments: list[dict]
    problems: list[str]
    keyring: object = None  # the study's key an encrypted session was opened with (plays its audio)

    @property
    def participant(self) -> str:
        return self.meta.get("participant", self.path.parent.name)

    @property
    def session_id(self) -> str:
        return self.meta.get("session", self.path.name)


class Store:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.index = Index(self.root)

    # --- participant IDs ------------------------------------------------------

    def check_participant(self, guide: Guide, text: str) -> str:
        return check_for_guide(guide, text)

    # --- writing ----------------------------------------------------------------

    def create(self, guide: Guide, participant: str, initials: str | None = None) -> SessionWriter:
        """Start a session: its folder, session.yaml, the guide copy, the lock, ``session.start``."""
        from companion.store.writer import SessionWriter, new_counts  # its thread machinery: only when writing
        participant = self.check_participant(guide, participant)
        if initials is not None and not INITIALS.fullmatch(initials):
            raise UsageError(f"{initials!r} are not interviewer initials: use one to four letters, e.g. AB.")
        layout.scan(self.root)  # refuses a file or a folder that is not a store
        started = datetime.now().astimezone()
        recipient = self.recipient()
        folder, lock = self._claim(participant, started)
        try:
            seal = sealing.sealer(folder, participant, folder.name, recipient)
            meta = {
                "participant": participant,
                "session": folder.name,
                "guide": guide.id,
                "guide_title": guide.title,
                "audience": guide.audience,
                **({"initials": initials.upper()} if initials else {}),
                "started": started.isoformat(timespec="milliseconds"),
                "ended": None,
                "status": "in-progress",
                "retain_until": retain_until(guide.study, started.date()).isoformat(),
                "audio": None,
                "segments": [],
                "counts": new_counts(),
                **sealing.meta_entry(recipient),
            }
            replace_atomically(folder / GUIDE_NAME, metafile.dump(metafile.guide_data(guide)))
            metafile.write(folder, meta)
        except BaseException as error:
            lock.release()
            _unclaim(folder)
            if isinstance(error, OSError):
                raise StoreError(f"Could not create the session in {folder}: {error.strerror or error}.") from None
            raise
        writer = SessionWriter(folder, meta, guide, lock, [], 0, seal=seal)
        start = {"participant": participant, "guide": guide.id, "guide_title": guide.title, "audience": guide.audience}
        first = writer.append("session.start", 0.0, **start, **({"initials": meta["initials"]} if initials else {}))
        try:
            first.result()  # a session that cannot write its first line has not started
        except JournalWriteError as error:
            writer.abandon()
            _unclaim(folder)
            raise StoreError(f"Could not start the session in {folder}: {error}") from None
        return writer

    def _claim(self, participant: str, started: datetime):
        """Make the session folder (mkdir is the atomic claim on its id) and lock it at once."""
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
            make_private_dir(self.root)
            make_private_dir(self.root / participant)
            for taken in range(1000):
                folder = self.root / participant / layout.session_id_for(started, taken)
                if make_private_dir(folder):
                    return folder, acquire(folder, f"{participant}/{folder.name}")
        except OSError as error:
            raise StoreError(f"Could not create a session in {self.root}: {error.strerror or error}.") from None
        raise StoreError(f"Could not find a free session id in {self.root / participant}.")

    def resume(self, ref: str | Path) -> SessionWriter:
        """Continue an interrupted session: the log continues, the timeline stays continuous."""
        from companion.store.writer import SessionWriter
        folder = self.find(ref)
        name = f"{folder.parent.name}/{folder.name}"
        lock = acquire(folder, name)
        try:
            meta = metafile.read(folder)
            if meta.get("status") == "complete":
                raise UsageError(f"Session {name} is complete; only an interrupted session can be resumed.")
            events, problems = journal.read(folder, repair=True)
            _, audio_problems = seg.repair(folder, meta["segments"], rate_of(meta))
            guide = metafile.load_guide_copy(folder, events)
            meta["status"] = "in-progress"
            meta.setdefault("resumed", []).append(metafile.now_iso())
            metafile.write(folder, meta)
            size = _size(folder / journal.JOURNAL_NAME)
            seal = sealing.sealer_for(folder, meta)  # a fresh data key: no private key needed
        except BaseException:
            lock.release()
            raise
        writer = SessionWriter(folder, meta, guide, lock, events, size, problems + audio_problems, seal=seal)
        # The segment is None here: the recording.start that follows names the new segment.
        writer.append("session.resume", writer.timeline_end, segment=None)
        return writer

    def amend(self, ref: str | Path, type: str, keyring=None, **fields) -> SessionRecord:
        """Add a correction (e.g. ``note.tagged``, ``note.corrected``) to a session that is not
        being written, as a new event timed like the note it corrects; returns the record again."""
        from companion.store.writer import check_event

        if type.startswith("session."):
            raise ValueError(f"{type!r} is not a correction")
        check_event(type, fields)
        folder = self.find(ref)
        with acquire(folder, f"{folder.parent.name}/{folder.name}"):
            events, _ = journal.read(folder, repair=True, opener=sealing.opener(folder, metafile.read(folder), keyring))
            corrected = next((e for e in events if e["seq"] == fields.get("note")), None)
            t = corrected["t"] if corrected else max((e["t"] for e in events), default=0.0)
            seq = max((e["seq"] for e in events), default=0) + 1
            event = {"seq": seq, "t": t, "wall": metafile.now_iso(), "type": type, **fields}
            path = folder / journal.JOURNAL_NAME
            try:
                seal = sealing.sealer_for(folder, metafile.read(folder))
                journal.JournalFile(path, _size(path), seal).append(journal.encode_event(event))
            except OSError as error:
                raise JournalWriteError(f"Could not save the correction to {path}: {error.strerror or error}.") from None
        return self.open(folder, keyring)

    def check_usable(self) -> None:
        """Before an interview: refuse (one sentence) a store that cannot hold sessions."""
        layout.scan(self.root)
        existing = self.root
        while not existing.exists():
            existing = existing.parent
        if not os.access(existing, os.W_OK | os.X_OK):
            raise StoreError(f"Cannot write to the session store {self.root}: permission denied.")

    # --- reading ------------------------------------------------------------------

    def sessions(self, today: date | None = None) -> list[SessionSummary]:
        """Every session, oldest first; dead in-progress sessions read as interrupted.
        From the index wherever a session's files are unchanged since it was last read."""
        entries = self.index.entries(self._folders(), whole=True)
        return _sorted(summary(entry, today) for entry in entries)

    def participant_sessions(self, participant: str, today: date | None = None) -> list[SessionSummary]:
        """A participant's sessions from their folder alone; counts are None (only session.yaml is read)."""
        folders = layout.participant_sessions(self.root, participant) if is_safe_name(participant) else []
        entries = self.index.entries(folders, whole=False, scope=participant)
        return _sorted(summary(entry, today) for entry in entries)

    def due_sessions(self, today: date | None = None) -> list[SessionSummary]:
        """Sessions whose retain-until date has passed, from session.yaml alone (counts are None)."""
        entries = self.index.entries(self._folders(), whole=False)
        return _sorted(s for s in (summary(entry, today) for entry in entries) if s.due)

    @property
    def notices(self) -> list[str]:
        """One-line notices about the index (e.g. rebuilt after damage), for the caller to show."""
        return self.index.notices

    def recipient(self) -> str | None:
        """The study public key new sessions are encrypted to; None: this store does not encrypt."""
        return sealing.enrolled(self.root)

    def open(self, ref: str | Path, keyring=None, sealed_ok: bool = False) -> SessionRecord:
        """The whole session. An encrypted one needs ``keyring`` (the study's private key), else
        KeyRequired; ``sealed_ok`` reads only its plain parts (resuming without the key)."""
        folder = self.find(ref)
        meta, events, problems, _ = _inspect(folder)
        if sealing.is_sealed(meta) and not sealed_ok:
            opener = sealing.opener(folder, meta, keyring)
            events, more = journal.read(folder, repair=False, opener=opener)
            problems = list(dict.fromkeys(problems + more))
        guide = None
        try:
            guide = metafile.load_guide_copy(folder, events)
        except CompanionError as error:
            problems.append(f"The guide copy {folder / GUIDE_NAME} cannot be read: {error}")
        return SessionRecord(folder, meta, guide, events, meta["segments"], problems,
                             keyring if sealing.is_sealed(meta) else None)

    def find(self, ref: str | Path) -> Path:
        """The folder of a session given as PARTICIPANT/SESSION-ID or as a folder path."""
        text = str(ref)
        parts = text.split("/")
        if len(parts) == 2 and is_safe_name(parts[0]) and layout.SESSION_ID.fullmatch(parts[1]):
            folder = self.root / parts[0] / parts[1]
            if (folder / metafile.META_NAME).is_file():
                return folder
        folder = Path(ref).expanduser()
        if (folder / metafile.META_NAME).is_file():
            return folder
        raise UsageError(
            f"There is no session {text!r} in {self.root}: give PARTICIPANT/SESSION-ID as "
            "`companion sessions` lists it, or a session folder."
        )

    # --- destroying -------------------------------------------------------------

    def purge(self, today: date | None = None) -> tuple[list[Deletion], list[tuple[SessionSummary, str]]]:
        """Delete every session due for destruction; (deleted, skipped with the reason)."""
        deleted, skipped = [], []
        for due in self.due_sessions(today):
            try:
                deleted.append(deletion.delete_session(self.root, due.path, "purge"))
            except StoreError as error:
                skipped.append((due, str(error)))
        self.index.forget([f"{d.participant}/{d.session}" for d in deleted])
        return deleted, skipped

    def withdraw(self, participant: str) -> list[Deletion]:
        """Delete everything held for a participant ID (already checked for its shape)."""
        if not is_safe_name(participant):
            raise ParticipantIdError(f"{participant!r} is not a participant ID; nothing was deleted.")
        layout.scan(self.root)
        try:
            return deletion.withdraw(self.root, participant)
        finally:
            self.index.forget_participant(participant)

    def discard(self, ref: str) -> Deletion:
        """Delete a session that never started — a wrong participant ID caught at the consent
        checklist, before anything was recorded or timed. Once started, a session goes only by
        withdrawal or purge: StoreError. (Checked under the lock the deletion holds, so nobody
        can start it in between.)"""
        folder = self.find(ref)

        def started(folder: Path) -> str | None:
            events, problems = journal.read(folder, repair=False)
            if problems:  # a damaged line could be the start: keep it, to be looked at
                return f"Session {ref} has a damaged log; it was not discarded: {problems[0]}"
            if any(e["type"] == "recording.start" for e in events):
                return f"Session {ref} has started; it was not discarded (withdraw or purge remove it)."
            return None

        try:
            return deletion.delete_session(self.root, folder, "discarded before the start", refuse=started)
        finally:
            self.index.forget([f"{folder.parent.name}/{folder.name}"])

    def _folders(self) -> list[Path]:
        found = [folder for _, sessions in layout.scan(self.root) for folder in sessions]
        self.index.may_create = True  # scan refuses a folder that is not a store
        return found


def _unclaim(folder: Path) -> None:
    """Remove a session folder that was just made, and its participant's folder if now empty."""
    shutil.rmtree(folder, ignore_errors=True)  # a fresh, empty claim: leave no half session
    try:
        folder.parent.rmdir()  # only when empty: the participant's other sessions stay
    except OSError:
        pass


def _inspect(folder: Path) -> tuple[dict, list[dict], list[str], bool]:
    """Read a session, repairing what a dead writer left (only when nobody holds its lock)."""
    try:
        lock = try_lock(folder)
    except OSError:
        lock = None  # cannot even open the lock file: read only
    try:
        return reading.inspect(folder, lock)
    finally:
        if lock is not None:
            lock.release()


def summary(entry: Entry, today: date | None = None) -> SessionSummary:
    """One line of a listing from what the index holds (``entry.digest`` None: session.yaml alone)."""
    facts, digest = entry.facts, entry.digest
    until = as_date(facts.retain_until)
    ends = [t for t in (facts.audio_end, digest.last_t if digest else None) if t is not None]
    status = "interrupted" if facts.status == "in-progress" and not entry.live else facts.status
    return SessionSummary(
        participant=facts.participant,
        session=facts.session,
        path=entry.folder,
        guide=facts.guide,
        guide_title=facts.guide_title,
        started=facts.started,
        ended=facts.ended,
        duration=round(max(ends), 3) if ends and digest else None,
        notes=digest.notes if digest else None,
        flags=digest.flags if digest else None,
        safeguarding=digest.safeguarding if digest else None,
        status=status,
        retain_until=until,
        due=is_due(until, today),
        problems=([facts.problem] if facts.problem else []) + (list(digest.problems) if digest else []),
    )


def _sorted(summaries) -> list[SessionSummary]:
    return sorted(summaries, key=lambda s: (s.session, s.participant))


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0
