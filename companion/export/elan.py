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
from operator import itemgetter

from companion.export.common import clean_text, code_names, flag_label, moment_ms, question_label, stage_title
from companion.export.media import Media
from companion.export.text import clean, one_line
from companion.review.fold import SessionView

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_URL = "http://www.mpi.nl/tools/elan/EAFv3.0.xsd"
LANG = "eng"
LANG_DEF = "http://cdb.iso.org/lg/CDB-00130975-001"  # ISO 639-3 "eng" in ISO DCR, as ELAN writes it
TEXT_TYPE = "text"
CODE_TYPE = "code"
CV_ID = "codebook"


BY_SPAN = itemgetter(0, 1)
SubElement = ET.SubElement
Annotation = tuple[int, int, str, "str | None"]  # start ms, end ms, value, code id (code tier)


def _lanes(items: list[Annotation]) -> list[list[Annotation]]:
    """Greedy interval partition: each annotation goes to the first lane whose last one has
    ended by its start, so no lane holds overlapping annotations."""
    lanes: list[list[Annotation]] = []
    ends: list[int] = []  # each lane's last end
    for item in sorted(items, key=BY_SPAN):
        start = item[0]
        if ends and ends[0] <= start:  # the first lane (most annotations): no search
            lanes[0].append(item)
            ends[0] = item[1]
            continue
        for number, end in enumerate(ends):
            if end <= start:
                lanes[number].append(item)
                ends[number] = item[1]
                break
        else:
            lanes.append([item])
            ends.append(item[1])
    return lanes or [[]]


def _tiers(view: SessionView) -> dict[str, list[Annotation]]:
    """Each tier's annotations, in milliseconds, never of zero length. A note's codes share its
    span; the moments and texts are the ones every format of this fold prints (memo)."""
    ms, cleaned, labels = moment_ms(view), clean_text(view), code_names(view)

    def span(start: float, end: float) -> tuple[int, int]:
        a, b = ms[start], ms[end]
        return a, (b if b > a else a + 1)

    notes: list[Annotation] = []
    codes: list[Annotation] = []
    for n in view.notes:  # span(), inline: thousands of notes
        a, b = ms[n.t], ms[n.end]
        if b <= a:
            b = a + 1
        notes.append((a, b, cleaned[n.text], None))
        if n.codes:
            codes += [(a, b, labels.get(c, c), c) for c in n.codes]
    return {
        "stage": [(*span(s.start, s.end), stage_title(view, s.id), None) for s in view.stage_spans],
        "question": [(*span(q.start, q.end), one_line(question_label(view, q.id)), None) for q in view.question_spans],
        "note": notes,
        "flag": [(*span(f.t, f.end), _flag_value(view, f), None) for f in view.flags],
        "code": codes,
    }


def _slot_ids(tiers: dict[str, list[Annotation]]) -> dict[int, str]:
    """One time slot per distinct millisecond any annotation starts or ends at, in time order."""
    values: set[int] = set()
    for items in tiers.values():
        values.update(map(itemgetter(0), items))
        values.update(map(itemgetter(1), items))
    return {ms: f"ts{i}" for i, ms in enumerate(sorted(values), start=1)}


def render_eaf(view: SessionView, media: Media | None = None, author: str = "companion",
               date: datetime | None = None) -> str:
    tiers = _tiers(view)
    root = ET.Element("ANNOTATION_DOCUMENT", {
        "AUTHOR": author,
        "DATE": (date or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "FORMAT": "3.0",
        "VERSION": "3.0",
        f"{{{XSI}}}noNamespaceSchemaLocation": SCHEMA_URL,
    })
    header = _header(root, view, media)
    ids = _slot_ids(tiers)
    _time_order(SubElement(root, "TIME_ORDER"), ids)
    count = _annotations(root, tiers, ids, {c.id for c in view.guide.codebook})
    _types(root)
    _vocabulary(root, view)
    header.append(_property("lastUsedAnnotationId", str(count)))
    _indent(root)
    ET.register_namespace("xsi", XSI)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# The document is laid out as ET.indent(root, space="    ") lays it out. The time slots and the
# annotations (nine in ten elements) get their line breaks as they are made: indenting them
# afterwards walked every element again, a tenth of the time of the whole document.
SPACE = "    "
INDENT = ["\n" + SPACE * level for level in range(5)]  # a line break, then the level's indentation


def _indent(root: ET.Element) -> None:
    """The line breaks ET.indent would add, where the time order and tiers have not had them."""
    root.text = INDENT[1]
    for child in root:
        if child.tag not in ("TIME_ORDER", "TIER"):
            ET.indent(child, space=SPACE, level=1)
        child.tail = INDENT[1]
    child.tail = INDENT[0]


def _time_order(order: ET.Element, ids: dict[int, str]) -> None:
    slot, tail, subelement = None, INDENT[2], SubElement  # locals: thousands of slots
    for ms, ident in ids.items():
        slot = subelement(order, "TIME_SLOT", {"TIME_SLOT_ID": ident, "TIME_VALUE": str(ms)})
        slot.tail = tail
    if slot is not None:  # laid out: one slot a line, the closing tag back a level
        order.text, slot.tail = INDENT[2], INDENT[1]


def _annotations(root: ET.Element, tiers: dict[str, list[Annotation]], ids: dict[int, str], codes: set[str]) -> int:
    """The tiers (overlaps spilt onto name-2, name-3 …), laid out as they are made; returns how
    many annotations there are."""
    counter = 0
    _, back, two, three, four = INDENT  # locals, as SubElement: tens of thousands of elements
    subelement = SubElement
    for name, items in tiers.items():
        kind = CODE_TYPE if name == "code" else TEXT_TYPE
        for number, lane in enumerate(_lanes(items), start=1):
            tier_id = f"{name}-{number}" if number > 1 else name
            tier = subelement(root, "TIER", {"LINGUISTIC_TYPE_REF": kind, "TIER_ID": tier_id})
            annotation = None
            for start, end, value, code in lane:
                counter += 1
                attrs = {"ANNOTATION_ID": f"a{counter}", "TIME_SLOT_REF1": ids[start], "TIME_SLOT_REF2": ids[end]}
                if code is not None and code in codes:
                    attrs["CVE_REF"] = _cve_id(code)
                annotation = subelement(tier, "ANNOTATION")
                aligned = subelement(annotation, "ALIGNABLE_ANNOTATION", attrs)
                content = subelement(aligned, "ANNOTATION_VALUE")
                content.text = value
                annotation.text, annotation.tail = three, two
                aligned.text, aligned.tail, content.tail = four, two, three
            if annotation is not None:
                tier.text, annotation.tail = two, back
    return counter


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


def _header(root: ET.Element, view: SessionView, media: Media | None) -> ET.Element:
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
    return header


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
