"""One interview in progress, independent of any screen.

The interview screen calls these methods; each action becomes an event in the
session's log, timed on the recorder's audio timeline. Nothing here blocks on
disk: the writer acknowledges each event through a Future, and ``on_saved`` is
called (from the writer's thread) when a note becomes durable or fails.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Callable

from companion.guide.model import Guide, Question, Stage

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
        self.consent: dict[str, bool] = {}
        self.closing: set[str] = set()
        self.notes: list[Note] = []
        self.flags: list[Flag] = []
        self.started = False
        self.recording_declined = False
        self.on_break = False
        self.ended = False
        self.source_path = guide.path  # the guide file as edited, not the session's copy

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
        question = self.question
        if question is None or not 0 <= index < len(question.probes):
            return None
        self.probes.setdefault(question.id, set()).add(index)
        return self.record("probe.covered", question=question.id, probe=index, text=question.probes[index])

    # --- notes, tags, flags ------------------------------------------------

    def add_note(self, text: str, t: float) -> Note:
        """Save a note taken at ``t`` (when typing began); on_saved reports when it is durable."""
        note = Note(
            t=t,
            text=text,
            question=self.question.id if self.question else None,
            stage=self.stage.id if self.stage else None,
            during_break=self.on_break,
        )
        self.notes.append(note)
        fields = {"during_break": True} if note.during_break else {}
        future = self.record("note", t=t, text=text, codes=[], question=note.question, stage=note.stage, **fields)
        self._track(note, future)
        return note

    def retry_failed(self) -> list[Note]:
        """Write again every event kept after a failure; the notes among them report as usual."""
        failed = [n for n in self.notes if n.status == "failed"]
        kinds = [event["type"] for event in self.writer.pending]
        futures = self.writer.retry()
        note_futures = [f for kind, f in zip(kinds, futures) if kind == "note"]
        for note, future in zip(failed, note_futures):
            note.status, note.error = "saving", ""
            self._track(note, future)
        return failed

    def _track(self, note: Note, future: Future) -> None:
        def done(f: Future) -> None:
            error = f.exception()
            if error is None:
                note.seq, note.status = f.result()["seq"], "saved"
            else:
                note.status, note.error = "failed", str(error)
            self.on_saved(note)

        future.add_done_callback(done)

    @property
    def last_note(self) -> Note | None:
        return self.notes[-1] if self.notes else None

    def tag_last_note(self, codes: list[str]) -> Future | None:
        note = self.last_note
        if note is None or note.seq is None:
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
        self.recorder.start(segment.partial if segment else None, segment.final if segment else None, start)
        self.started = True
        self.segment = segment
        fields = {"declined": True} if self.recording_declined else {}
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

    def tick_closing(self, item_id: str) -> Future:
        self.closing.add(item_id)
        return self.record("closing.tick", item=item_id)

    def finish(self, status: str = "complete") -> None:
        """Stop the recording and close the session (blocking: call it off the UI thread)."""
        if self.ended:
            return
        self.ended = True
        if self.started:
            end = self.now()
            info = self.recorder.stop()
            if self.segment is not None and info is not None and info.frames:
                self.writer.finish_segment(self.segment.index, info.frames, info.rate)
            self.record("recording.stop", t=end, duration=end)
        else:
            self.recorder.stop()  # never started: just release the device
        self.writer.close(status=status)

    def replace_guide(self, guide: Guide) -> None:
        """Use an edited guide from now on; the session saves a copy and logs the change."""
        current = self.question.id if self.question else None
        source = self.source_path
        self.guide = guide
        self.source_path = source
        self.flat = list(guide.questions())
        ids = [q.id for _, q in self.flat]
        self.current = ids.index(current) if current in ids else (0 if self.flat else None)
        copy = self.writer.save_guide_copy(guide)
        self.record("guide.reloaded", copy=copy)

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
                self.recording_declined = bool(event.get("declined"))
            elif kind == "question.shown" and event["question"] in index:
                self.current = index[event["question"]]
                self.shown.add(event["question"])
            elif kind in ("question.covered", "question.skipped"):
                self.coverage[event["question"]] = kind.split(".")[1]
            elif kind == "probe.covered":
                self.probes.setdefault(event["question"], set()).add(event["probe"])
            elif kind == "note":
                note = Note(event["t"], event["text"], event["question"], event["stage"],
                            bool(event.get("during_break")), tuple(event["codes"]), status="saved", seq=event["seq"])
                self.notes.append(note)
                by_seq[note.seq] = note
            elif kind == "note.tagged" and event["note"] in by_seq:
                by_seq[event["note"]].codes = tuple(event["codes"])
            elif kind == "flag":
                note = by_seq.get(event["note"])
                self.flags.append(Flag(event["kind"], event["t"], note, event.get("text", "")))
                if note:
                    note.flags.append(event["kind"])
            elif kind == "closing.tick":
                self.closing.add(event["item"])

    def recording_permitted(self) -> bool:
        """Whether the participant gave permission to record (ticked the item that grants it)."""
        items = [i for i in self.guide.preamble if i.recording_permission]
        return all(self.consent.get(i.id) for i in items) and not self.recording_declined

