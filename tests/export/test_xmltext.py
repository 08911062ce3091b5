"""The XML writer of the ELAN and REFI-QDA exports writes exactly what ElementTree writes
after ``ET.indent``: the same bytes for any tree, hostile text and attributes included."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings, strategies as st

from companion.export.xmltext import XmlText

# Text an export may carry once cleaned: markup characters, quotes, tabs, line breaks, blanks.
TEXT = st.lists(st.sampled_from(list("ab <>&\"'\t\n\r é😀;#") + ["&amp;", "-->", "]]>"]), max_size=12).map("".join)
TAGS = st.sampled_from(["A", "B", "ANNOTATION_VALUE", "Code"])
ATTRS = st.lists(st.tuples(st.sampled_from(["guid", "name", "x", "TIME_VALUE"]), TEXT), max_size=3,
                 unique_by=lambda a: a[0])


@st.composite
def trees(draw, depth: int = 0):
    """(tag, attributes, text or None, children or None): a leaf (no children list) holds at
    most text; an element opened for children may be given none."""
    tag, attrs = draw(TAGS), draw(ATTRS)
    if depth < 3 and draw(st.booleans()):
        return tag, attrs, None, draw(st.lists(trees(depth + 1), max_size=3))
    return tag, attrs, draw(st.none() | TEXT), None


def by_elementtree(tree, space: str) -> str:
    def build(node, parent=None):
        tag, attrs, text, children = node
        element = ET.Element(tag, dict(attrs)) if parent is None else ET.SubElement(parent, tag, dict(attrs))
        element.text = text
        for child in children or ():
            build(child, element)
        return element

    root = build(tree)
    ET.indent(root, space=space)
    return ET.tostring(root, encoding="unicode")


def by_writer(tree, space: str) -> str:
    xml = XmlText(space)

    def write(node):
        tag, attrs, text, children = node
        if children is not None:
            xml.open(tag, attrs)
            for child in children:
                write(child)
            xml.close()
        else:
            xml.leaf(tag, attrs, text)

    write(tree)
    return xml.text()


@settings(max_examples=400, deadline=None)
@given(tree=trees(), space=st.sampled_from(["  ", "    "]))
def test_the_writer_writes_what_elementtree_writes(tree, space):
    assert by_writer(tree, space) == by_elementtree(tree, space)


def test_an_element_opened_for_children_but_given_none_is_empty():
    xml = XmlText()
    xml.open("Project", {"xmlns": "urn:QDA-XML:project:1.0"})
    xml.open("Cases")
    xml.close()
    xml.close()
    root = ET.Element("{urn:QDA-XML:project:1.0}Project")
    ET.SubElement(root, "{urn:QDA-XML:project:1.0}Cases")
    ET.register_namespace("", "urn:QDA-XML:project:1.0")
    ET.indent(root, space="  ")
    assert xml.text() == ET.tostring(root, encoding="unicode")


def test_a_document_with_an_element_left_open_is_refused():
    xml = XmlText()
    xml.open("A")
    with pytest.raises(ValueError, match="<A> is still open"):
        xml.text()
