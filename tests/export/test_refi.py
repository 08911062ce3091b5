"""REFI-QDA exports (qdpx projects, qdc codebooks) checked against the REFI-QDA 1.0 schemas and
against what the specification requires beyond them: GUIDs unique, every reference resolving to
an element of the right kind, selections with begin < end in whole milliseconds of the log."""

from __future__ import annotations

import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from companion.export.qdpx import SessionSource, render_project, write_qdpx
from companion.export.refi_codes import render_qdc
from companion.export.timefmt import to_ms
from companion.export.writer import write_exports
from companion.store import Store

HERE = Path(__file__).resolve().parent
P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"
# Which element a reference must point at.
TARGETS = {"CodeRef": {"Code"}, "NoteRef": {"Note"}, "SourceRef": {"AudioSource", "TextSource"},
           "VariableRef": {"Variable"}, "SelectionRef": {"AudioSelection"}}


def validate(doc, schema: str) -> None:
    xsd = etree.XMLSchema(etree.parse(str(HERE / schema)))
    assert xsd.validate(doc), xsd.error_log


def conforms(doc) -> dict[str, etree._Element]:
    """The checks the specification makes beyond the schema; returns elements by GUID."""
    by_guid: dict[str, etree._Element] = {}
    for element in doc.iter():
        if element.get("guid"):
            assert element.get("guid") not in by_guid, f"GUID used twice: {element.get('guid')}"
            by_guid[element.get("guid")] = element
    for element in doc.iter():
        tag = etree.QName(element).localname
        if tag in TARGETS:
            target = by_guid.get(element.get("targetGUID"))
            assert target is not None, f"{tag} to nothing: {element.get('targetGUID')}"
            assert etree.QName(target).localname in TARGETS[tag], f"{tag} points at a {etree.QName(target).localname}"
        for attr in ("creatingUser", "creatingUserGUID"):
            if element.get(attr):
                assert etree.QName(by_guid[element.get(attr)]).localname == "User"
        if tag == "AudioSelection":
            begin, end = element.get("begin"), element.get("end")
            assert begin.isdigit() and end.isdigit() and int(begin) < int(end)
    return by_guid


def read_project(path: Path):
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        doc = etree.fromstring(archive.read("project.qde"))
    return doc, names


def test_a_session_project_validates_and_matches_the_log(view, tmp_path):
    text, files = render_project([SessionSource(view, None)], "PR11")
    doc = etree.fromstring(text.encode("utf-8"))
    validate(doc, "refi_qda_project_1_0.xsd")
    by_guid = conforms(doc)
    [source] = doc.findall(f"{P}Sources/{P}AudioSource")
    assert source.get("path") is None and files == {}  # a session without audio links nothing
    selections = {s.get("name"): s for s in source.findall(f"{P}AudioSelection")}
    for note in view.notes:
        selection = selections[f"note {note.seq}"]
        assert (int(selection.get("begin")), int(selection.get("end"))) == (to_ms(note.t), max(to_ms(note.end), to_ms(note.t) + 1))
        assert (selection.findtext(f"{P}Description") or "").startswith(note.text.split("\n")[0])
        coded = {by_guid[c.get("targetGUID")].get("name") for c in selection.iter(f"{P}CodeRef")}
        assert {view.guide.code(c).label for c in note.codes} <= coded
        assert {"quote", "SAFEGUARDING", "follow-up"} & coded == {
            {"safeguarding": "SAFEGUARDING"}.get(f.kind, f.kind) for f in note.flags}
        if note.text:
            memo = by_guid[selection.find(f"{P}NoteRef").get("targetGUID")]
            assert memo.findtext(f"{P}PlainTextContent").startswith(note.text.split("\n")[0])
    [moment_flag] = [f for f in view.flags if f.note is None]
    moment = selections[f"flag {moment_flag.seq}"]
    assert int(moment.get("begin")) == to_ms(moment_flag.t)
    assert {by_guid[c.get("targetGUID")].get("name") for c in moment.iter(f"{P}CodeRef")} == {
        "follow-up", "stuck: How do you know when things are stuck?"}
    # The codebook's hierarchy, the flags and the guide's stage → question tree.
    stuck = next(c for c in doc.iter(f"{P}Code") if c.get("name") == "Recognising when you are stuck")
    assert [c.get("name") for c in stuck.findall(f"{P}Code")] == ["Recognising"]
    flags = next(c for c in doc.iter(f"{P}Code") if c.get("name") == "Flags")
    assert flags.get("isCodable") == "false" and len(flags.findall(f"{P}Code")) == 3
    [case] = doc.findall(f"{P}Cases/{P}Case")
    assert case.get("name") == "PR11" and case.find(f"{P}SourceRef").get("targetGUID") == source.get("guid")


def test_the_codebook_alone_validates_and_shares_the_projects_guids(view):
    qdc = etree.fromstring(render_qdc([view.guide]).encode("utf-8"))
    validate(qdc, "refi_qda_codebook_1_0.xsd")
    codes = {c.get("name"): c.get("guid") for c in qdc.iter(f"{C}Code")}
    project = etree.fromstring(render_project([SessionSource(view, None)], "x")[0].encode("utf-8"))
    assert codes == {c.get("name"): c.get("guid") for c in project.iter(f"{P}Code")}
    assert len(set(codes.values())) == len(codes)


def test_a_stored_session_carries_its_one_audio_file_inside(stored, tmp_path):
    root, ref = stored
    record = Store(root).open(ref)
    [path] = write_exports(record, "qdpx", tmp_path / "one.qdpx", warn=None)
    doc, names = read_project(path)
    validate(doc, "refi_qda_project_1_0.xsd")
    conforms(doc)
    [source] = doc.findall(f"{P}Sources/{P}AudioSource")
    member = "sources/" + source.get("path").removeprefix("internal://")
    assert source.get("path").startswith("internal://") and member in names
    with zipfile.ZipFile(path) as archive, archive.open(member) as wav_file, wave.open(wav_file) as wav:
        with wave.open(str(record.path / "audio.wav")) as joined:
            assert wav.getnframes() == joined.getnframes() == 3603 * 1000
    [linked] = write_exports(record, "qdpx", tmp_path / "linked.qdpx", warn=None, link_audio=True)
    doc, names = read_project(linked)
    [source] = doc.findall(f"{P}Sources/{P}AudioSource")
    assert source.get("path") == "absolute://" + (record.path / "audio.wav").resolve().as_posix()
    assert names == ["project.qde"]


def companion(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "companion", *args], capture_output=True, text=True)


def test_all_sessions_into_one_project(stored, write_session, tmp_path):
    root, first = stored
    second = write_session(root)
    done = companion("--sessions", str(root), "export", "--all", "--format", "qdpx", "-o", str(tmp_path / "study.qdpx"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "study.qdpx") and "Traceback" not in done.stderr
    assert "joined the audio of" in done.stderr
    doc, names = read_project(tmp_path / "study.qdpx")
    validate(doc, "refi_qda_project_1_0.xsd")
    conforms(doc)
    sources = doc.findall(f"{P}Sources/{P}AudioSource")
    assert sorted(s.get("name") for s in sources) == sorted(r.replace("/", "-") for r in (first, second))
    assert len([n for n in names if n.startswith("sources/")]) == 2
    [case] = doc.findall(f"{P}Cases/{P}Case")  # one participant, two interviews
    assert len(case.findall(f"{P}SourceRef")) == 2
    done = companion("--sessions", str(root), "export", "--all", "--format", "qdc", "-o", str(tmp_path / "book.qdc"))
    assert done.returncode == 0, done.stderr
    validate(etree.parse(str(tmp_path / "book.qdc")), "refi_qda_codebook_1_0.xsd")


def test_all_needs_a_file_for_one_project_and_no_session(stored, tmp_path):
    root, ref = stored
    done = companion("--sessions", str(root), "export", "--all", "--format", "qdpx")
    assert done.returncode == 2 and "-o" in done.stderr and done.stderr.count("\n") == 1
    done = companion("--sessions", str(root), "export", ref, "--all", "--format", "qdpx", "-o", str(tmp_path / "x"))
    assert done.returncode == 2 and "SESSION" in done.stderr


@pytest.mark.parametrize("fmt", ["qdpx", "flac"])
def test_binary_formats_are_not_written_to_stdout(stored, fmt):
    root, ref = stored
    done = companion("--sessions", str(root), "export", ref, "--format", fmt, "-o", "-")
    assert done.returncode == 2 and done.stdout == "" and "-o FILE" in done.stderr


def test_a_project_is_written_whole_or_not_at_all(view, tmp_path):
    target = tmp_path / "p.qdpx"
    missing = tmp_path / "gone.wav"
    with pytest.raises(FileNotFoundError):
        write_qdpx(target, [SessionSource(view, missing)], "p")
    assert list(tmp_path.iterdir()) == []
