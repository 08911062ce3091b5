"""Participant IDs: the guide's rule, ASCII only, and a name that is safe as a folder.

An ID becomes a folder name, so anything that is not plainly a short ASCII code is
refused: names, path tricks, control characters, and Unicode look-alikes (a Cyrillic
'Р' looks exactly like a Latin 'P' but would file the session under another ID).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from companion.guide.model import Guide, IdRule
from companion.store.errors import ParticipantIdError

MAX_LENGTH = 32
# The safe-folder-name check every ID must pass, whatever the guide's pattern says.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,%d}" % (MAX_LENGTH - 1))
# Names Windows reserves: harmless on POSIX, but a store may be copied anywhere.
RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])", re.IGNORECASE)
# The shape of an ID when no guide is at hand (e.g. `companion withdraw`).
GENERIC_PATTERN = r"[A-Z]{1,4}[0-9]{1,6}"
GENERIC_RULE = IdRule(prefix="", pattern=GENERIC_PATTERN, example="PR11")


def is_safe_name(text: str) -> bool:
    """True when ``text`` is plain ASCII usable as one folder name on any system."""
    return text.isascii() and SAFE_NAME.fullmatch(text) is not None and not RESERVED.fullmatch(text)


def check_participant_id(rules: Iterable[IdRule], text: str, described: Iterable[IdRule] | None = None) -> str:
    """The ID ``text`` (spaces around it dropped) when it fits one of ``rules``;
    otherwise ParticipantIdError describing ``described`` (default: the rules)."""
    rules = list(rules)
    candidate = text.strip(" ") if isinstance(text, str) else ""
    if is_safe_name(candidate) and any(rule.matches(candidate) for rule in rules):
        return candidate
    shown = text if isinstance(text, str) else repr(text)
    raise ParticipantIdError(refusal(list(described) if described is not None else rules, shown))


def check_for_guide(guide: Guide, text: str) -> str:
    return check_participant_id([guide.participant_id], text)


def refusal(rules: list[IdRule], text: str) -> str:
    """One sentence: what was wrong, what an ID looks like, and never a name."""
    shown = _quoted(text)
    why = _why(text) or _in_capitals(rules, text)
    subject = "A blank entry is not a participant ID" if not text.strip() else f"{shown} is not a participant ID{why}"
    return f"{subject}: IDs look like {_looks_like(rules)}; never use a name."


def describe_rule(rule: IdRule) -> str:
    """E.g. ``PR11 (PR followed by digits)``."""
    if rule.prefix and re.fullmatch(re.escape(rule.prefix) + r"(\[0-9\]|\\d)(\{\d+(,\d*)?\}|\+|\*)?", rule.pattern):
        return f"{rule.example} ({rule.prefix} followed by digits)"
    if rule.pattern == GENERIC_PATTERN:
        return f"{rule.example} (capital letters followed by digits)"
    if rule.prefix:
        return f"{rule.example} (starting {rule.prefix})"
    return rule.example


def _looks_like(rules: list[IdRule]) -> str:
    described = list(dict.fromkeys(describe_rule(rule) for rule in rules))
    if len(described) <= 1:
        return described[0] if described else describe_rule(GENERIC_RULE)
    return ", ".join(described[:-1]) + " or " + described[-1]


def _quoted(text: str) -> str:
    """The offered text, shortened and with invisible characters made visible."""
    short = text if len(text) <= 40 else text[:40] + "…"
    visible = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in short)
    return f"'{visible}'"


def _in_capitals(rules: list[IdRule], text: str) -> str:
    """"pr6" for PR6: the same ID in lower case, most likely — said, rather than a name warning alone."""
    upper = text.strip(" ").upper()
    if upper != text.strip(" ") and is_safe_name(upper) and any(rule.matches(upper) for rule in rules):
        return f" (IDs are written in capitals: {upper})"
    return ""


def _why(text: str) -> str:
    """A parenthesis naming the invisible or look-alike character, when there is one."""
    for char in text:
        if not char.isprintable():
            return " (it contains a control character)"
    for char in text:
        if not char.isascii():
            name = unicodedata.name(char, "unnamed character")
            return f" (it contains '{char}', {name}, not a plain ASCII letter or digit)"
    if len(text) > MAX_LENGTH:
        return f" (it is longer than {MAX_LENGTH} characters)"
    return ""


_LETTERS_NUMBER = re.compile(r"([A-Za-z]+)([0-9]+)")


def same_number(participant: str, names: Iterable[str]) -> list[str]:
    """The IDs among ``names`` that are ``participant``'s letters and number written with other
    leading zeros (C9 and C09): one person filed under two IDs, by a slip of typing."""
    mine = _LETTERS_NUMBER.fullmatch(participant)
    if mine is None:
        return []
    twins = []
    for name in names:
        other = _LETTERS_NUMBER.fullmatch(name)
        if (other is not None and name != participant and other[1] == mine[1]
                and int(other[2]) == int(mine[2])):
            twins.append(name)
    return sorted(twins)


def same_number_held(participant: str, held: dict[str, int]) -> tuple[list[str], str]:
    """The IDs of ``held`` (ID -> sessions) with ``participant``'s number written with other
    zeros, most sessions first, and a phrase naming them ("PR31 (12 sessions) and PR031
    (1 session)"); no IDs and "" when there are none."""
    twins = sorted(same_number(participant, held), key=lambda name: (-held[name], name))
    named = [f"{name} ({held[name]} session{'' if held[name] == 1 else 's'})" for name in twins]
    return twins, " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
