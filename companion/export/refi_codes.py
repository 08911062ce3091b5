"""The codes a REFI-QDA export carries, and ``qdc``: the codebook alone (urn:QDA-XML:codebook:1.0).

Codes: the guide's codebook with its hierarchy; a group of flag codes (quote, safeguarding,
follow-up); and per guide a group of its stages, each holding its questions, so a
selection coded with a question is also found under its stage. GUIDs are UUID 5 of a
stable key (a code id, a guide and question id), so every export of a study gives a code
the same GUID and tools merge repeated imports.
"""

from __future__ import annotations

import hashlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from companion.export.common import flag_label
from companion.export.text import clean
from companion.guide.model import Guide
from companion.store.events import FLAG_KINDS

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# A fixed namespace for companion's GUIDs: the same thing exported twice has the same GUID.
GUID_NAMESPACE = uuid.UUID("4f1f7f3e-8b2c-5d0a-9c6e-2a7d3b1c0e55")
PALETTE = ("#1F77B4", "#FF7F0E", "#2CA02C", "#9467BD", "#8C564B", "#E377C2", "#17BECF", "#BCBD22", "#7F7F7F")
FLAG_COLOURS = {"quote": "#1976D2", "safeguarding": "#D32F2F", "follow-up": "#F9A825"}
GROUP_COLOUR = "#607D8B"


_NAMESPACE = GUID_NAMESPACE.bytes
# RFC 4122 §4.1.1: the variant's two top bits are 10, whatever the hash gave them.
_VARIANT = {digit: "89ab"[int(digit, 16) & 0x3] for digit in "0123456789abcdef"}


def guid(key: str) -> str:
    """``str(uuid.uuid5(GUID_NAMESPACE, key))`` (tests/export/test_shared_work.py holds them equal),
    printed from the SHA-1 digest without building a UUID object: a project of a long session
    names tens of thousands of things, and the object's checks and printing took most of the
    time of each GUID."""
    text = hashlib.sha1(_NAMESPACE + key.encode("utf-8"), usedforsecurity=False).hexdigest()
    # RFC 4122 §4.3: the version nibble is 5.
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{_VARIANT[text[16]]}{text[17:20]}-{text[20:32]}"


@dataclass
class CodeNode:
    guid: str
    name: str
    codable: bool
    color: str
    description: str = ""
    children: list[CodeNode] = field(default_factory=list)


@dataclass
class CodeIndex:
    """The code tree of one or more guides, and the GUID of each code by its role."""

    roots: list[CodeNode] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)  # codebook id -> guid
    flags: dict[str, str] = field(default_factory=dict)  # flag kind -> guid
    questions: dict[tuple[str, str], str] = field(default_factory=dict)  # (guide, question) -> guid


def code_index(guides: list[Guide]) -> CodeIndex:
    index = CodeIndex()
    _codebook(index, guides)
    flags = CodeNode(guid("group:flags"), "Flags", False, GROUP_COLOUR, "Flags raised during the interview")
    for kind in FLAG_KINDS:
        index.flags[kind] = guid(f"flag:{kind}")
        flags.children.append(CodeNode(index.flags[kind], flag_label(kind), True, FLAG_COLOURS[kind]))
    index.roots.append(flags)
    for guide in {g.id: g for g in guides}.values():
        index.roots.append(_guide_codes(index, guide))
    return index


def _codebook(index: CodeIndex, guides: list[Guide]) -> None:
    seen: dict[str, CodeNode] = {}
    order = [code for guide in guides for code in guide.codebook]
    for number, code in enumerate(order):
        if code.id in seen:
            continue  # the guides of a study share their codebook: one code, one GUID
        index.codes[code.id] = guid(f"code:{code.id}")
        seen[code.id] = CodeNode(index.codes[code.id], code.label, True, PALETTE[len(seen) % len(PALETTE)],
                                 clean(code.description))
    for code in order:
        node = seen[code.id]
        parent = seen.get(code.parent) if code.parent else None
        if parent is not None and parent is not node and node not in parent.children:
            parent.children.append(node)
        elif parent is None and node not in index.roots:
            index.roots.append(node)


def _guide_codes(index: CodeIndex, guide: Guide) -> CodeNode:
    group = CodeNode(guid(f"guide:{guide.id}"), f"Guide: {guide.title}", False, GROUP_COLOUR,
                     "The topic guide's stages and questions")
    for stage in guide.stages:
        node = CodeNode(guid(f"stage:{guide.id}:{stage.id}"), stage.title, True, GROUP_COLOUR)
        for question in stage.questions:
            key = (guide.id, question.id)
            index.questions[key] = guid(f"question:{guide.id}:{question.id}")
            node.children.append(CodeNode(index.questions[key], f"{question.id}: {clean(question.ask)}", True,
                                          GROUP_COLOUR, clean(question.ask)))
        group.children.append(node)
    return group


def code_elements(parent: ET.Element, nodes: list[CodeNode], ns: str) -> None:
    """Code elements (nested for the hierarchy) in namespace ``ns``: Description, then children."""
    for node in nodes:
        element = ET.SubElement(parent, f"{{{ns}}}Code", {
            "guid": node.guid, "name": node.name, "isCodable": "true" if node.codable else "false",
            "color": node.color,
        })
        if node.description:
            ET.SubElement(element, f"{{{ns}}}Description").text = node.description
        code_elements(element, node.children, ns)


def render_qdc(guides: list[Guide], origin: str = "companion") -> str:
    """A REFI-QDA codebook (.qdc) of the guides' codes."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": origin})
    code_elements(ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), code_index(guides).roots, CODEBOOK_NS)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
