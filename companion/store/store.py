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

from companion.errors import CompanionError, UsageError
from companion.guide.model import Guide
from companion.store import deletion, journal, layout, sealing
from companion.store import meta as metafile
from companion.store import segments as seg
from companion.store.deletion import Deletion
from companion.store.errors import JournalWriteError, ParticipantIdError, StoreError
from companion.store.ids import check_for_guide, is_safe_name
from companion.store.lock import acquire, try_lock
from companion.store.meta import GUIDE_NAME, as_date
from companion.store.retention import is_due, retain_until
from companion.store.safefiles import make_private_dir, replace_atomically
from companion.store.writer import SessionWriter, check_event, new_counts

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
    notes: int
    flags: int
    safeguarding: int
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

    # --- participant IDs ------------------------------------------------------

    def check_participant(self, guide: Guide, text: str) -> str:
        return check_for_guide(guide, text)

    # --- writing ----------------------------------------------------------------

    def create(self, guide: Guide, participant: str, initials: str | None = None) -> SessionWriter:
        """Start a session: its folder, session.yaml, the guide copy, the lock, ``session.start``."""
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
            shutil.rmtree(folder, ignore_errors=True)  # a fresh, empty claim: leave no half session
            if isinstance(error, OSError):
                raise StoreError(f"Could not create the session in {folder}: {error.strerror or error}.") from None
            raise
        writer = SessionWriter(folder, meta, guide, lock, [], 0, seal=seal)
        start = {"participant": participant, "guide": guide.id, "guide_title": guide.title, "audience": guide.audience}
        writer.append("session.start", 0.0, **start, **({"initials": meta["initials"]} if initials else {}))
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
        folder = self.find(ref)
        name = f"{folder.parent.name}/{folder.name}"
        lock = acquire(folder, name)
        try:
            meta = metafile.read(folder)
            if meta.get("status") == "complete":
                raise UsageError(f"Session {name} is complete; only an interrupted session can be resumed.")
            events, problems = journal.read(folder, repair=True)
            _, audio_problems = seg.repair(folder, meta["segments"], _rate(meta))
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
        """Every session, oldest first; dead in-progress sessions read as interrupted."""
        found = [self._summary(folder, today) for folder in self._folders()]
        return sorted((s for s in found if s), key=lambda s: (s.session, s.participant))

    def participant_sessions(self, participant: str, today: date | None = None) -> list[SessionSummary]:
        return [s for s in self.sessions(today) if s.participant == participant]

    def due_sessions(self, today: date | None = None) -> list[SessionSummary]:
        return [s for s in self.sessions(today) if s.due]

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
        for summary in self.due_sessions(today):
            try:
                deleted.append(deletion.delete_session(self.root, summary.path, "purge"))
            except StoreError as error:
                skipped.append((summary, str(error)))
        return deleted, skipped

    def withdraw(self, participant: str) -> list[Deletion]:
        """Delete everything held for a participant ID (already checked for its shape)."""
        if not is_safe_name(participant):
            raise ParticipantIdError(f"{participant!r} is not a participant ID; nothing was deleted.")
        layout.scan(self.root)
        return deletion.withdraw(self.root, participant)

    def _folders(self) -> list[Path]:
        return [folder for _, sessions in layout.scan(self.root) for folder in sessions]

    def _summary(self, folder: Path, today: date | None) -> SessionSummary | None:
        if not (folder / metafile.META_NAME).exists():
            return None  # a creation cut short before session.yaml: not a session
        try:
            meta, events, problems, _ = _inspect(folder)
        except StoreError as error:
            return _unreadable(folder, str(error))
        counts = new_counts(events)
        until = as_date(meta.get("retain_until"))
        ends = [float(e["t"]) for e in events] + ([seg.end_of(meta["segments"])] if meta["segments"] else [])
        return SessionSummary(
            participant=str(meta.get("participant", folder.parent.name)),
            session=str(meta.get("session", folder.name)),
            path=folder,
            guide=str(meta.get("guide", "")),
            guide_title=str(meta.get("guide_title", "")),
            started=meta.get("started"),
            ended=meta.get("ended"),
            duration=round(max(ends), 3) if ends else None,
            notes=counts["notes"],
            flags=counts["flags"],
            safeguarding=counts["safeguarding"],
            status=str(meta.get("status", "interrupted")),
            retain_until=until,
            due=is_due(until, today),
            problems=problems,
        )


def _inspect(folder: Path) -> tuple[dict, list[dict], list[str], bool]:
    """Read a session, repairing what a dead writer left (only when nobody holds its lock)."""
    try:
        lock = try_lock(folder)
    except OSError:
        lock = None  # cannot even open the lock file: read only
        live = False
    else:
        live = lock is None
    try:
        meta = metafile.read(folder)
        events, problems = journal.read(folder, repair=lock is not None)
        if lock is not None:
            changed, audio_problems = seg.repair(folder, meta["segments"], _rate(meta))
            problems += audio_problems
            if meta.get("status") == "in-progress":
                meta["status"], changed = "interrupted", True
            if changed:
                try:
                    metafile.write(folder, meta)
                except StoreError as error:
                    problems.append(str(error))
        elif not live and meta.get("status") == "in-progress":
            meta["status"] = "interrupted"
    finally:
        if lock is not None:
            lock.release()
    return meta, events, problems, live


def _unreadable(folder: Path, problem: str) -> SessionSummary:
    return SessionSummary(folder.parent.name, folder.name, folder, "", "", None, None, None, 0, 0, 0,
                          "interrupted", None, False, [problem])


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _rate(meta: dict) -> int | None:
    audio = meta.get("audio")
    rate = audio.get("rate") if isinstance(audio, dict) else None
    return rate if isinstance(rate, int) else None
