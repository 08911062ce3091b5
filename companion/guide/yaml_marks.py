"""YAML that remembers where each value came from.

``yaml.safe_load`` throws away positions. Composing the node tree with the
SafeLoader keeps every node's start mark, so a problem can be reported as
``path:line:col: message``. Only plain scalars are ever constructed, with the
safe constructor, so no tag in a file can run code.

This module knows nothing about guides: it reads files, composes nodes, reads
typed values out of them and collects located problems.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

YAML_TAG = "tag:yaml.org,2002:"
STR = YAML_TAG + "str"
INT = YAML_TAG + "int"
FLOAT = YAML_TAG + "float"
BOOL = YAML_TAG + "bool"
NULL = YAML_TAG + "null"
TIMESTAMP = YAML_TAG + "timestamp"
MERGE = YAML_TAG + "merge"
SEQ = YAML_TAG + "seq"
MAP = YAML_TAG + "map"

# A topic guide is a few pages; anything far bigger is the wrong file.
MAX_BYTES = 5_000_000

_CONSTRUCTOR = SafeConstructor()
_SCALAR_CONSTRUCTORS = {
    INT: SafeConstructor.construct_yaml_int,
    FLOAT: SafeConstructor.construct_yaml_float,
    BOOL: SafeConstructor.construct_yaml_bool,
    NULL: SafeConstructor.construct_yaml_null,
    TIMESTAMP: SafeConstructor.construct_yaml_timestamp,
}


class FileProblem(Exception):
    """A file that could not be read as text. ``unreadable`` is True when the
    file is missing, a folder or not permitted: nothing was there to check."""

    def __init__(self, message: str, unreadable: bool = False, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.unreadable = unreadable
        self.line = line
        self.column = column

    def located(self, path: str) -> str:
        where = f"{path}:{self.line}:{self.column}" if self.line else path
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """Located problems for one file, in the order an editor would visit them."""

    path: str
    found: list[tuple[int, int, str]] = field(default_factory=list)

    def at(self, where: Node | yaml.Mark, message: str) -> None:
        mark = where.start_mark if isinstance(where, Node) else where
        self.found.append((mark.line + 1, mark.column + 1, message))

    def at_line(self, line: int, column: int, message: str) -> None:
        self.found.append((line, column, message))

    def whole_file(self, message: str) -> None:
        self.found.append((0, 0, message))

    def lines(self) -> list[str]:
        ordered = sorted(self.found, key=lambda item: (item[0], item[1]))
        return [
            f"{self.path}: {msg}" if line == 0 else f"{self.path}:{line}:{col}: {msg}"
            for line, col, msg in ordered
        ]

    def __bool__(self) -> bool:
        return bool(self.found)


def read_text(path: Path) -> str:
    """The file's text, or a FileProblem saying in a few words why not."""
    try:
        if not path.exists():
            raise FileProblem("no such file", unreadable=True)
        if path.is_dir():
            raise FileProblem("is a folder, not a YAML file", unreadable=True)
        # A device or pipe (/dev/zero, a FIFO) would never finish reading.
        if not path.is_file():
            raise FileProblem("is not a regular file", unreadable=True)
        if path.stat().st_size > MAX_BYTES:
            raise FileProblem(f"is larger than {MAX_BYTES // 1_000_000} MB: not a guide")
        data = path.read_bytes()
    except FileProblem:
        raise
    except OSError as error:
        raise FileProblem(f"cannot be read ({error.strerror or error})", unreadable=True) from None
    try:
        # utf-8-sig: a byte-order mark left by a Windows editor is harmless.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        raise FileProblem(
            f"not UTF-8 text (byte 0x{data[error.start]:02x}): save the file as UTF-8",
            line=line,
            column=column,
        ) from None


# libyaml's parser when PyYAML has it: several times faster, and guides load at every start.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_fast(text: str) -> Node | None:
    """Compose with libyaml; on any error, again with the pure parser, whose messages we report."""
    try:
        return yaml.compose(text, Loader=FAST_LOADER)
    except (yaml.YAMLError, RecursionError):
        return yaml.compose(text, Loader=yaml.SafeLoader)


def compose(text: str, problems: Problems) -> Node | None:
    """The document's node tree, or None with the reason added to ``problems``."""
    try:
        node = _compose_fast(text)
    except yaml.MarkedYAMLError as error:
        problems.at(error.problem_mark or error.context_mark, _syntax_message(error))
        return None
    except yaml.reader.ReaderError as error:
        line, column = _line_col(text, error.position)
        problems.at_line(line, column, f"YAML cannot contain the character #x{error.character:04x}")
        return None
    except yaml.YAMLError as error:  # no mark to give: say what the library said
        problems.whole_file(f"not valid YAML: {error}")
        return None
    except RecursionError:
        problems.whole_file("the YAML is nested too deeply to read")
        return None
    if node is None:
        problems.whole_file("the file is empty")
    return node


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    message = f"YAML syntax error: {error.problem or error.context}"
    if error.problem and error.context:
        message += f" ({error.context}"
        if error.context_mark is not None and error.context_mark is not error.problem_mark:
            message += f" at {error.context_mark.line + 1}:{error.context_mark.column + 1}"
        message += ")"
    if "'\\t'" in message:
        message += " — indent with spaces, not tabs"
    return message


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def scalar_value(node: ScalarNode) -> Any:
    """What yaml.safe_load would make of a scalar; ValueError when it cannot."""
    if node.tag == STR:
        return node.value
    construct = _SCALAR_CONSTRUCTORS.get(node.tag)
    if construct is None:
        raise ValueError(f"the tag {short_tag(node.tag)} is not supported")
    try:
        return construct(_CONSTRUCTOR, node)
    except Exception:  # the constructors raise ValueError, KeyError or AttributeError on bad text
        raise ValueError(f"{node.value!r} is not a valid {short_tag(node.tag)}") from None


def describe(node: Node) -> str:
    """A node's kind in words, for 'should be text, not …'."""
    if isinstance(node, (MappingNode, SequenceNode)):
        kind = "a mapping" if isinstance(node, MappingNode) else "a list"
        if node.tag not in (MAP, SEQ):  # an explicit tag, e.g. !!python/object: worth naming
            kind += f" tagged {short_tag(node.tag)}"
        return kind
    value = shorten(str(node.value))
    return {
        STR: f"text ({value!r})",
        INT: f"a number ({value})",
        FLOAT: f"a number ({value})",
        BOOL: f"true/false ({value})",
        NULL: "nothing",
        TIMESTAMP: f"a date ({value})",
    }.get(node.tag, f"a value tagged {short_tag(node.tag)}")


def short_tag(tag: str) -> str:
    return "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` is most likely a misspelling of, if any."""
    lowered = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def suggestion(word: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' for a near miss, else ' — expected one of: …'."""
    choices = list(choices)
    near = closest(word, choices)
    if near is not None:
        return f" — did you mean '{near}'?"
    return " — expected one of: " + ", ".join(choices)


Entries = dict[str, tuple[ScalarNode, Node]]


def mapping_entries(
    node: Node, where: str, keys: dict[str, bool], problems: Problems
) -> Entries | None:
    """The mapping's known entries by key. Reports a node that is not a mapping,
    unknown or repeated keys, and missing required keys (``keys[name]`` is True)."""
    if not isinstance(node, MappingNode):
        problems.at(node, f"{where} should be a mapping of keys ({', '.join(keys)}), not {describe(node)}")
        return None
    entries: Entries = {}
    seen: dict[str, ScalarNode] = {}
    misspelt: set[str | None] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            problems.at(key_node, f"keys in {where} must be plain words, not {describe(key_node)}")
            continue
        key = str(key_node.value)
        if key_node.tag == MERGE:
            problems.at(key_node, f"merge keys ('<<') are not supported in {where}: write the keys out")
            continue
        if key in seen:
            first = seen[key].start_mark
            problems.at(key_node, f"duplicate key '{key}' in {where} (first at {first.line + 1}:{first.column + 1})")
            continue
        seen[key] = key_node
        if key not in keys:
            problems.at(key_node, f"unknown key '{shorten(key)}' in {where}{suggestion(key, keys)}")
            misspelt.add(closest(key, keys))
            continue
        entries[key] = (key_node, value_node)
    for key, required in keys.items():
        # A misspelt required key is one fault, already reported with its suggestion.
        if required and key not in entries and key not in misspelt:
            problems.at(node, f"missing required key '{key}' in {where}")
    return entries
