"""Note text made safe for each format: what every exporter needs, in one place."""

from __future__ import annotations

import re

# C0/C1 control characters other than tab and newline, and the non-characters XML 1.0
# refuses; they carry no meaning in a note and break XML and some readers.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"[ \t]+")


def clean(text: str) -> str:
    """Drop control characters; keep line breaks as ``\\n``."""
    return "\n".join(_CONTROL.sub("", line) for line in text.splitlines())


def lines(text: str) -> list[str]:
    """The non-blank lines, tabs as spaces, each stripped."""
    out = []
    for line in clean(text).split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def one_line(text: str, joiner: str = " ") -> str:
    """Everything on one line, no tabs: Audacity labels, NVivo paragraphs and cells."""
    return joiner.join(lines(text))
