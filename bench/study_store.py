"""A synthetic study store for the benchmarks, written with the project's own code.

Sessions of the three shipped guides, 100–1 500 events each over 1–3 hours: consent,
questions shown, covered and skipped, notes with codes, flags (some safeguarding),
probes, breaks and re-tags; about one in eight interrupted part-way (no end), one in
ten due for destruction (its study ended in 2015). Each session is made by
``Store.create`` (folder, session.yaml, guide copy, lock, session.start); the rest of
its log is encoded by the journal's own encoder and written in one go (fsyncing each
of 400 000 lines would take longer than the benchmark), and session.yaml is closed as
the writer closes it. Generated stores are cached under /tmp, keyed by size and seed.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

CACHE = Path("/tmp/i13-bench-stores")
VERSION = 2  # bump when the generator changes


def shipped_guides() -> list:
    from companion.config import shipped_guides_dir
    from companion.guide.loader import find_guides

    return [e.guide for e in find_guides([shipped_guides_dir()]) if e.guide]


def cached_store(sessions: int, seed: int = 13) -> Path:
    """The store's root, generated once per (size, seed)."""
    root = CACHE / f"v{VERSION}-{sessions}-{seed}" / "sessions"
    if (root.parent / "complete").exists():
        return root
    shutil.rmtree(root.parent, ignore_errors=True)
    root.mkdir(parents=True)
    generate(root, sessions, seed)
    (root.parent / "complete").write_text("ok")
    return root


def generate(root: Path, sessions: int, seed: int) -> None:
    from companion.store import Store

    rng = random.Random(seed)
    store = Store(root)
    guides = shipped_guides()
    for n in range(sessions):
        guide = guides[n % len(guides)]
        due = rng.random() < 0.10
        if due:
            guide = dataclasses.replace(guide, study=dataclasses.replace(guide.study, project_end=date(2015, 6, 30)))
        participant = f"{guide.participant_id.prefix}{n // len(guides) + 1}"
        write_session(store, guide, participant, rng)


def write_session(store, guide, participant: str, rng: random.Random) -> None:
    from companion.store import journal
    from companion.store import meta as metafile
    from companion.store.writer import new_counts

    writer = store.create(guide, participant, initials="AB")
    writer.flush()
    writer.abandon()
    interrupted = rng.random() < 0.12
    events = synthetic_log(guide, participant, rng, interrupted)
    with open(writer.path / journal.JOURNAL_NAME, "ab") as log:
        log.write(b"".join(journal.encode_event(e) for e in events))
    meta = metafile.read(writer.path)
    everything = [{"type": "session.start"}] + events
    meta.update(status="interrupted" if interrupted else "complete", counts=new_counts(everything))
    if not interrupted:
        meta["ended"] = events[-1]["wall"]
    metafile.write(writer.path, meta)


def synthetic_log(guide, participant: str, rng: random.Random, interrupted: bool) -> list[dict]:
    total = rng.randint(100, 1500)
    span = rng.uniform(1, 3) * 3600
    began = datetime.now().astimezone()
    questions = [(s.id, q) for s, q in guide.questions()]
    reach = len(questions) if not interrupted else rng.randint(1, len(questions))
    codes = [c.id for c in guide.codebook]
    safeguarding = rng.random() < 0.15
    events: list[dict] = []

    def add(t: float, type: str, **fields) -> None:
        wall = (began + timedelta(seconds=t)).isoformat(timespec="milliseconds")
        events.append({"seq": len(events) + 2, "t": round(t, 6), "wall": wall, "type": type, **fields})

    for item in guide.preamble:
        add(0.0, "consent.tick", item=item.id, checked=True)
    add(0.0, "recording.start", mode="clock", segment=None, reason="benchmark")
    times = sorted(rng.uniform(1, span) for _ in range(max(total - len(events) - 3, 10)))
    notes: list[int] = []
    per_question = max(1, len(times) // reach)
    for i, t in enumerate(times):
        stage, question = questions[min(reach - 1, i // per_question)]
        if i % per_question == 0:
            add(t, "question.shown", question=question.id, stage=stage)
            continue
        roll = rng.random()
        if roll < 0.78 or not notes:
            words = " ".join(rng.choice(("care", "plan", "recovery", "team", "goal", "family", "housing", "stuck"))
                             for _ in range(rng.randint(4, 40)))
            add(t, "note", text=words, codes=rng.sample(codes, rng.randint(0, 2)), question=question.id, stage=stage)
            notes.append(events[-1]["seq"])
        elif roll < 0.84:
            kind = "safeguarding" if safeguarding and rng.random() < 0.2 else rng.choice(("quote", "follow-up"))
            add(t, "flag", kind=kind, note=rng.choice(notes))
        elif roll < 0.90:
            add(t, "question.covered" if rng.random() < 0.85 else "question.skipped", question=question.id, stage=stage)
        elif roll < 0.95 and question.probes:
            add(t, "probe.covered", question=question.id, probe=0, text=question.probes[0])
        elif roll < 0.97:
            add(t, "recording.break")
            add(t, "recording.resume")
        else:
            add(t, "note.tagged", note=rng.choice(notes), codes=rng.sample(codes, 1))
    if not interrupted:
        add(span, "recording.stop")
        add(span, "session.end", status="complete")
    return events
