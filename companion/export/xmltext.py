"""XML written as it is made, exactly as ElementTree writes it after ``ET.indent``.

The ELAN and REFI-QDA exports of a long session hold tens of thousands of elements;
building an ElementTree, indenting it and serialising it (pure Python, element by element)
cost most of an export's time. This writer keeps ElementTree's output byte for byte —
its escaping, its indentation, ``<empty />`` for an element with neither text nor
children — without the tree (tests/export/test_xmltext.py proves it against
ElementTree), so the documents and every reader of them are unchanged.
"""

from __future__ import annotations

from typing import Iterable, Mapping

Attrs = Mapping[str, str] | Iterable[tuple[str, str]]


# What ElementTree replaces, in its order (``&`` first, so no reference is escaped again).
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
# In attributes also quotes, and line breaks and tabs as character references, so that a
# parser gives them back instead of normalising them to spaces.
_ATTRIBUTE_ESCAPES = (*_TEXT_ESCAPES, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _replace(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, reference in escapes:
        if char in text:  # most text has none: a scan in C, no copy
            text = text.replace(char, reference)
    return text


def escape_text(text: str) -> str:
    """Character data as ElementTree escapes it."""
    return _replace(text, _TEXT_ESCAPES)


def escape_attribute(value: str) -> str:
    """An attribute value as ElementTree escapes it."""
    return _replace(value, _ATTRIBUTE_ESCAPES)


def start_tag(tag: str, attrs: Attrs = ()) -> str:
    """``<tag a="1" b="2"`` — not closed: the writer closes it as ``>`` or `` />``."""
    items = attrs.items() if isinstance(attrs, Mapping) else attrs
    return "<" + tag + "".join(f' {name}="{escape_attribute(value)}"' for name, value in items)


class XmlText:
    """An indented XML document written element by element.

    ``open`` starts an element that will hold children, ``leaf`` writes one that holds at
    most text, ``close`` ends the innermost open element. Elements follow one another on
    lines of their own, ``space`` deeper per level, as ``ET.indent`` lays them out.
    """

    def __init__(self, space: str = "  ") -> None:
        self.space = space
        self.parts: list[str] = []
        self.open_tags: list[str] = []
        self.empty = False  # the innermost open element has no child yet (its start tag is unclosed)

    def _begin(self) -> None:
        """Close the parent's start tag if this is its first child, and start a new line."""
        if self.empty:
            self.parts.append(">")
            self.empty = False
        if self.open_tags:
            self.parts.append("\n" + self.space * len(self.open_tags))

    def open(self, tag: str, attrs: Attrs = ()) -> None:
        self._begin()
        self.parts.append(start_tag(tag, attrs))
        self.open_tags.append(tag)
        self.empty = True

    def leaf(self, tag: str, attrs: Attrs = (), text: str | None = None) -> None:
        self._begin()
        self.parts.append(start_tag(tag, attrs))
        self.parts.append(f">{escape_text(text)}</{tag}>" if text else " />")

    def close(self) -> None:
        tag = self.open_tags.pop()
        if self.empty:
            self.parts.append(" />")
            self.empty = False
        else:
            self.parts.append("\n" + self.space * len(self.open_tags) + f"</{tag}>")

    def newline(self, deeper: int = 0) -> str:
        """The line break and indentation before a child of the innermost open element
        (``deeper`` levels further in): for a caller that writes many alike elements itself."""
        return "\n" + self.space * (len(self.open_tags) + deeper)

    def raw(self, text: str) -> None:
        """Children of the innermost open element, already written: each starts with its
        ``newline()``; start tags, attributes and text escaped with this module's functions."""
        if self.empty:
            self.parts.append(">")
            self.empty = False
        self.parts.append(text)

    def text(self) -> str:
        """The document so far; every element must be closed."""
        if self.open_tags:
            raise ValueError(f"<{self.open_tags[-1]}> is still open")
        return "".join(self.parts)
