"""``eaf``: an ELAN 3.0 annotation document linked to the session's audio.

Tiers: ``stage`` and ``question`` (spans from the question.shown events), ``note``,
``flag`` and ``code`` (one annotation per code of a note, drawn from a controlled
vocabulary of the guide's codebook). ELAN refuses overlapping annotations on one tier
and annotations of zero length, so notes that overlap spill onto ``note-2``, ``note-3`` …
and every annotation is at least a millisecond long. Elements follow the order
EAFv3.0.xsd prescribes: HEADER, TIME_ORDER, TIER*, LINGUISTIC_TYPE*, LANGUAGE*,
CONTROLLED_VOCABULARY*.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from companion.export.common import code_label, flag_label, question_label, stage_title
from companion.export.media import Media
from companion.export.text import clean, one_line
from companion.export.timefmt import to_ms
from companion.review.fold import SessionView

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_URL = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
LANG = "eng"
LANG_DEF = "http://cdb.iso.org/lg/CDB-00130975-001"  # ISO 639-3 "eng" in ISO DCR, as ELAN writes it
TEXT_TYPE = "text"
CODE_TYPE = "code"
CV_ID = "codebook"


class _Slots:
    """Time slots shared by every annotation at the same millisecond."""

    def __init__(self) -> None:
        self.values: set[int] = set()

    def span(self, start: float, end: float) -> tuple[int, int]:
        a = to_ms(start)
        b = max(to_ms(end), a + 1)  # never zero length
        self.values |= {a, b}
        return a, b

    def ids(self) -> dict[int, str]:
        return {ms: f"ts{i}" for i, ms in enumerate(sorted(self.values), start=1)}


def _lanes(items: list[tuple[int, int, str, str | None]]) -> list[list[tuple[int, int, str, str | None]]]:
    """Greedy interval partition: each lane's annotations never overlap."""
    lanes: list[list] = []
    for item in sorted(items, key=lambda x: (x[0], x[1])):
        lane = next((lane for lane in lanes if lane[-1][1] <= item[0]), None)
        if lane is None:
            lanes.append([item])
        else:
            lane.append(item)
    return lanes or [[]]


def render_eaf(view: SessionView, media: Media | None = None, author: str = "companion",
               date: datetime | None = None) -> str:
    slots = _Slots()
    tiers: dict[str, list] = {
        "stage": [(*slots.span(s.start, s.end), stage_title(view, s.id), None) for s in view.stage_spans],
        "question": [(*slots.span(q.start, q.end), one_line(question_label(view, q.id)), None) for q in view.question_spans],
        "note": [(*slots.span(n.t, n.end), clean(n.text), None) for n in view.notes],
        "flag": [(*slots.span(f.t, f.end), _flag_value(view, f), None) for f in view.flags],
        "code": [(*slots.span(n.t, n.end), code_label(view, c), c) for n in view.notes for c in n.codes],
    }
    root = ET.Element("ANNOTATION_DOCUMENT", {
        "AUTHOR": author,
        "DATE": (date or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "FORMAT": "3.0",
        "VERSION": "3.0",
        f"{{{XSI}}}noNamespaceSchemaLocation": SCHEMA_URL,
    })
    _header(root, view, media)
    ids = slots.ids()
    order = ET.SubElement(root, "TIME_ORDER")
    for ms, slot in ids.items():
        ET.SubElement(order, "TIME_SLOT", {"TIME_SLOT_ID": slot, "TIME_VALUE": str(ms)})
    codes = {c.id for c in view.guide.codebook}
    counter = 0
    for name, items in tiers.items():
        for number, lane in enumerate(_lanes(items), start=1):
            tier_id = name if number == 1 else f"{name}-{number}"
            tier = ET.SubElement(root, "TIER", {
                "LINGUISTIC_TYPE_REF": CODE_TYPE if name == "code" else TEXT_TYPE,
                "TIER_ID": tier_id,
            })
            for start, end, value, code in lane:
                counter += 1
                annotation = ET.SubElement(ET.SubElement(tier, "ANNOTATION"), "ALIGNABLE_ANNOTATION", {
                    "ANNOTATION_ID": f"a{counter}",
                    "TIME_SLOT_REF1": ids[start],
                    "TIME_SLOT_REF2": ids[end],
                })
                if code in codes:
                    annotation.set("CVE_REF", _cve_id(code))
                ET.SubElement(annotation, "ANNOTATION_VALUE").text = value
    _types(root)
    _vocabulary(root, view)
    root.find("HEADER").append(_property("lastUsedAnnotationId", str(counter)))
    ET.register_namespace("xsi", XSI)
    ET.indent(root, space="    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _flag_value(view: SessionView, flag) -> str:
    text = flag.text
    if not text and flag.note is not None:
        note = view.note(flag.note)
        text = note.text if note else ""
    return clean(f"{flag_label(flag.kind)}: {text}".rstrip(": ").rstrip())


def _property(name: str, value: str) -> ET.Element:
    prop = ET.Element("PROPERTY", {"NAME": name})
    prop.text = value
    return prop


def _header(root: ET.Element, view: SessionView, media: Media | None) -> None:
    header = ET.SubElement(root, "HEADER", {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    if media is not None:
        # The session's one audio file starts at the session timeline's 0: no TIME_ORIGIN.
        ET.SubElement(header, "MEDIA_DESCRIPTOR", {
            "MEDIA_URL": media.url,
            "MIME_TYPE": media.mime,
            "RELATIVE_MEDIA_URL": media.relative,
        })
    header.append(_property("companion.participant", view.participant))
    header.append(_property("companion.guide", view.guide.id))


def _types(root: ET.Element) -> None:
    ET.SubElement(root, "LINGUISTIC_TYPE", {
        "GRAPHIC_REFERENCES": "false", "LINGUISTIC_TYPE_ID": TEXT_TYPE, "TIME_ALIGNABLE": "true"})
    ET.SubElement(root, "LINGUISTIC_TYPE", {
        "CONTROLLED_VOCABULARY_REF": CV_ID, "GRAPHIC_REFERENCES": "false",
        "LINGUISTIC_TYPE_ID": CODE_TYPE, "TIME_ALIGNABLE": "true"})
    ET.SubElement(root, "LANGUAGE", {"LANG_DEF": LANG_DEF, "LANG_ID": LANG, "LANG_LABEL": "English (eng)"})


def _cve_id(code_id: str) -> str:
    return "cve-" + code_id  # code ids are lower-case words, '-' and '.': valid NCName tails


def _vocabulary(root: ET.Element, view: SessionView) -> None:
    cv = ET.SubElement(root, "CONTROLLED_VOCABULARY", {"CV_ID": CV_ID})
    ET.SubElement(cv, "DESCRIPTION", {"LANG_REF": LANG}).text = f"Codebook of {view.guide.study.name}"
    for code in view.guide.codebook:
        entry = ET.SubElement(cv, "CV_ENTRY_ML", {"CVE_ID": _cve_id(code.id)})
        ET.SubElement(entry, "CVE_VALUE", {"DESCRIPTION": clean(code.description), "LANG_REF": LANG}).text = code.label
