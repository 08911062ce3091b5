"""Reading topic guides (format: guides/README.md) into ``companion.guide.model``.

Every problem in a file is collected and reported at once as
``path:line:col: message`` in a :class:`GuideError`; no input, however broken,
raises anything else. ``guide_data`` turns a guide back into plain data for the
self-contained copy a session keeps.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from companion.errors import ProblemsError, UsageError
from companion.guide import yaml_marks as ym
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
from companion.guide.yaml_marks import Entries, FileProblem, Problems

DEFAULT_RETENTION_YEARS = 3
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE_ID_RE = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
GUIDE_SUFFIXES = (".yaml", ".yml")

# Each kind's keys, in the order guides/README.md documents them; True = required.
GUIDE_KEYS = {
    "id": True, "title": True, "audience": True, "study": True, "participant_id": True,
    "preamble": True, "codebook": False, "stages": True, "closing": False,
}
STUDY_KEYS = {"name": True, "institution": False, "project_end": False, "retention_years": False}
ID_RULE_KEYS = {"prefix": True, "pattern": True, "example": True}
CONSENT_KEYS = {"id": True, "text": True, "required": False, "recording_permission": False}
STAGE_KEYS = {"id": True, "title": True, "intro": False, "note": False, "questions": True}
QUESTION_KEYS = {
    "id": True, "ask": True, "lead_in": False, "probes": False, "prompts": False, "context": False,
}
CLOSING_KEYS = {"id": True, "text": True}
CODE_KEYS = {"id": True, "label": True, "description": False, "parent": False}
CODEBOOK_FILE_KEYS = {"codes": True}


class GuideError(ProblemsError):
    """A guide or codebook that cannot be used; ``problems`` are ``path:line:col: message``.

    ``unreadable`` is True when there was nothing to check (missing file, a
    folder, no permission): ``guide check`` calls that a usage error.
    """

    def __init__(self, problems: list[str], unreadable: bool = False):
        super().__init__(problems, exit_code=2)
        self.unreadable = unreadable


@dataclass(frozen=True)
class GuideEntry:
    """One guide file found in a guide folder: its guide, or why it is broken."""

    path: Path
    guide: Guide | None = None
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- public API


def load_guide(path: str | os.PathLike) -> Guide:
    """The guide in ``path``; a codebook it names is read from beside it."""
    path = Path(path)
    text = _read(path)
    return load_guide_text(text, str(path), path.parent)


def load_guide_text(
    text: str, path_for_messages: str = "<guide>", base_dir: str | os.PathLike | None = None
) -> Guide:
    """The guide in ``text``; a codebook file it names is looked for in ``base_dir``
    (default: the folder of ``path_for_messages``)."""
    result = _load_text(text, path_for_messages, base_dir, codebook_ok=False)
    assert isinstance(result, Guide)
    return result


def load_codebook(path: str | os.PathLike) -> tuple[Code, ...]:
    """The codes of a codebook file (a mapping with only ``codes:``)."""
    path = Path(path)
    problems = Problems(str(path))
    root = ym.compose(_read(path), problems)
    codes = _Builder(problems, path.parent, path.parent).codebook_file(root) if root is not None else ()
    _raise_if_any([problems])
    return codes


def load_any(path: str | os.PathLike) -> Guide | tuple[Code, ...]:
    """A guide, or the codes when the file is a codebook (top level only ``codes``)."""
    path = Path(path)
    return _load_text(_read(path), str(path), path.parent, codebook_ok=True)


def is_codebook(node: Node | None) -> bool:
    """A codebook file's top level has only ``codes``."""
    if not isinstance(node, MappingNode) or not node.value:
        return False
    return all(isinstance(key, ScalarNode) and key.value == "codes" for key, _ in node.value)


def find_guides(dirs: Iterable[str | os.PathLike]) -> list[GuideEntry]:
    """Every guide file (*.yaml, *.yml, not codebooks) in ``dirs``, in order, each once."""
    entries: list[GuideEntry] = []
    seen: set[Path] = set()
    for folder in dirs:
        for path in _yaml_files(Path(folder)):
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            try:
                result = load_any(path)
            except GuideError as error:
                entries.append(GuideEntry(path, problems=error.problems))
                continue
            if isinstance(result, Guide):
                entries.append(GuideEntry(path, guide=result))
    return entries


def _yaml_files(folder: Path) -> list[Path]:
    """The folder's *.yaml and *.yml files, sorted; none when it cannot be listed."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in GUIDE_SUFFIXES and p.is_file())
    except OSError:  # missing, not a folder, or not permitted: nothing to list
        return []


def resolve_guide(name_or_path: str, dirs: Iterable[str | os.PathLike]) -> Guide:
    """A guide named by id (``professional``), file stem, or path.

    Raises UsageError for an unknown name or missing file, GuideError for a broken guide.
    """
    candidate = Path(name_or_path).expanduser()
    looks_like_path = candidate.suffix in GUIDE_SUFFIXES or os.sep in name_or_path or "/" in name_or_path
    if looks_like_path or candidate.is_file():
        try:
            return load_guide(candidate)
        except GuideError as error:
            if error.unreadable:
                raise UsageError(error.problems[0]) from None
            raise
    dirs = [Path(d) for d in dirs]
    entries = find_guides(dirs)
    for entry in entries:
        if entry.guide is not None and entry.guide.id == name_or_path:
            return entry.guide
    for entry in entries:
        if entry.path.stem == name_or_path:
            if entry.guide is None:
                raise GuideError(entry.problems)
            return entry.guide
    ids = sorted({e.guide.id for e in entries if e.guide is not None})
    if not ids:
        raise UsageError(f"no guide called '{name_or_path}': no guides found in {_list_dirs(dirs)}")
    hint = ym.closest(name_or_path, ids)
    mean = f" — did you mean '{hint}'?" if hint else ""
    raise UsageError(f"no guide called '{name_or_path}'{mean} (available: {', '.join(ids)})")


def guide_data(guide: Guide) -> dict[str, Any]:
    """Plain data for ``guide``, codebook inline: ``yaml.safe_dump(..., sort_keys=False)``
    of it loads back to an equal guide. Empty optional fields are left out."""
    data: dict[str, Any] = {
        "id": guide.id,
        "title": guide.title,
        "audience": guide.audience,
        "study": _study_data(guide.study),
        "participant_id": {
            "prefix": guide.participant_id.prefix,
            "pattern": guide.participant_id.pattern,
            "example": guide.participant_id.example,
        },
        "preamble": [_consent_data(item) for item in guide.preamble],
    }
    if guide.codebook:
        data["codebook"] = [_code_data(code) for code in guide.codebook]
    data["stages"] = [_stage_data(stage) for stage in guide.stages]
    if guide.closing:
        data["closing"] = [{"id": item.id, "text": item.text} for item in guide.closing]
    return data


def dump_guide(guide: Guide) -> str:
    """The guide as self-contained YAML (codebook inline), in the documented key order."""
    return yaml.safe_dump(guide_data(guide), sort_keys=False, allow_unicode=True, width=88)


# --------------------------------------------------------------------------- reading


def _read(path: Path) -> str:
    try:
        return ym.read_text(path)
    except FileProblem as problem:
        raise GuideError([problem.located(str(path))], unreadable=problem.unreadable) from None


def _load_text(
    text: str, display: str, base_dir: str | os.PathLike | None, codebook_ok: bool
) -> Guide | tuple[Code, ...]:
    problems = Problems(display)
    display_dir = Path(display).parent
    base = Path(base_dir) if base_dir is not None else display_dir
    builder = _Builder(problems, base, display_dir)
    root = ym.compose(text, problems)
    result: Guide | tuple[Code, ...] | None = None
    if root is not None:
        if codebook_ok and is_codebook(root):
            result = builder.codebook_file(root)
        else:
            result = builder.guide(root, Path(display))
    _raise_if_any([problems, *builder.other_files])
    assert result is not None
    return result


def _raise_if_any(all_problems: list[Problems]) -> None:
    lines = [line for problems in all_problems for line in problems.lines()]
    if lines:
        raise GuideError(lines)


def _list_dirs(dirs: list[Path]) -> str:
    return ", ".join(str(d) for d in dirs) or "(no folders)"


def _shown(value: str) -> str:
    return ym.shorten(value)


# YAML counts these as line breaks, and PyYAML's dumper writes them raw into plain
# scalars, where reading folds them to spaces: as "\n" the text round-trips exactly.
_LINE_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def _tidy(text: str) -> str:
    """Text as the guide means it: outer blank space trimmed, line breaks plain."""
    return text.translate(_LINE_BREAKS).strip()


class _Fields:
    """Typed values out of one mapping's entries; each problem reported where it is.
    A missing or broken value reads as its default, so checking carries on."""

    def __init__(self, entries: Entries | None, where: str, problems: Problems):
        self.entries = entries or {}
        self.where = where
        self.problems = problems

    def node(self, key: str) -> Node | None:
        pair = self.entries.get(key)
        return pair[1] if pair else None

    def _empty(self, key: str) -> None:
        self.problems.at(self.entries[key][0], f"'{key}' in {self.where} is empty")

    def _wrong(self, key: str, node: Node, wanted: str) -> None:
        hint = " — put it in quotes if it is meant as text" if wanted == "text" and isinstance(node, ScalarNode) else ""
        self.problems.at(node, f"'{key}' in {self.where} should be {wanted}, not {ym.describe(node)}{hint}")

    def text(self, key: str, required: bool = False) -> str:
        node = self.node(key)
        if node is None:
            return ""
        if ym.is_null(node):
            if required:
                self._empty(key)
            return ""
        if not (isinstance(node, ScalarNode) and node.tag == ym.STR):
            self._wrong(key, node, "text")
            return ""
        value = _tidy(node.value)
        if required and not value:
            self._empty(key)
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
                f"{kind} id '{_shown(value)}' should be lower-case letters and digits "
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
        self._wrong(key, node, "true or false")
        return False

    def items(self, key: str) -> list[Node] | None:
        """A list's item nodes; [] when empty or null; None when absent or not a list."""
        node = self.node(key)
        if node is None:
            return None
        if ym.is_null(node):
            return []
        if not isinstance(node, SequenceNode):
            self._wrong(key, node, "a list (one '- ' line per item)")
            return None
        return list(node.value)

    def texts(self, key: str) -> tuple[str, ...]:
        values = []
        for number, item in enumerate(self.items(key) or [], start=1):
            where = f"item {number} of '{key}' in {self.where}"
            if not (isinstance(item, ScalarNode) and item.tag == ym.STR):
                hint = " — put it in quotes if it is meant as text" if isinstance(item, ScalarNode) else ""
                self.problems.at(item, f"{where} should be text, not {ym.describe(item)}{hint}")
            elif not _tidy(item.value):
                self.problems.at(item, f"{where} is empty")
            else:
                values.append(_tidy(item.value))
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


def _label(node: Node, kind: str, number: int, within: str = "") -> str:
    """``question 'early-goal'`` when the item has a usable id, else ``question 3 of stage 'x'``."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                if value.tag == ym.STR and value.value.strip():
                    return f"{kind} '{_shown(value.value.strip())}'"
    return f"{kind} {number}" + (f" of {within}" if within else "")


class _Builder:
    """Walks one guide's node tree, building the model and collecting problems."""

    def __init__(self, problems: Problems, base_dir: Path, display_dir: Path):
        self.problems = problems
        self.base_dir = base_dir
        self.display_dir = display_dir
        self.other_files: list[Problems] = []  # problems found in a codebook file
        self.ids: dict[str, dict[str, yaml.Mark]] = {}

    def _unique(self, kind: str, value: str, fields: _Fields) -> None:
        if not value:
            return
        seen = self.ids.setdefault(kind, {})
        node = fields.node("id")
        if value in seen:
            first = seen[value]
            fields.problems.at(node, f"duplicate {kind} id '{_shown(value)}' (first used at {first.line + 1}:{first.column + 1})")
        elif node is not None:
            seen[value] = node.start_mark

    def guide(self, root: Node, path: Path) -> Guide | None:
        entries = ym.mapping_entries(root, "the guide", GUIDE_KEYS, self.problems)
        if entries is None:
            return None
        fields = _Fields(entries, "the guide", self.problems)
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

    def _audience(self, fields: _Fields) -> str:
        value = fields.text("audience", required=True)
        if value and value not in AUDIENCES:
            near = ym.closest(value, AUDIENCES)
            hint = f" — did you mean '{near}'?" if near else ""
            fields.problems.at(
                fields.node("audience"),
                f"audience '{_shown(value)}' should be one of: {', '.join(AUDIENCES)}{hint}",
            )
        return value

    def _study(self, node: Node | None) -> Study:
        if node is None:
            return Study(name="")
        fields = _Fields(ym.mapping_entries(node, "'study'", STUDY_KEYS, self.problems), "'study'", self.problems)
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
        fields = _Fields(ym.mapping_entries(node, where, ID_RULE_KEYS, self.problems), where, self.problems)
        rule = IdRule(
            prefix=fields.text("prefix", required=True),
            pattern=fields.text("pattern", required=True),
            example=fields.text("example", required=True),
        )
        compiled = None
        if rule.pattern:
            try:
                compiled = re.compile(rule.pattern)
            except re.error as error:
                self.problems.at(
                    fields.node("pattern"),
                    f"participant_id pattern '{_shown(rule.pattern)}' is not a valid regular expression: {error}",
                )
            except (OverflowError, RecursionError, ValueError) as error:
                self.problems.at(
                    fields.node("pattern"),
                    f"participant_id pattern '{_shown(rule.pattern)}' cannot be used: {error}",
                )
        if compiled is not None and rule.example and not compiled.fullmatch(rule.example):
            self.problems.at(
                fields.node("example"),
                f"participant_id example '{_shown(rule.example)}' does not match its own pattern "
                f"'{_shown(rule.pattern)}'",
            )
        if rule.prefix and rule.example and not rule.example.startswith(rule.prefix):
            self.problems.at(
                fields.node("example"),
                f"participant_id example '{_shown(rule.example)}' does not start with its prefix "
                f"'{_shown(rule.prefix)}'",
            )
        return rule

    def _items(
        self, fields: _Fields, key: str, kind: str, keys: dict[str, bool], within: str = ""
    ) -> list[_Fields]:
        """The fields of each item of a list of mappings, items that are not mappings reported."""
        result = []
        for number, node in enumerate(fields.items(key) or [], start=1):
            where = _label(node, kind, number, within)
            entries = ym.mapping_entries(node, where, keys, fields.problems)
            if entries is not None:
                result.append(_Fields(entries, where, fields.problems))
        return result

    def _non_empty(self, fields: _Fields, key: str, message: str) -> None:
        node = fields.node(key)
        if node is not None and (ym.is_null(node) or (isinstance(node, SequenceNode) and not node.value)):
            fields.problems.at(fields.entries[key][0], message)

    def _preamble(self, fields: _Fields) -> tuple[ConsentItem, ...]:
        self._non_empty(fields, "preamble", "'preamble' is empty: list the consent checklist's items")
        items = []
        permission: _Fields | None = None
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

    def _stages(self, fields: _Fields) -> tuple[Stage, ...]:
        self._non_empty(fields, "stages", "'stages' is empty: a guide needs at least one stage")
        stages = []
        for item in self._items(fields, "stages", "stage", STAGE_KEYS):
            stage_id = item.ident("id", "stage")
            self._unique("stage", stage_id, item)
            title = item.text("title", required=True)
            intro, note = item.text("intro"), item.text("note")
            self._non_empty(item, "questions", f"{item.where} has no questions")
            questions = tuple(self._question(q) for q in self._items(item, "questions", "question", QUESTION_KEYS, item.where))
            stages.append(Stage(id=stage_id, title=title, questions=questions, intro=intro, note=note))
        return tuple(stages)

    def _question(self, item: _Fields) -> Question:
        question_id = item.ident("id", "question")
        self._unique("question", question_id, item)
        return Question(
            id=question_id,
            ask=item.text("ask", required=True),
            lead_in=item.text("lead_in"),
            probes=item.texts("probes"),
            prompts=item.texts("prompts"),
            context=item.text("context"),
        )

    def _closing(self, fields: _Fields) -> tuple[ClosingItem, ...]:
        items = []
        for item in self._items(fields, "closing", "closing item", CLOSING_KEYS):
            closing = ClosingItem(id=item.ident("id", "closing item"), text=item.text("text", required=True))
            self._unique("closing item", closing.id, item)
            items.append(closing)
        return tuple(items)

    # ------------------------------------------------------------------- codebook

    def _codebook(self, fields: _Fields) -> tuple[Code, ...]:
        node = fields.node("codebook")
        if node is None or ym.is_null(node):
            return ()
        if isinstance(node, SequenceNode):
            return self._codes(fields, "codebook")
        if not (isinstance(node, ScalarNode) and node.tag == ym.STR and node.value.strip()):
            fields._wrong("codebook", node, "a file name beside the guide or a list of codes")
            return ()
        name = node.value.strip()
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts:
            # A guide travels with its codebook (a wheel, a copy to a colleague): keep them together.
            self.problems.at(node, f"codebook file '{_shown(name)}' must be beside the guide: "
                             "a name relative to the guide's folder, without '..'")
            return ()
        path, shown = self.base_dir / relative, self.display_dir / relative
        try:
            text = ym.read_text(path)
        except FileProblem as problem:
            if problem.unreadable:
                reason = f"not found (looked for {ym.shorten(str(shown), 120)})" if problem.message == "no such file" else problem.message
                self.problems.at(node, f"codebook file '{_shown(name)}' {reason}")
            else:
                self.other_files.append(Problems(str(shown), [(problem.line, problem.column, problem.message)]))
            return ()
        problems = Problems(str(shown))
        self.other_files.append(problems)
        root = ym.compose(text, problems)
        if root is None:
            return ()
        return _Builder(problems, path.parent, shown.parent).codebook_file(root)

    def codebook_file(self, root: Node) -> tuple[Code, ...]:
        entries = ym.mapping_entries(root, "the codebook file", CODEBOOK_FILE_KEYS, self.problems)
        return self._codes(_Fields(entries, "the codebook file", self.problems), "codes")

    def _codes(self, fields: _Fields, key: str) -> tuple[Code, ...]:
        codes: list[tuple[Code, _Fields]] = []
        for item in self._items(fields, key, "code", CODE_KEYS):
            code = Code(
                id=item.ident("id", "code", CODE_ID_RE),
                label=item.text("label", required=True),
                description=item.text("description"),
                parent=item.text("parent") or None,
            )
            self._unique("code", code.id, item)
            codes.append((code, item))
        self._check_parents(codes)
        return tuple(code for code, _ in codes)

    def _check_parents(self, codes: list[tuple[Code, _Fields]]) -> None:
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
                    f"{item.where} has parent '{_shown(code.parent)}', which is not a code in this codebook{hint}",
                )
                continue
            chain = _ancestry(code.id, parent_of)
            if chain and frozenset(chain) not in reported:
                reported.add(frozenset(chain))
                item.problems.at(
                    item.node("parent"),
                    f"{item.where} is its own ancestor: {' → '.join(chain + [chain[0]])}",
                )


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


# --------------------------------------------------------------------------- writing


def _study_data(study: Study) -> dict[str, Any]:
    data: dict[str, Any] = {"name": study.name}
    if study.institution:
        data["institution"] = study.institution
    if study.project_end is not None:
        data["project_end"] = study.project_end
    data["retention_years"] = study.retention_years
    return data


def _consent_data(item: ConsentItem) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "text": item.text}
    if item.required:
        data["required"] = True
    if item.recording_permission:
        data["recording_permission"] = True
    return data


def _stage_data(stage: Stage) -> dict[str, Any]:
    data: dict[str, Any] = {"id": stage.id, "title": stage.title}
    if stage.intro:
        data["intro"] = stage.intro
    if stage.note:
        data["note"] = stage.note
    data["questions"] = [_question_data(q) for q in stage.questions]
    return data


def _question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": question.id}
    if question.lead_in:
        data["lead_in"] = question.lead_in
    data["ask"] = question.ask
    for key in ("probes", "prompts"):
        if getattr(question, key):
            data[key] = list(getattr(question, key))
    if question.context:
        data["context"] = question.context
    return data


def _code_data(code: Code) -> dict[str, Any]:
    data: dict[str, Any] = {"id": code.id, "label": code.label}
    if code.description:
        data["description"] = code.description
    if code.parent is not None:
        data["parent"] = code.parent
    return data
