"""End to end: a session recorded for real, killed with SIGKILL, resumed and finished, with a beep
played into the sink at each note's moment. In the session's one audio file, every note's time
in every export lands on its beep.

The recording runs in a child process (beep_child.py) through PortAudio from the PulseAudio null
sink; the exports are written by `companion export` and read back by independent readers.
"""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.audio, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
EAF_XSD = HERE.parent / "export" / "eaf3_schema.xsd"
RATE = 48000
TOLERANCE_MS = 50
TENTH_MS = 50  # NVivo's timespans keep tenths of a second: half a tenth more in those two formats


def child(*args: str, env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "beep_child.py"), *args], stdout=subprocess.PIPE,
                            text=True, env=env)


def lines_until(process: subprocess.Popen, last: str) -> list[str]:
    seen = []
    for line in process.stdout:
        seen.append(line.strip())
        if line.startswith(last):
            return seen
    raise AssertionError(f"the child ended before {last!r}: {seen}")


def export(root: Path, ref: str, fmt: str, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "companion", "--sessions", str(root), "export", ref,
                           "--format", fmt, "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


def beep_onsets(path: Path) -> list[float]:
    with wave.open(str(path), "rb") as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 10000)
    starts = [loud[0]] + [b for a, b in zip(loud, loud[1:]) if b - a > RATE // 10]
    return [s / RATE for s in starts]


def hms(text: str) -> float:
    h, m, s = text.replace(",", ".").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def times_in_every_format(root: Path, ref: str, out: Path) -> dict[str, dict[str, float]]:
    """format -> {note or flag text: start in seconds}, each read by a reader of its own."""
    import pandas
    import srt
    import webvtt
    from lxml import etree
    from pympi.Elan import Eaf

    found: dict[str, dict[str, float]] = {}
    eaf = export(root, ref, "eaf", out / "s.eaf")
    schema = etree.XMLSchema(etree.parse(str(EAF_XSD)))
    assert schema.validate(etree.parse(str(eaf))), schema.error_log
    doc = Eaf(str(eaf))
    [media] = doc.media_descriptors
    one_file = (root / ref / "audio.wav").resolve()
    assert (out / media["RELATIVE_MEDIA_URL"]).resolve() == one_file and media["MEDIA_URL"] == one_file.as_uri()
    assert "TIME_ORIGIN" not in media  # ELAN's model: annotation time + TIME_ORIGIN, none here
    found["eaf"] = {v: s / 1000 for tier in ("note", "note-2", "flag") if tier in doc.get_tier_names()
                    for s, _, v in doc.get_annotation_data_for_tier(tier) if "beep" in v or "moment" in v}
    labels = export(root, ref, "audacity", out / "a.txt").read_text()
    found["audacity"] = {m[3]: float(m[1]) for m in re.finditer(r"(\d+\.\d+)\t(\d+\.\d+)\t([^\n]+)", labels)}
    found["vtt"] = {c.text: hms(c.start) for c in webvtt.read(str(export(root, ref, "vtt", out / "s.vtt")))}
    found["srt"] = {c.content: c.start.total_seconds()
                    for c in srt.parse(export(root, ref, "srt", out / "s.srt").read_text())}
    for fmt in ("nvivo", "nvivo-tsv"):
        rows = export(root, ref, fmt, out / f"{fmt}.txt").read_text().splitlines()[1:]
        found[fmt] = {row.split("\t")[1]: hms(row.split("\t")[0].split("-")[0]) for row in rows}
    table = pandas.read_csv(export(root, ref, "csv", out / "s.csv"), encoding="utf-8-sig", dtype=str)
    found["csv"] = {f"{r.type} {r.text}": float(r.start) for r in table.itertuples()}
    with zipfile.ZipFile(export(root, ref, "qdpx", out / "s.qdpx")) as archive:
        project = etree.parse(io.BytesIO(archive.read("project.qde")))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    found["qdpx"] = {s.findtext("q:Description", namespaces=ns) or "": int(s.get("begin")) / 1000
                     for s in project.iterfind(".//q:AudioSelection", ns)}
    return found


def test_notes_land_on_their_beeps_in_every_format_after_a_kill_and_resume(pulse, tmp_path):
    root = tmp_path / "store"
    env = pulse.env
    first = child(str(root), "new", "3", env=env)
    try:
        seen = lines_until(first, "killable")
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.wait()
    ref = next(line.split()[1] for line in seen if line.startswith("session "))
    folder = root / ref
    assert (folder / "audio-01.partial.wav").exists()  # killed mid-recording
    second = child(str(root), "resume", ref, "3", env=env)
    try:
        lines_until(second, "finished")
    finally:
        second.wait(timeout=30)
    assert second.returncode == 0
    assert sorted(p.name for p in folder.glob("audio*.wav")) == ["audio.wav"]  # one file
    onsets = beep_onsets(folder / "audio.wav")
    assert len(onsets) == 8  # 3 notes and a moment flag in each run
    found = times_in_every_format(root, ref, tmp_path)
    worst = {}
    for fmt, entries in found.items():
        moments = {text: t for text, t in entries.items() if re.search(r"(new|resume) (beep \d|moment)", text)}
        assert len(moments) >= 8, f"{fmt}: {sorted(moments)}"
        errors = [min(abs(t - onset) for onset in onsets) * 1000 for t in moments.values()]
        worst[fmt] = round(float(max(errors)), 1)
        limit = TOLERANCE_MS + (TENTH_MS if fmt.startswith("nvivo") else 0)
        assert max(errors) <= limit, f"{fmt}: errors {errors} ms"
    # Every beep is some note's (none of them stray into the wrong place).
    assert all(min(abs(t - o) for t in found["csv"].values()) * 1000 <= TOLERANCE_MS for o in onsets)
    print(f"beeps at {[round(float(o), 3) for o in onsets]} s; worst error per format (ms): {worst}")
