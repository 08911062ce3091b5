"""Typed values out of one YAML mapping of a guide, each problem reported where it is.

A missing or broken value reads as its default, so checking carries on and every
problem in a file is reported at once.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from companion.guide import yaml_marks as ym
from companion.guide.yaml_marks import Entries, Problems

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_ID_RE = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")

# YAML counts these as line breaks, and PyYAML's dumper writes them raw into plain
# scalars, where reading folds them to spaces: as "\n" the text round-trips exactly.
_LINE_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def tidy(text: str) -> str:
    """Text as the guide means it: outer blank space trimmed, line breaks plain."""
    return text.translate(_LINE_BREAKS).strip()


def shown(value: str) -> str:
    return ym.shorten(value)


def label(node: Node, kind: str, number: int, within: str = "") -> str:
    """``question 'early-goal'`` when the item has a usable id, else ``question 3 of stage 'x'``."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                if value.tag == ym.STR and value.value.strip():
                    return f"{kind} '{shown(value.value.strip())}'"
    return f"{kind} {number}" + (f" of {within}" if within else "")


class Fields:
    """Typed values out of one mapping's entries; each problem reported where it is."""

    def __init__(self, entries: Entries | None, where: str, problems: Problems):
        self.entries = entries or {}
        self.where = where
        self.problems = problems

    def node(self, key: str) -> Node | None:
        pair = self.entries.get(key)
        return pair[1] if pair else None

    def empty(self, key: str) -> None:
        self.problems.at(self.entries[key][0], f"'{key}' in {self.where} is empty")

    def wrong(self, key: str, node: Node, wanted: str) -> None:
        hint = " — put it in quotes if it is meant as text" if wanted == "text" and isinstance(node, ScalarNode) else ""
        self.problems.at(node, f"'{key}' in {self.where} should be {wanted}, not {ym.describe(node)}{hint}")

    def text(self, key: str, required: bool = False) -> str:
        """Text, trimmed; "" when absent or broken (a broken value is reported)."""
        node = self.node(key)
        if node is None:
            return ""
        if ym.is_null(node):
            if required:
                self.empty(key)
            return ""
        if not (isinstance(node, ScalarNode) and node.tag == ym.STR):
            self.wrong(key, node, "text")
            return ""
        value = tidy(node.value)
        if required and not value:
            self.empty(key)
        return value

    def ident(self, key: str, kind: str, pattern: re.Pattern[str] = ID_RE) -> str:
        value = self.text(key, required=True)
        if value and not pattern.fullmatch(value):
            allowed = "'-' or '.'" if pattern is CODE_ID_RE else "'-'"
            slug = re.sub(r"[^a-z0-9.]+" if pattern is CODE_ID_RE else r"[^a-z0-9]+", "-", value.lower())
            slug = slug.strip("-.")
            hint = f" — perhaps '{slug}'" if slug and pattern.fullmatch(slug) else ""
            self.problems.at(
                self.node(key),
                f"{kind} id '{shown(value)}' should be lower-case letters and digits "
                f"in words joined by {allowed}{hint}",
            )
        return value

    def flag(self, key: str) -> bool:
        node = self.node(key)
        if node is None or ym.is_null(node):
            return False
        if isinstance(node, ScalarNode) and node.tag == ym.BOOL:
            try:
                return bool(ym.scalar_value(node))
            except ValueError:
                pass
        self.wrong(key, node, "true or false")
        return False

    def items(self, key: str) -> list[Node] | None:
        """A list's item nodes; [] when empty or null; None when absent or not a list."""
        node = self.node(key)
        if node is None:
            return None
        if ym.is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self.wrong(key, node, "a list (one '- ' line per item)")
            return None
        return list(node.value)

    def texts(self, key: str) -> tuple[str, ...]:
        values = []
        for number, item in enumerate(self.items(key) or [], start=1):
            where = f"item {number} of '{key}' in {self.where}"
            if not (isinstance(item, ScalarNode) and item.tag == ym.STR):
                hint = " — put it in quotes if it is meant as text" if isinstance(item, ScalarNode) else ""
                self.problems.at(item, f"{where} should be text, not {ym.describe(item)}{hint}")
            elif not tidy(item.value):
                self.problems.at(item, f"{where} is empty")
            else:
                values.append(tidy(item.value))
        return tuple(values)

    def positive_int(self, key: str, default: int) -> int:
        node = self.node(key)
        if node is None or ym.is_null(node):
            return default
        if isinstance(node, ScalarNode) and node.tag == ym.INT:
            try:
                value = ym.scalar_value(node)
            except ValueError:
                value = None
            if isinstance(value, int) and value >= 1:
                return value
        self.problems.at(node, f"'{key}' in {self.where} should be a whole number, 1 or more, not {ym.describe(node)}")
        return default

    def date(self, key: str) -> date | None:
        node = self.node(key)
        if node is None or ym.is_null(node):
            return None
        value: Any = None
        if isinstance(node, ScalarNode) and node.tag in (ym.TIMESTAMP, ym.STR):
            try:
                value = ym.scalar_value(node)
                if isinstance(value, str):
                    value = date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(node, ScalarNode) and node.tag == ym.TIMESTAMP and value is None:
            found = f"{node.value}, which is not a real date"
        elif isinstance(value, datetime):
            found = f"a date and time ({node.value})"
        else:
            found = ym.describe(node)
        self.problems.at(node, f"'{key}' in {self.where} should be a date like 2015-06-30, not {found}")
        return None
