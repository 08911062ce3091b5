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

from datetime import datetime, timezone
from operator import itemgetter

from companion.export.common import Memo, clean_text, code_names, flag_label, memo, question_label, stage_title
from companion.export.media import Media
from companion.export.text import clean, one_line
from companion.export.timefmt import to_ms
from companion.export.xmltext import XmlText, escape_attribute, escape_text
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

    def __init__(self, ms: dict[float, int]) -> None:
        self.values: set[int] = set()
        self.ms = ms  # to_ms of each moment

    def span(self, start: float, end: float) -> tuple[int, int]:
        a = self.ms[start]
        b = self.ms[end]
        if b <= a:
            b = a + 1  # never zero length
        self.values.add(a)
        self.values.add(b)
        return a, b

    def ids(self) -> dict[int, str]:
        return {ms: f"ts{i}" for i, ms in enumerate(sorted(self.values), start=1)}


def _lanes(items: list[tuple[int, int, str, str | None]]) -> list[list[tuple[int, int, str, str | None]]]:
    """Greedy interval partition: each lane's annotations never overlap."""
    lanes: list[list] = []
    for item in sorted(items, key=itemgetter(0, 1)):
        for lane in lanes:  # the first lane free by this item's start
            if lane[-1][1] <= item[0]:
                lane.append(item)
                break
        else:
            lanes.append([item])
    return lanes or [[]]


def render_eaf(view: SessionView, media: Media | None = None, author: str = "companion",
               date: datetime | None = None) -> str:
    slots, cleaned = _Slots(memo(view, "ms", to_ms)), clean_text(view)
    names = code_names(view)
    # Each code's value and vocabulary reference, written once however many notes carry it.
    code_value = Memo(lambda code: _value(names.get(code, code)))
    code_ref = {c.id: f' CVE_REF="{escape_attribute(_cve_id(c.id))}"' for c in view.guide.codebook}
    notes = [(n, *slots.span(n.t, n.end)) for n in view.notes]  # a note's codes share its span
    # Per tier: (start ms, end ms, the ANNOTATION_VALUE element, the CVE_REF attribute or "").
    tiers: dict[str, list] = {
        "stage": [(*slots.span(s.start, s.end), _value(stage_title(view, s.id)), "") for s in view.stage_spans],
        "question": [(*slots.span(q.start, q.end), _value(one_line(question_label(view, q.id))), "")
                     for q in view.question_spans],
        "note": [(a, b, _value(cleaned[n.text]), "") for n, a, b in notes],
        "flag": [(*slots.span(f.t, f.end), _value(_flag_value(view, f)), "") for f in view.flags],
        "code": [(a, b, code_value[c], code_ref.get(c, "")) for n, a, b in notes for c in n.codes],
    }
    ids = slots.ids()
    xml = XmlText("    ")
    xml.open("ANNOTATION_DOCUMENT", {
        "xmlns:xsi": XSI,
        "AUTHOR": author,
        "DATE": (date or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "FORMAT": "3.0",
        "VERSION": "3.0",
        "xsi:noNamespaceSchemaLocation": SCHEMA_URL,
    })
    _header(xml, view, media, sum(len(items) for items in tiers.values()))
    xml.open("TIME_ORDER")
    line = xml.newline()
    xml.raw("".join(f'{line}<TIME_SLOT TIME_SLOT_ID="{slot}" TIME_VALUE="{ms}" />' for ms, slot in ids.items()))
    xml.close()
    counter = 0
    for name, items in tiers.items():
        for number, lane in enumerate(_lanes(items), start=1):
            xml.open("TIER", {
                "LINGUISTIC_TYPE_REF": CODE_TYPE if name == "code" else TEXT_TYPE,
                "TIER_ID": name if number == 1 else f"{name}-{number}",
            })
            xml.raw(_annotations(xml, lane, ids, counter))
            counter += len(lane)
            xml.close()
    _types(xml)
    _vocabulary(xml, view)
    xml.close()
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml.text() + "\n"


def _annotations(xml: XmlText, lane: list, ids: dict[int, str], counter: int) -> str:
    """A tier's annotations, numbered on from ``counter``: written as one template each, the
    bulk of the document."""
    one, two, three = xml.newline(), xml.newline(1), xml.newline(2)
    head = f'{one}<ANNOTATION>{two}<ALIGNABLE_ANNOTATION ANNOTATION_ID="a'
    tail = f"{two}</ALIGNABLE_ANNOTATION>{one}</ANNOTATION>"
    return "".join([
        f'{head}{number}" TIME_SLOT_REF1="{ids[start]}" TIME_SLOT_REF2="{ids[end]}"{ref}>{three}{value}{tail}'
        for number, (start, end, value, ref) in enumerate(lane, start=counter + 1)
    ])


def _value(text: str) -> str:
    """An annotation's ANNOTATION_VALUE element."""
    return f"<ANNOTATION_VALUE>{escape_text(text)}</ANNOTATION_VALUE>" if text else "<ANNOTATION_VALUE />"


def _flag_value(view: SessionView, flag) -> str:
    text = flag.text
    if not text and flag.note is not None:
        note = view.note(flag.note)
        text = note.text if note else ""
    return clean(f"{flag_label(flag.kind)}: {text}".rstrip(": ").rstrip())


def _header(xml: XmlText, view: SessionView, media: Media | None, annotations: int) -> None:
    xml.open("HEADER", {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    if media is not None:
        # The session's one audio file starts at the session timeline's 0: no TIME_ORIGIN.
        xml.leaf("MEDIA_DESCRIPTOR", {
            "MEDIA_URL": media.url,
            "MIME_TYPE": media.mime,
            "RELATIVE_MEDIA_URL": media.relative,
        })
    xml.leaf("PROPERTY", {"NAME": "companion.participant"}, view.participant)
    xml.leaf("PROPERTY", {"NAME": "companion.guide"}, view.guide.id)
    xml.leaf("PROPERTY", {"NAME": "lastUsedAnnotationId"}, str(annotations))
    xml.close()


def _types(xml: XmlText) -> None:
    xml.leaf("LINGUISTIC_TYPE", {
        "GRAPHIC_REFERENCES": "false", "LINGUISTIC_TYPE_ID": TEXT_TYPE, "TIME_ALIGNABLE": "true"})
    xml.leaf("LINGUISTIC_TYPE", {
        "CONTROLLED_VOCABULARY_REF": CV_ID, "GRAPHIC_REFERENCES": "false",
        "LINGUISTIC_TYPE_ID": CODE_TYPE, "TIME_ALIGNABLE": "true"})
    xml.leaf("LANGUAGE", {"LANG_DEF": LANG_DEF, "LANG_ID": LANG, "LANG_LABEL": "English (eng)"})


def _cve_id(code_id: str) -> str:
    return "cve-" + code_id  # code ids are lower-case words, '-' and '.': valid NCName tails


def _vocabulary(xml: XmlText, view: SessionView) -> None:
    xml.open("CONTROLLED_VOCABULARY", {"CV_ID": CV_ID})
    xml.leaf("DESCRIPTION", {"LANG_REF": LANG}, f"Codebook of {view.guide.study.name}")
    for code in view.guide.codebook:
        xml.open("CV_ENTRY_ML", {"CVE_ID": _cve_id(code.id)})
        xml.leaf("CVE_VALUE", {"DESCRIPTION": clean(code.description), "LANG_REF": LANG}, code.label)
        xml.close()
    xml.close()
