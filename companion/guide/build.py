"""Checking a guide's structure and building the model from its YAML nodes.

``Builder`` walks one file's node tree (composed with marks by ``yaml_marks``),
reads each mapping through ``fields.Fields`` against the keys below, and collects
every problem, located, rather than stopping at the first.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from companion.guide import yaml_marks as ym
from companion.guide.fields import CODE_ID_RE, Fields, label, shown
from companion.guide.model import (
    AUDIENCES,
    ClosingItem,
    Code,
    ConsentItem,
    Guide,
    IdRule,
    Question,
    Stage,
    Study,
)
from companion.guide.yaml_marks import FileProblem, Problems

DEFAULT_RETENTION_YEARS = 3

# Each kind's keys, in the order guides/README.md documents them; True = required.
GUIDE_KEYS = {
    "id": True, "title": True, "audience": True, "study": True, "participant_id": True,
    "preamble": True, "codebook": False, "stages": True, "closing": False,
}
STUDY_KEYS = {"name": True, "institution": False, "project_end": False, "retention_years": False}
ID_RULE_KEYS = {"prefix": True, "pattern": True, "example": True}
CONSENT_KEYS = {"id": True, "text": True, "required": False, "recording_permission": False}
STAGE_KEYS = {"id": True, "title": True, "intro": False, "note": False, "distress": False, "questions": True}
QUESTION_KEYS = {
    "id": True, "lead_in": False, "ask": True, "present": False, "probes": False, "prompts": False,
    "context": False, "distress": False, "optional": False,
}
CLOSING_KEYS = {"id": True, "text": True, "note": False}
CODE_KEYS = {"id": True, "label": True, "description": False, "parent": False}
CODEBOOK_FILE_KEYS = {"codes": True}


class Builder:
    """Walks one guide's node tree, building the model and collecting problems."""

    def __init__(self, problems: Problems, base_dir: Path, display_dir: Path):
        self.problems = problems
        self.base_dir = base_dir
        self.display_dir = display_dir
        self.other_files: list[Problems] = []  # problems found in a codebook file
        self.ids: dict[str, dict[str, yaml.Mark]] = {}

    def _unique(self, kind: str, value: str, fields: Fields) -> None:
        if not value:
            return
        seen = self.ids.setdefault(kind, {})
        node = fields.node("id")
        if value in seen:
            first = seen[value]
            fields.problems.at(node, f"duplicate {kind} id '{shown(value)}' (first used at {first.line + 1}:{first.column + 1})")
        elif node is not None:
            seen[value] = node.start_mark

    def guide(self, root: Node, path: Path) -> Guide | None:
        entries = ym.mapping_entries(root, "the guide", GUIDE_KEYS, self.problems)
        if entries is None:
            return None
        fields = Fields(entries, "the guide", self.problems)
        return Guide(
            id=fields.ident("id", "guide"),
            title=fields.text("title", required=True),
            audience=self._audience(fields),
            study=self._study(fields.node("study")),
            participant_id=self._id_rule(fields.node("participant_id")),
            preamble=self._preamble(fields),
            codebook=self._codebook(fields),
            stages=self._stages(fields),
            closing=self._closing(fields),
            path=path,
        )

    def _audience(self, fields: Fields) -> str:
        value = fields.text("audience", required=True)
        if value and value not in AUDIENCES:
            near = ym.closest(value, AUDIENCES)
            hint = f" — did you mean '{near}'?" if near else ""
            fields.problems.at(
                fields.node("audience"),
                f"audience '{shown(value)}' should be one of: {', '.join(AUDIENCES)}{hint}",
            )
        return value

    def _study(self, node: Node | None) -> Study:
        if node is None:
            return Study(name="")
        fields = Fields(ym.mapping_entries(node, "'study'", STUDY_KEYS, self.problems), "'study'", self.problems)
        return Study(
            name=fields.text("name", required=True),
            institution=fields.text("institution"),
            project_end=fields.date("project_end"),
            retention_years=fields.positive_int("retention_years", DEFAULT_RETENTION_YEARS),
        )

    def _id_rule(self, node: Node | None) -> IdRule:
        if node is None:
            return IdRule("", "", "")
        where = "'participant_id'"
        fields = Fields(ym.mapping_entries(node, where, ID_RULE_KEYS, self.problems), where, self.problems)
        rule = IdRule(
            prefix=fields.text("prefix", required=True),
            pattern=fields.text("pattern", required=True),
            example=fields.text("example", required=True),
        )
        compiled = self._pattern(rule, fields)
        if compiled is not None and rule.example and not compiled.fullmatch(rule.example):
            self.problems.at(
                fields.node("example"),
                f"participant_id example '{shown(rule.example)}' does not match its own pattern "
                f"'{shown(rule.pattern)}'",
            )
        if rule.prefix and rule.example and not rule.example.startswith(rule.prefix):
            self.problems.at(
                fields.node("example"),
                f"participant_id example '{shown(rule.example)}' does not start with its prefix "
                f"'{shown(rule.prefix)}'",
            )
        return rule

    def _pattern(self, rule: IdRule, fields: Fields) -> re.Pattern[str] | None:
        if not rule.pattern:
            return None
        try:
            return re.compile(rule.pattern)
        except re.error as error:
            reason = f"is not a valid regular expression: {error}"
        except (OverflowError, RecursionError, ValueError) as error:
            reason = f"cannot be used: {error}"
        self.problems.at(fields.node("pattern"), f"participant_id pattern '{shown(rule.pattern)}' {reason}")
        return None

    def _items(self, fields: Fields, key: str, kind: str, keys: dict[str, bool], within: str = "") -> list[Fields]:
        """The fields of each item of a list of mappings, items that are not mappings reported."""
        result = []
        for number, node in enumerate(fields.items(key) or [], start=1):
            where = label(node, kind, number, within)
            entries = ym.mapping_entries(node, where, keys, fields.problems)
            if entries is not None:
                result.append(Fields(entries, where, fields.problems))
        return result

    def _non_empty(self, fields: Fields, key: str, message: str) -> None:
        node = fields.node(key)
        if node is not None and (ym.is_null(node) or (isinstance(node, SequenceNode) and not node.value)):
            fields.problems.at(fields.entries[key][0], message)

    def _preamble(self, fields: Fields) -> tuple[ConsentItem, ...]:
        self._non_empty(fields, "preamble", "'preamble' is empty: list the consent checklist's items")
        items = []
        permission: Fields | None = None
        for item in self._items(fields, "preamble", "preamble item", CONSENT_KEYS):
            consent = ConsentItem(
                id=item.ident("id", "preamble item"),
                text=item.text("text", required=True),
                required=item.flag("required"),
                recording_permission=item.flag("recording_permission"),
            )
            self._unique("preamble item", consent.id, item)
            if consent.recording_permission:
                if permission is not None:
                    self.problems.at(
                        item.node("recording_permission"),
                        f"{item.where} is a second permission to record (the first is "
                        f"{permission.where}): at most one item may have recording_permission",
                    )
                else:
                    permission = item
            items.append(consent)
        return tuple(items)

    def _stages(self, fields: Fields) -> tuple[Stage, ...]:
        self._non_empty(fields, "stages", "'stages' is empty: a guide needs at least one stage")
        stages = []
        for item in self._items(fields, "stages", "stage", STAGE_KEYS):
            stage_id = item.ident("id", "stage")
            self._unique("stage", stage_id, item)
            title = item.text("title", required=True)
            intro, note, distress = item.text("intro"), item.text("note"), item.text("distress")
            self._non_empty(item, "questions", f"{item.where} has no questions")
            questions = tuple(self._question(q) for q in self._items(item, "questions", "question", QUESTION_KEYS, item.where))
            stages.append(Stage(id=stage_id, title=title, questions=questions, intro=intro, note=note, distress=distress))
        return tuple(stages)

    def _question(self, item: Fields) -> Question:
        question_id = item.ident("id", "question")
        self._unique("question", question_id, item)
        return Question(
            id=question_id,
            ask=item.text("ask", required=True),
            lead_in=item.text("lead_in"),
            probes=item.texts("probes"),
            prompts=item.texts("prompts"),
            context=item.text("context"),
            present=item.text("present"),
            distress=item.text("distress"),
            optional=item.flag("optional"),
        )

    def _closing(self, fields: Fields) -> tuple[ClosingItem, ...]:
        items = []
        for item in self._items(fields, "closing", "closing item", CLOSING_KEYS):
            closing = ClosingItem(
                id=item.ident("id", "closing item"), text=item.text("text", required=True), note=item.text("note")
            )
            self._unique("closing item", closing.id, item)
            items.append(closing)
        return tuple(items)

    # ------------------------------------------------------------------- codebook

    def _codebook(self, fields: Fields) -> tuple[Code, ...]:
        node = fields.node("codebook")
        if node is None or ym.is_null(node):
            return ()
        if isinstance(node, SequenceNode):
            return self._codes(fields, "codebook")
        if not (isinstance(node, ScalarNode) and node.tag == ym.STR and node.value.strip()):
            fields.wrong("codebook", node, "a file name beside the guide or a list of codes")
            return ()
        name = node.value.strip()
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:
            # A guide travels with its codebook (a wheel, a copy to a colleague): keep them together.
            self.problems.at(node, f"codebook file '{shown(name)}' must be beside the guide: "
                             "a name relative to the guide's folder, without '..'")
            return ()
        return self._codebook_beside(node, name, relative)

    def _codebook_beside(self, node: Node, name: str, relative: Path) -> tuple[Code, ...]:
        path, display = self.base_dir / relative, self.display_dir / relative
        try:
            text = ym.read_text(path)
        except FileProblem as problem:
            if problem.unreadable:
                reason = f"not found (looked for {ym.shorten(str(display), 120)})" if problem.message == "no such file" else problem.message
                self.problems.at(node, f"codebook file '{shown(name)}' {reason}")
            else:
                self.other_files.append(Problems(str(display), [(problem.line, problem.column, problem.message)]))
            return ()
        problems = Problems(str(display))
        self.other_files.append(problems)
        root = ym.compose(text, problems)
        if root is None:
            return ()
        return Builder(problems, path.parent, display.parent).codebook_file(root)

    def codebook_file(self, root: Node) -> tuple[Code, ...]:
        entries = ym.mapping_entries(root, "the codebook file", CODEBOOK_FILE_KEYS, self.problems)
        return self._codes(Fields(entries, "the codebook file", self.problems), "codes")

    def _codes(self, fields: Fields, key: str) -> tuple[Code, ...]:
        codes: list[tuple[Code, Fields]] = []
        for item in self._items(fields, key, "code", CODE_KEYS):
            code = Code(
                id=item.ident("id", "code", CODE_ID_RE),
                label=item.text("label", required=True),
                description=item.text("description"),
                parent=item.text("parent") or None,
            )
            self._unique("code", code.id, item)
            codes.append((code, item))
        check_parents(codes)
        return tuple(code for code, _ in codes)


def check_parents(codes: list[tuple[Code, Fields]]) -> None:
    """Every parent is a code of this codebook, and no code is its own ancestor."""
    parent_of = {code.id: code.parent for code, _ in codes if code.id}
    reported: set[frozenset[str]] = set()
    for code, item in codes:
        if code.parent is None:
            continue
        if code.parent not in parent_of:
            near = ym.closest(code.parent, parent_of)
            hint = f" — did you mean '{near}'?" if near else ""
            item.problems.at(
                item.node("parent"),
                f"{item.where} has parent '{shown(code.parent)}', which is not a code in this codebook{hint}",
            )
            continue
        chain = _ancestry(code.id, parent_of)
        if chain and frozenset(chain) not in reported:
            reported.add(frozenset(chain))
            item.problems.at(item.node("parent"), f"{item.where} is its own ancestor: {' → '.join(chain + [chain[0]])}")


def _ancestry(start: str, parent_of: dict[str, str | None]) -> list[str]:
    """The ids of the parent cycle ``start`` is on, starting with it; [] when none."""
    chain, current = [start], parent_of.get(start)
    while current is not None and current in parent_of and len(chain) <= len(parent_of):
        if current == start:
            return chain
        if current in chain:
            return []  # a cycle above start, reported at one of its own members
        chain.append(current)
        current = parent_of.get(current)
    return []
