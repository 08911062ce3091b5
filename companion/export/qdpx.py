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
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from companion import __version__
from companion.export.common import base_name, clean_text, flag_words, memo, question_ask, tag_words
from companion.export.refi_codes import CodeIndex, code_elements, code_index, guid
from companion.export.text import one_line
from companion.export.timefmt import to_ms
from companion.export.xmltext import XmlText, escape_attribute, escape_text
from companion.review.fold import SessionView

NS = "urn:QDA-XML:project:1.0"
VARIABLES = ("Guide", "Audience", "Session", "Started", "Status")


@dataclass(frozen=True)
class SessionSource:
    """One session for the project: its fold and its one audio file (None: no audio)."""

    view: SessionView
    audio: Path | None


class _Place(NamedTuple):
    """What every selection of one source shares: its GUID keys' prefix, its participant, and
    the line breaks before an AudioSelection and its children and grandchildren."""

    scope: str
    participant: str  # escaped for an attribute
    one: str
    two: str
    three: str


class _Project:
    def __init__(self, sources: list[SessionSource], name: str, link_audio: bool, now: datetime):
        self.sources = sources
        self.name = name
        self.link = link_audio
        self.when = now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.user = guid("user:companion")
        self.codes: CodeIndex = code_index([s.view.guide for s in sources])
        self.notes: list[str] = []  # Note memos, written after the sources that refer to them
        self.files: dict[str, Path] = {}  # name in sources/ -> file to copy
        self.xml = XmlText("  ")
        self.stamp = f'creatingUser="{self.user}" creationDateTime="{escape_attribute(self.when)}"'

    def build(self) -> str:
        xml = self.xml
        xml.open("Project", {"xmlns": NS, "name": self.name, "origin": f"companion {__version__}",
                             "creatingUserGUID": self.user, "creationDateTime": self.when})
        xml.open("Users")
        xml.leaf("User", {"guid": self.user, "name": "companion"})
        xml.close()
        xml.open("CodeBook")
        xml.open("Codes")
        code_elements(xml, self.codes.roots)
        xml.close()
        xml.close()
        xml.open("Variables")
        for name in VARIABLES:
            xml.leaf("Variable", {"guid": guid(f"variable:{name}"), "name": name, "typeOfVariable": "Text"})
        xml.close()
        self._cases()
        xml.open("Sources")
        for source in self.sources:
            self._source(source)
        xml.close()
        if self.notes:
            xml.open("Notes")
            xml.raw("".join(self.notes))
            xml.close()
        xml.close()
        return xml.text()

    def _cases(self) -> None:
        by_participant: dict[str, list[SessionSource]] = {}
        for source in self.sources:
            by_participant.setdefault(source.view.participant, []).append(source)
        self.xml.open("Cases")
        for participant, owned in by_participant.items():
            self.xml.open("Case", {"guid": guid(f"case:{participant}"), "name": participant})
            self._value("Audience", owned[0].view.guide.audience)
            for source in owned:
                self.xml.leaf("SourceRef", {"targetGUID": self._source_guid(source.view)})
            self.xml.close()
        self.xml.close()

    @staticmethod
    def _source_guid(view: SessionView) -> str:
        return guid(f"source:{view.participant}/{view.session}")

    def _value(self, name: str, value: str) -> None:
        self.xml.open("VariableValue")
        self.xml.leaf("VariableRef", {"targetGUID": guid(f"variable:{name}")})
        self.xml.leaf("TextValue", (), str(value))
        self.xml.close()

    def _source(self, source: SessionSource) -> None:
        view = source.view
        ident = self._source_guid(view)
        attrs = {"guid": ident, "name": base_name(view), "creatingUser": self.user, "creationDateTime": self.when}
        if source.audio is not None:
            if self.link:
                attrs["path"] = "absolute://" + Path(source.audio).resolve().as_posix()
            else:
                attrs["path"] = f"internal://{ident}.wav"
                self.files[f"{ident}.wav"] = Path(source.audio)
        self.xml.open("AudioSource", attrs)
        about = f"Interview {view.participant}, session {view.session}, guide {view.guide.title}"
        self.xml.leaf("Description", (), about if source.audio else about + " (no audio: clock mode)")
        place = _Place(f"{view.participant}/{view.session}/", escape_attribute(view.participant),
                       self.xml.newline(), self.xml.newline(1), self.xml.newline(2))
        self.xml.raw("".join([self._selection(place, *selection) for selection in self._selections(view)]))
        for name, value in zip(VARIABLES, (view.guide.id, view.guide.audience, view.session,
                                           view.meta.get("started") or "", view.status)):
            self._value(name, value)
        self.xml.close()

    def _selections(self, view: SessionView):
        """(begin ms, end ms, name escaped for an attribute, key, text, code guids) per note, moment
        flag and question asked."""
        by_code, by_flag = self.codes.codes, self.codes.flags
        asked = {q: code for (guide, q), code in self.codes.questions.items() if guide == view.guide.id}
        tags, ms, cleaned = tag_words(view), memo(view, "ms", to_ms), clean_text(view)
        for note in view.notes:
            codes = [by_code[c] for c in note.codes if c in by_code] if note.codes else []
            said = cleaned[note.text]  # the memo: the text, then its tags and flags on lines of their own
            if note.codes:
                said += "\ntags: " + tags[note.codes]
            if note.flags:
                codes += [by_flag[f.kind] for f in note.flags if f.kind in by_flag]
                said += "\nflags: " + ", ".join([flag_words(f) for f in note.flags])
            if note.question in asked:
                codes.append(asked[note.question])
            yield ms[note.t], ms[note.end], f"note {note.seq}", f"note:{note.seq}", said, codes
        for flag in view.flags:
            if flag.note is None:
                codes = [by_flag[flag.kind]] if flag.kind in by_flag else []
                if flag.question in asked:
                    codes.append(asked[flag.question])
                yield ms[flag.t], ms[flag.end], f"flag {flag.seq}", f"flag:{flag.seq}", flag_words(flag), codes
        for span in view.question_spans:
            if span.id in asked:
                yield (to_ms(span.start), to_ms(span.end), escape_attribute(f"Q {span.id}"),
                       f"question:{span.id}:{to_ms(span.start)}",
                       one_line(question_ask(view, span.id)), [asked[span.id]])

    def _selection(self, place: _Place, begin: int, end: int, name: str, key: str, text: str,
                   codes: list[str]) -> str:
        """One AudioSelection, written as one template (a project holds thousands). Its memo
        (a Note) goes to ``self.notes``. Text and names come escaped; GUIDs and numbers need none."""
        one, two, three = place.one, place.two, place.three
        scope = place.scope + key
        stamp = self.stamp
        out = [f'{one}<AudioSelection guid="{guid(f"selection:{scope}")}" name="{name}" '
               f'begin="{begin}" end="{max(end, begin + 1)}" {stamp}']
        children = []
        if text:
            text = escape_text(text)
            children.append(f"{two}<Description>{text}</Description>")
        for code in dict.fromkeys(codes) if len(codes) > 1 else codes:
            children.append(f'{two}<Coding guid="{guid(f"coding:{scope}:{code}")}" {stamp}>'
                            f'{three}<CodeRef targetGUID="{code}" />{two}</Coding>')
        if text and not key.startswith("question:"):
            note_guid = guid(f"memo:{scope}")
            children.append(f'{two}<NoteRef targetGUID="{note_guid}" />')
            # Project > Notes > Note > PlainTextContent: the Note two levels in.
            note, content = "\n" + self.xml.space * 2, "\n" + self.xml.space * 3
            self.notes.append(f'{note}<Note guid="{note_guid}" name="{place.participant} {name}" '
                              f"{stamp}>{content}<PlainTextContent>{text}</PlainTextContent>{note}</Note>")
        out.append(">" + "".join(children) + f"{one}</AudioSelection>" if children else " />")
        return "".join(out)


def render_project(sources: list[SessionSource], name: str, link_audio: bool = False,
                   now: datetime | None = None) -> tuple[str, dict[str, Path]]:
    """project.qde's text, and the files that go into sources/ (name -> path)."""
    project = _Project(sources, name, link_audio, now or datetime.now(timezone.utc))
    text = project.build()
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n", project.files


def write_qdpx(path: Path, sources: list[SessionSource], name: str, link_audio: bool = False) -> Path:
    """Write the project zip atomically, readable by the owner only. Audio is stored, not
    deflated: PCM hardly compresses and a stored member is written at copy speed."""
    text, files = render_project(sources, name, link_audio)
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")  # 0600 already
    try:
        with os.fdopen(fd, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            # Deflate's fastest level: a long session's 5 MB project packs in a third of the
            # default's time, a quarter larger — beside the audio, nothing.
            archive.writestr(zipfile.ZipInfo("project.qde", date_time=(2024, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            for member, source in files.items():
                archive.write(source, f"sources/{member}", compress_type=zipfile.ZIP_STORED)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
