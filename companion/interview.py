"""One interview in progress, independent of any screen.

The interview screen calls these methods; each action becomes an event in the
session's log, timed on the recorder's audio timeline. Nothing here blocks on
disk: the writer acknowledges each event through a Future, and ``on_saved`` is
called (from the writer's thread) when a note becomes durable or fails.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable

from companion.guide.model import Guide, Question, Stage

SEALED_NOTE = "(an earlier note — encrypted)"

COVERED, SKIPPED = "covered", "skipped"


@dataclass
class Note:
    t: float
    text: str
    question: str | None
    stage: str | None
    during_break: bool = False
    codes: tuple[str, ...] = ()
    flags: list[str] = field(default_factory=list)
    status: str = "saving"  # saving → saved, or failed (kept for retry)
    seq: int | None = None
    error: str = ""


@dataclass(frozen=True)
class NoteStart:
    """Where the interview was when typing began: the moment the participant said it."""

    t: float
    question: str | None
    stage: str | None
    during_break: bool


@dataclass
class Flag:
    kind: str
    t: float
    note: Note | None
    text: str = ""


class Interview:
    """Where the interviewer is in the guide, what is covered, and every action as an event."""

    def __init__(self, writer, recorder, guide: Guide, on_saved: Callable[[Note], None] | None = None):
        self.writer = writer
        self.recorder = recorder
        self.guide = guide
        self.on_saved = on_saved or (lambda note: None)
        self.flat: list[tuple[Stage, Question]] = list(guide.questions())
        self.current: int | None = None
        self.coverage: dict[str, str] = {}
        self.shown: set[str] = set()
        self.probes: dict[str, set[int]] = {}
        self.prompts: dict[str, set[int]] = {}  # prompts ticked, like probes
        self.consent: dict[str, bool] = {}
        self.closing: set[str] = set()
        self.notes: list[Note] = []
        self.flags: list[Flag] = []
        self.started = False
        self.recording_declined = False
        self.on_break = False
        self.stopped = False  # the recording is stopped and its end logged
        self.ended = False  # the session is closed on disk
        self.source_path = guide.path  # the guide file as edited, not the session's copy
        self.was_started = False  # a resumed session's log shows a recording.start
        self._finishing = threading.Lock()

    # --- time and events -------------------------------------------------

    def now(self) -> float:
        """The audio offset of this moment (0 before the timeline starts)."""
        return self.recorder.position() if self.started else 0.0

    def record(self, type: str, t: float | None = None, **fields) -> Future:
        return self.writer.append(type, self.now() if t is None else t, **fields)

    # --- consent ----------------------------------------------------------

    def tick_consent(self, item_id: str, checked: bool = True) -> Future:
        self.consent[item_id] = checked
        return self.record("consent.tick", item=item_id, checked=checked)

    def missing_consent(self, for_recording: bool = True) -> list[str]:
        """Required items not yet ticked; without recording, the recording permission may stay unticked."""
        return [
            item.text
            for item in self.guide.preamble
            if item.required
            and not self.consent.get(item.id)
            and (for_recording or not item.recording_permission)
        ]

    def can_start(self, record: bool) -> bool:
        return not self.started and not self.missing_consent(for_recording=record)

    # --- position in the guide -------------------------------------------

    @property
    def stage(self) -> Stage | None:
        return None if self.current is None else self.flat[self.current][0]

    @property
    def question(self) -> Question | None:
        return None if self.current is None else self.flat[self.current][1]

    def go_to(self, index: int) -> bool:
        """Show question ``index`` (clamped); False when it is already current."""
        index = max(0, min(index, len(self.flat) - 1))
        if index == self.current:
            return False
        self.current = index
        stage, question = self.flat[index]
        self.shown.add(question.id)
        self.record("question.shown", question=question.id, stage=stage.id)
        return True

    def step(self, delta: int) -> bool:
        return self.go_to(0 if self.current is None else self.current + delta)

    def step_stage(self, delta: int) -> bool:
        """First question of the next (or previous) stage; back from mid-stage goes to this stage's start."""
        starts = [i for i, (s, _) in enumerate(self.flat) if i == 0 or self.flat[i - 1][0] is not s]
        here = self.current or 0
        if delta > 0:
            later = [i for i in starts if i > here]
            return bool(later) and self.go_to(later[0])
        earlier = [i for i in starts if i < here]
        return bool(earlier) and self.go_to(earlier[-1])

    def find(self, text: str) -> list[int]:
        """Questions whose words contain every word typed, in guide order."""
        words = text.lower().split()
        return [
            i
            for i, (stage, q) in enumerate(self.flat)
            if all(w in f"{stage.title} {q.id} {q.ask} {q.lead_in}".lower() for w in words)
        ]

    def stage_progress(self, stage: Stage) -> tuple[int, int]:
        done = sum(1 for q in stage.questions if q.id in self.coverage)
        return done, len(stage.questions)

    # --- coverage ----------------------------------------------------------

    def mark(self, state: str) -> Future | None:
        if self.question is None:
            return None
        self.coverage[self.question.id] = state
        return self.record(f"question.{state}", question=self.question.id, stage=self.stage.id)

    def cover_probe(self, index: int) -> Future | None:
        return self.cover_follow_up("probe", index)

    def cover_prompt(self, index: int) -> Future | None:
        return self.cover_follow_up("prompt", index)

    def cover_follow_up(self, kind: str, index: int) -> Future | None:
        """Tick the current question's probe or prompt ``index`` as asked (``kind`` names which)."""
        question = self.question
        items = getattr(question, f"{kind}s") if question else ()
        if not 0 <= index < len(items):
            return None
        ticked = self.probes if kind == "probe" else self.prompts
        ticked.setdefault(question.id, set()).add(index)
        return self.record(f"{kind}.covered", question=question.id, **{kind: index}, text=items[index])

    # --- notes, tags, flags ------------------------------------------------

    def begin_note(self) -> NoteStart:
        """Called when typing starts: the note belongs to this moment, question and stage."""
        return NoteStart(
            t=self.now(),
            question=self.question.id if self.question else None,
            stage=self.stage.id if self.stage else None,
            during_break=self.on_break,
        )

    def add_note(self, text: str, start: NoteStart | None = None) -> Note:
        """Save a note begun at ``start``; on_saved reports when it is durable (or failed)."""
        start = start or self.begin_note()
        note = Note(t=start.t, text=text, question=start.question, stage=start.stage, during_break=start.during_break)
        self.notes.append(note)
        fields = {"during_break": True} if note.during_break else {}
        future = self.record("note", t=note.t, text=text, codes=[], question=note.question, stage=note.stage, **fields)
        note.seq = future.seq
        self._track(note, future)
        return note

    def retry_failed(self) -> list[Note]:
        """Write again every event kept after a failure; the notes among them report as usual."""
        failed = [n for n in self.notes if n.status == "failed"]
        futures = {f.seq: f for f in self.writer.retry()}
        for note in failed:
            note.status, note.error = "saving", ""
            if note.seq in futures:
                self._track(note, futures[note.seq])
            else:
                self._reconcile(note)
        return failed

    def _track(self, note: Note, future: Future) -> None:
        def done(f: Future) -> None:
            error = f.exception()
            if error is None:
                note.status = "saved"
            else:
                note.status, note.error = "failed", str(error)
            self.on_saved(note)

        future.add_done_callback(done)

    def _reconcile(self, note: Note) -> None:
        """A note no longer pending was written by an earlier retry: it is saved."""
        if note.seq not in {event["seq"] for event in self.writer.pending}:
            note.status = "saved"
            self.on_saved(note)

    @property
    def unsaved(self) -> int:
        return len(self.writer.pending)

    @property
    def last_note(self) -> Note | None:
        return self.notes[-1] if self.notes else None

    def tag_last_note(self, codes: list[str]) -> Future | None:
        note = self.last_note
        if note is None:
            return None
        note.codes = tuple(codes)
        return self.record("note.tagged", note=note.seq, codes=list(codes))

    def flag(self, kind: str, on_note: bool, text: str = "") -> Flag:
        note = self.last_note if on_note else None
        t = note.t if note else self.now()
        flag = Flag(kind=kind, t=t, note=note, text=text)
        self.flags.append(flag)
        if note:
            note.flags.append(kind)
        question = self.question.id if self.question else None
        stage = self.stage.id if self.stage else None
        self.record("flag", t=t, kind=kind, note=note.seq if note else None, text=text, question=question, stage=stage)
        return flag

    @property
    def safeguarding(self) -> bool:
        return any(f.kind == "safeguarding" for f in self.flags)

    # --- recording ------------------------------------------------------------

    def start(self, record: bool) -> None:
        """Begin the timeline (blocking: opens the audio device — call it off the UI thread)."""
        self.recording_declined = not record
        segment = self.writer.new_segment() if self.recorder.mode == "audio" else None
        start = segment.start if segment else self.writer.timeline_end
        if self.on_break:  # resumed on a break: the recorder starts held, and nothing is recorded
            self.recorder.pause()
        sealed = {"make_writer": segment.make_writer} if segment and segment.make_writer else {}  # encrypted store
        self.recorder.start(segment.partial if segment else None, segment.final if segment else None, start, **sealed)
        self.started = True
        self.segment = segment
        fields = {"declined": True} if self.recording_declined else {}
        if self.on_break:
            fields["on_break"] = True
        if self.recorder.mode != "audio" and self.recorder.state.reason:
            fields["reason"] = self.recorder.state.reason
        self.record(
            "recording.start",
            mode=self.recorder.mode,
            segment=segment.index if segment else None,
            device=getattr(self.recorder, "device_name", None),
            rate=getattr(self.recorder, "rate", None),
            **fields,
        )

    def save_audio_meta(self) -> None:
        """Say in session.yaml how this session is recorded (blocking: off the UI thread)."""
        self.writer.update_meta(audio=self.audio_meta())

    def audio_meta(self) -> dict:
        meta = {"mode": self.recorder.mode, "declined": self.recording_declined}
        if self.recorder.mode == "audio":
            meta |= {"device": self.recorder.device_name, "rate": self.recorder.rate}
        else:
            meta["reason"] = self.recorder.state.reason
        return meta

    def take_break(self) -> Future | None:
        if not self.started or self.on_break:
            return None
        self.recorder.pause()
        self.on_break = True
        return self.record("recording.break")

    def resume(self) -> Future | None:
        if not self.on_break:
            return None
        self.recorder.resume()
        self.on_break = False
        return self.record("recording.resume")

    def tick_closing(self, item_id: str, checked: bool = True) -> Future:
        (self.closing.add if checked else self.closing.discard)(item_id)
        return self.record("closing.tick", item=item_id, checked=checked)

    def finish(self, status: str = "complete") -> None:
        """Stop the recording and close the session (blocking: call it off the UI thread).

        Raises a CompanionError when the session cannot be completed on disk; every event is
        kept, and calling finish() again retries without stopping or logging anything twice.
        Safe from two threads at once (a signal's close while the interviewer's is running)."""
        with self._finishing:
            if self.ended:
                return
            if not self.stopped:
                self._stop_recording()
            self.writer.close(status=status)
            self.ended = True

    def _stop_recording(self) -> None:
        if not self.started:
            self.recorder.stop()  # never started: just release the device
            self.stopped = True
            return
        end = self.now()
        info = self.recorder.stop()
        self.stopped = True
        self.record("recording.stop", t=end, duration=end)
        if self.segment is not None and info is not None and info.frames:
            self.writer.finish_segment(self.segment.index, info.frames, info.rate)

    def use_guide(self, guide: Guide, copy: str) -> None:
        """Use an edited guide from now on (the session saved it as ``copy``); on the UI thread.

        The current question stays current when it is still there; otherwise the first
        question is shown, and logged as shown, so later notes name a question the log knows."""
        current = self.question.id if self.question else None
        self.guide = guide
        self.flat = list(guide.questions())
        self.record("guide.reloaded", copy=copy)
        ids = [q.id for _, q in self.flat]
        if current in ids:
            self.current = ids.index(current)
        else:
            self.current = None
            self.go_to(0)

    # --- resuming -------------------------------------------------------------

    def restore(self, events: list[dict]) -> None:
        """Rebuild where the interview was from the log of an interrupted session."""
        by_seq: dict[int, Note] = {}
        index = {q.id: i for i, (_, q) in enumerate(self.flat)}
        for event in events:
            kind = event["type"]
            if kind == "consent.tick":
                self.consent[event["item"]] = bool(event["checked"])
            elif kind == "recording.start":
                self.was_started = True
                self.recording_declined = bool(event.get("declined"))
                self.on_break = bool(event.get("on_break"))
            elif kind in ("recording.break", "recording.resume"):
                self.on_break = kind == "recording.break"  # a stop (leaving) keeps the break
            elif kind == "question.shown" and event["question"] in index:
                self.current = index[event["question"]]
                self.shown.add(event["question"])
            elif kind in ("question.covered", "question.skipped"):
                self.coverage[event["question"]] = kind.split(".")[1]
            elif kind == "probe.covered":
                self.probes.setdefault(event["question"], set()).add(event["probe"])
            elif kind == "prompt.covered":
                self.prompts.setdefault(event["question"], set()).add(event["prompt"])
            elif kind == "note":
                # An encrypted session resumed without the key: the note is there, its text sealed.
                note = Note(event["t"], event.get("text", SEALED_NOTE), event["question"], event["stage"],
                            bool(event.get("during_break")), tuple(event.get("codes", ())), status="saved",
                            seq=event["seq"])
                self.notes.append(note)
                by_seq[note.seq] = note
            elif kind == "note.tagged" and event["note"] in by_seq and "codes" in event:
                by_seq[event["note"]].codes = tuple(event["codes"])
            elif kind == "flag":
                note = by_seq.get(event["note"])
                self.flags.append(Flag(event["kind"], event["t"], note, event.get("text", "")))
                if note:
                    note.flags.append(event["kind"])
            elif kind == "closing.tick":
                (self.closing.add if event.get("checked", True) else self.closing.discard)(event["item"])

    def recording_permitted(self) -> bool:
        """Whether a resumed session may record: it was recording before, and the permission
        to record (where the guide has such an item) is still ticked."""
        items = [i for i in self.guide.preamble if i.recording_permission]
        ticked = all(self.consent.get(i.id) for i in items)
        return self.was_started and ticked and not self.recording_declined

