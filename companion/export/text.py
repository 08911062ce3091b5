"""Note text made safe for each format: what every exporter needs, in one place."""

from __future__ import annotations

import re

# C0/C1 control characters other than tab and newline, and the non-characters XML 1.0
# refuses; they carry no meaning in a note and break XML and some readers.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
# What clean() would change: a control character, or a line break other than "\n"
# (str.splitlines also breaks at \r, \x0b, \x0c, \x1c-\x1e, \x85, \u2028 and \u2029).
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u2028\u2029]")
_SPACES = re.compile(r"[ \t]+")


def clean(text: str) -> str:
    """Drop control characters; keep line breaks as ``\\n``."""
    # Most notes are already clean: one scan proves it, without splitting into lines. A
    # printable text has no control character, line break, surrogate or non-character.
    if text.isprintable() or (not text.endswith("\n") and _UNCLEAN.search(text) is None):
        return text
    return "\n".join(_CONTROL.sub("", line) for line in text.splitlines())


def lines(text: str) -> list[str]:
    """The non-blank lines, tabs as spaces, each stripped."""
    return clean_lines(clean(text))


def clean_lines(text: str) -> list[str]:
    """``lines`` of a text already ``clean``."""
    if "\n" not in text and "\t" not in text and "  " not in text:  # one line, no runs of spaces
        text = text.strip()
        return [text] if text else []
    out = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def one_line(text: str, joiner: str = " ") -> str:
    """Everything on one line, no tabs: Audacity labels, NVivo paragraphs and cells."""
    return joiner.join(lines(text))
