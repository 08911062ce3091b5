"""``qdpx``: a REFI-QDA 1.0 project (ATLAS.ti, MAXQDA, NVivo, QualCoder) of one session or a store.

A zip holding ``project.qde`` (namespace urn:QDA-XML:project:1.0, in the element order
Project.xsd prescribes) and ``sources/``. Each session is one AudioSource — its one audio
file, inside the zip as ``internal://<guid>.wav`` or linked as ``absolute://<path>`` —
holding an AudioSelection (begin/end in integer milliseconds) per note, per moment flag
and per question asked. A note's selection is coded with its codes, its flags and its
question, carries its text as Description and points (NoteRef) to a Note memo. Each
participant is a Case referring to their sessions' sources.
"""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from companion import __version__
from companion.collector import collector_paused
from companion.export.common import base_name, code_labels, flag_words, question_ask
from companion.export.refi_codes import CodeIndex, code_elements, code_index, guid
from companion.export.text import clean, one_line
from companion.export.timefmt import to_ms
from companion.review.fold import SessionView

NS = "urn:QDA-XML:project:1.0"
VARIABLES = ("Guide", "Audience", "Session", "Started", "Status")


@dataclass(frozen=True)
class SessionSource:
    """One session for the project: its fold and its one audio file (None: no audio)."""

    view: SessionView
    audio: Path | None


class _QualifiedTags(dict):
    """``{NS}tag`` of each tag, made on first use."""

    def __missing__(self, tag: str) -> str:
        value = self[tag] = f"{{{NS}}}{tag}"
        return value


_TAG = _QualifiedTags()
SubElement = ET.SubElement


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = SubElement(parent, _TAG[tag], attrs)
    if text is not None:
        element.text = text
    return element


class _Project:
    def __init__(self, sources: list[SessionSource], name: str, link_audio: bool, now: datetime):
        self.sources = sources
        self.link = link_audio
        self.when = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.user = guid("user:companion")
        self.made = {"creatingUser": self.user, "creationDateTime": self.when}  # on every coded thing
        self.codes: CodeIndex = code_index([s.view.guide for s in sources])
        self.notes: list[ET.Element] = []
        self.files: dict[str, Path] = {}  # name in sources/ -> file to copy
        ET.register_namespace("", NS)
        self.root = ET.Element(_TAG["Project"], {
            "name": name, "origin": f"companion {__version__}", "creatingUserGUID": self.user,
            "creationDateTime": self.when,
        })

    def build(self) -> ET.Element:
        users = _sub(self.root, "Users")
        _sub(users, "User", guid=self.user, name="companion")
        code_elements(_sub(_sub(self.root, "CodeBook"), "Codes"), self.codes.roots, NS)
        variables = _sub(self.root, "Variables")
        for name in VARIABLES:
            _sub(variables, "Variable", guid=guid(f"variable:{name}"), name=name, typeOfVariable="Text")
        self._cases(_sub(self.root, "Cases"))
        sources = _sub(self.root, "Sources")
        for source in self.sources:
            self._source(sources, source)
        if self.notes:
            _sub(self.root, "Notes").extend(self.notes)
        return self.root

    def _cases(self, cases: ET.Element) -> None:
        by_participant: dict[str, list[SessionSource]] = {}
        for source in self.sources:
            by_participant.setdefault(source.view.participant, []).append(source)
        for participant, owned in by_participant.items():
            case = _sub(cases, "Case", guid=guid(f"case:{participant}"), name=participant)
            self._value(case, "Audience", owned[0].view.guide.audience)
            for source in owned:
                _sub(case, "SourceRef", targetGUID=self._source_guid(source.view))

    @staticmethod
    def _source_guid(view: SessionView) -> str:
        return guid(f"source:{view.participant}/{view.session}")

    def _value(self, parent: ET.Element, name: str, value: str) -> None:
        element = _sub(parent, "VariableValue")
        _sub(element, "VariableRef", targetGUID=guid(f"variable:{name}"))
        _sub(element, "TextValue", str(value))

    def _source(self, parent: ET.Element, source: SessionSource) -> None:
        view = source.view
        ident = self._source_guid(view)
        attrs = {"guid": ident, "name": base_name(view), "creatingUser": self.user, "creationDateTime": self.when}
        if source.audio is not None:
            if self.link:
                attrs["path"] = "absolute://" + Path(source.audio).resolve().as_posix()
            else:
                attrs["path"] = f"internal://{ident}.wav"
                self.files[f"{ident}.wav"] = Path(source.audio)
        element = _sub(parent, "AudioSource", **attrs)
        about = f"Interview {view.participant}, session {view.session}, guide {view.guide.title}"
        _sub(element, "Description", about if source.audio else about + " (no audio: clock mode)")
        for begin, end, name, key, text, codes in self._selections(view):
            self._selection(element, view, begin, end, name, key, text, codes)
        for name, value in zip(VARIABLES, (view.guide.id, view.guide.audience, view.session,
                                           view.meta.get("started") or "", view.status)):
            self._value(element, name, value)

    def _selections(self, view: SessionView):
        """(begin ms, end ms, name, key, text, code guids) per note, moment flag and question asked."""
        question = self.codes.questions
        for note in view.notes:
            codes = [self.codes.codes[c] for c in note.codes if c in self.codes.codes]
            codes += [self.codes.flags[f.kind] for f in note.flags if f.kind in self.codes.flags]
            if (view.guide.id, note.question) in question:
                codes.append(question[(view.guide.id, note.question)])
            text = clean(note.text)
            details = [f"tags: {', '.join(code_labels(view, note.codes))}" if note.codes else "",
                       f"flags: {', '.join(flag_words(f) for f in note.flags)}" if note.flags else ""]
            memo = "\n".join([text, *(d for d in details if d)])
            yield to_ms(note.t), to_ms(note.end), f"note {note.seq}", f"note:{note.seq}", memo, codes
        for flag in view.flags:
            if flag.note is None:
                codes = [self.codes.flags[flag.kind]] if flag.kind in self.codes.flags else []
                if (view.guide.id, flag.question) in question:
                    codes.append(question[(view.guide.id, flag.question)])
                yield to_ms(flag.t), to_ms(flag.end), f"flag {flag.seq}", f"flag:{flag.seq}", flag_words(flag), codes
        for span in view.question_spans:
            if (view.guide.id, span.id) in question:
                yield (to_ms(span.start), to_ms(span.end), f"Q {span.id}", f"question:{span.id}:{to_ms(span.start)}",
                       one_line(question_ask(view, span.id)), [question[(view.guide.id, span.id)]])

    def _selection(self, parent: ET.Element, view: SessionView, begin: int, end: int, name: str, key: str,
                   text: str, codes: list[str]) -> None:
        # A long session has thousands of selections: qualified tags are made once (_TAG), every
        # element's "who and when" attributes are copied from one dict, and each selection and
        # note is laid out as it is made (see _layout).
        scope = f"{view.participant}/{view.session}/{key}"
        made = self.made
        element = SubElement(parent, _TAG["AudioSelection"], {
            "guid": guid(f"selection:{scope}"), "name": name, "begin": str(begin), "end": str(max(end, begin + 1)),
            **made})
        if text:
            SubElement(element, _TAG["Description"]).text = text
        for code in dict.fromkeys(codes):
            coding = SubElement(element, _TAG["Coding"], {"guid": guid(f"coding:{scope}:{code}"), **made})
            SubElement(coding, _TAG["CodeRef"], {"targetGUID": code}).tail = INDENT[4]
            coding.text = INDENT[5]
        if text and not key.startswith("question:"):
            note_guid = guid(f"memo:{scope}")
            SubElement(element, _TAG["NoteRef"], {"targetGUID": note_guid})
            note = ET.Element(_TAG["Note"], {"guid": note_guid, "name": f"{view.participant} {name}", **made})
            SubElement(note, _TAG["PlainTextContent"]).text = text
            note.text, note[0].tail, note.tail = INDENT[3], INDENT[2], INDENT[2]
            self.notes.append(note)
        for child in element:
            child.tail = INDENT[4]
        if len(element):
            element.text, child.tail = INDENT[4], INDENT[3]
        element.tail = INDENT[3]


# project.qde is laid out as ET.indent(root, space="  ") lays it out. The selections and notes
# (nine in ten elements) get their line breaks as they are made; indenting them afterwards
# walked every element again.
SPACE = "  "
INDENT = ["\n" + SPACE * level for level in range(6)]  # a line break, then the level's indentation


def _layout(root: ET.Element) -> None:
    """The line breaks ET.indent would add, where the selections and notes have not had them."""
    root.text = INDENT[1]
    for part in root:
        if part.tag == _TAG["Sources"]:
            _layout_sources(part)
        elif part.tag == _TAG["Notes"]:
            part.text, part[-1].tail = INDENT[2], INDENT[1]
        else:
            ET.indent(part, space=SPACE, level=1)
        part.tail = INDENT[1]
    part.tail = INDENT[0]


def _layout_sources(sources: ET.Element) -> None:
    for source in sources:
        for child in source:  # the selections are laid out already
            if child.tag != _TAG["AudioSelection"]:
                ET.indent(child, space=SPACE, level=3)
                child.tail = INDENT[3]
        if len(source):
            source.text, child.tail = INDENT[3], INDENT[2]
        source.tail = INDENT[2]
    if len(sources):
        sources.text, source.tail = INDENT[2], INDENT[1]


def render_project(sources: list[SessionSource], name: str, link_audio: bool = False,
                   now: datetime | None = None) -> tuple[str, dict[str, Path]]:
    """project.qde's text, and the files that go into sources/ (name -> path)."""
    with collector_paused():  # the tree is freed (by _render's return) before the collector runs again
        return _render(_Project(sources, name, link_audio, now or datetime.now(timezone.utc)))


def _render(project: _Project) -> tuple[str, dict[str, Path]]:
    root = project.build()
    _layout(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n", project.files


def write_qdpx(path: Path, sources: list[SessionSource], name: str, link_audio: bool = False) -> Path:
    """Write the project zip atomically, readable by the owner only. Audio is stored, not
    deflated: PCM hardly compresses and a stored member is written at copy speed."""
    text, files = render_project(sources, name, link_audio)
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")  # 0600 already
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            # The fastest deflate level: a third of the time of the default, the XML a quarter bigger.
            archive.writestr(zipfile.ZipInfo("project.qde", date_time=(2024, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            for member, source in files.items():
                archive.write(source, f"sources/{member}", compress_type=zipfile.ZIP_STORED)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
