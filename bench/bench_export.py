"""Fold and export a synthetic 3-hour session of 5 000 events.

Baseline, measured side by side: ``json.loads`` of the same events as JSONL lines —
the least any view of the log must do. Figures are medians; ratios are against it.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time

from pathlib import Path

from companion.export.media import Media
from companion.export.qdpx import SessionSource, render_project, write_qdpx
from companion.export.writer import FORMATS, render
from companion.guide.model import Code, ConsentItem, Guide, IdRule, Question, Stage, Study
from companion.review.fold import fold

TITLE = "Export: fold and every format for a 3-hour session of 5 000 events"
HOURS = 3
EVENTS = 5000


def synthetic_guide() -> Guide:
    stages = tuple(
        Stage(f"stage-{s}", f"Stage {s}", tuple(Question(f"q-{s}-{q}", f"Question {s}.{q}?", probes=("a", "b"))
                                                for q in range(5)))
        for s in range(6)
    )
    codes = tuple(Code(f"code-{i}", f"Theme {i}") for i in range(12))
    return Guide("bench", "Bench guide", "professional", Study("Bench study"), IdRule("PR", r"PR\d+", "PR1"),
                 (ConsentItem("record", "May we record?", True, True),), stages, (), codes)


def synthetic_events(guide: Guide, seed: int = 6) -> list[dict]:
    rng = random.Random(seed)
    questions = [(s.id, q.id) for s, q in guide.questions()]
    events: list[dict] = []

    def add(t: float, type: str, **fields) -> None:
        events.append({"seq": len(events) + 1, "t": round(t, 6), "wall": "2024-03-05T10:00:00.000+00:00",
                       "type": type, **fields})

    add(0, "session.start", participant="PR1", guide=guide.id)
    add(0, "recording.start", mode="audio", segment=1)
    span = HOURS * 3600
    times = sorted(rng.uniform(1, span - 10) for _ in range(EVENTS - 4))
    notes: list[int] = []
    current = 0
    for i, t in enumerate(times):
        stage, question = questions[min(len(questions) - 1, i * len(questions) // len(times))]
        if question != questions[current][1]:
            current += 1
            add(t, "question.shown", question=question, stage=stage)
            continue
        roll = rng.random()
        if roll < 0.80 or not notes:
            text = " ".join(rng.choice(("care", "recovery", "goal", "<team>", "&", "family", "stuck")) for _ in range(rng.randint(3, 40)))
            add(t, "note", text=text, codes=rng.sample([c.id for c in guide.codebook], rng.randint(0, 2)),
                question=question, stage=stage)
            notes.append(len(events))
        elif roll < 0.86:
            add(t, "flag", kind=rng.choice(("quote", "follow-up", "safeguarding")), note=rng.choice(notes))
        elif roll < 0.92:
            add(t, "note.tagged", note=rng.choice(notes), codes=["code-1"])
        elif roll < 0.95:
            add(t, "note.corrected", note=rng.choice(notes), text="corrected text")
        elif roll < 0.97:
            add(t, "question.covered", question=question, stage=stage)
        elif roll < 0.985:
            add(t, "recording.break")
            add(t, "recording.resume")
        else:
            add(t, "probe.covered", question=question, probe=0, text="a")
    add(span, "recording.stop")
    add(span, "session.end", status="complete")
    return events


def seconds(work, *args) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


def median_seconds(work, repeat: int, fresh=None) -> float:
    """The median time of ``work`` (given ``fresh()``, made outside the timing, when asked)."""
    return statistics.median(seconds(work, *((fresh(),) if fresh else ())) for _ in range(repeat))


def export_text_formats(view, media: Media) -> None:
    """Every text format and the codebook, as one export writes them from one fold (what each
    format derives alike from the fold — cues, labels, printed times — is made once and shared).
    These were "every format" when the goal was set; `--format all` writes the eight views."""
    for fmt in TEXT_FORMATS:
        render(view, fmt, media)


def export_everything(view, media: Media) -> None:
    """The text formats and the REFI-QDA project's XML (added since), from one fold."""
    export_text_formats(view, media)
    render_project([SessionSource(view, None)], "bench")


TEXT_FORMATS = [name for name, f in FORMATS.items() if f.kind == "text"]


def run(quick: bool) -> dict:
    repeat = 3 if quick else 9
    guide = synthetic_guide()
    events = synthetic_events(guide)
    jsonl = "\n".join(json.dumps(e, ensure_ascii=False) for e in events)
    view = fold(guide, events)
    media = Media(Path("/sessions/PR1/1/audio.wav"), "../audio.wav")
    # Every export starts from a fold of its own: nothing derived by one timed run helps the next.
    fresh = lambda: fold(guide, events)  # noqa: E731

    def parse() -> None:
        [json.loads(line) for line in jsonl.split("\n")]

    # The baseline and every export of everything, timed in turns so both see the same load.
    baseline_times, text_times, all_times = [], [], []
    for _ in range(repeat):
        baseline_times.append(seconds(parse))
        text_times.append(seconds(export_text_formats, fresh(), media))
        all_times.append(seconds(export_everything, fresh(), media))
    baseline, together = statistics.median(baseline_times), statistics.median(all_times)
    text_together = statistics.median(text_times)
    folding = median_seconds(lambda: fold(guide, events), repeat)
    figures: dict[str, object] = {
        "events": len(events),
        "notes": len(view.notes),
        "baseline_json_loads_ms": baseline * 1000,
        "fold_ms": folding * 1000,
        "fold_vs_baseline": folding / baseline,
    }
    # Each format alone from a fresh fold: what exporting only that format costs.
    for fmt in TEXT_FORMATS:
        figures[f"{fmt}_alone_ms"] = median_seconds(lambda v: render(v, fmt, media), repeat, fresh) * 1000
    # The project's XML (its audio is copied into the zip at copy speed: see bench_join).
    figures["qdpx_xml_alone_ms"] = median_seconds(
        lambda v: render_project([SessionSource(v, None)], "bench"), repeat, fresh) * 1000
    # The project written as its zip (deflated XML, no audio): what the qdpx export adds to its XML.
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        target = Path(folder) / "bench.qdpx"
        figures["qdpx_zip_alone_ms"] = median_seconds(
            lambda v: write_qdpx(target, [SessionSource(v, None)], "bench"), repeat, fresh) * 1000
    figures["text_formats_ms"] = text_together * 1000
    figures["text_formats_vs_baseline"] = text_together / baseline
    figures["all_formats_ms"] = together * 1000
    figures["all_formats_vs_baseline"] = together / baseline
    figures["open_fold_export_all_ms"] = (baseline + folding + together) * 1000
    return figures
