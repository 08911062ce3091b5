"""Reading topic guides (format: guides/README.md) into ``companion.guide.model``.

Every problem in a file is collected and reported at once as
``path:line:col: message`` in a :class:`GuideError`; no input, however broken,
raises anything else. The work is split by concern: ``yaml_marks`` reads YAML with
positions, ``fields`` reads typed values, ``build`` checks the structure and builds
the model, ``writing`` turns a guide back into plain data (re-exported here).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from yaml.nodes import MappingNode, Node, ScalarNode

from companion.errors import ProblemsError, UsageError
from companion.guide import yaml_marks as ym
from companion.guide.build import (  # noqa: F401 - the schema, re-exported for tests and tools
    CLOSING_KEYS,
    CODE_KEYS,
    CONSENT_KEYS,
    GUIDE_KEYS,
    QUESTION_KEYS,
    STAGE_KEYS,
    Builder,
)
from companion.guide.model import Code, Guide
from companion.guide.writing import dump_guide, guide_data  # noqa: F401 - part of this module's API
from companion.guide.yaml_marks import FileProblem, Problems

GUIDE_SUFFIXES = (".yaml", ".yml")


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
    codes = Builder(problems, path.parent, path.parent).codebook_file(root) if root is not None else ()
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
    """Every guide file (*.yaml, *.yml, not codebooks) in ``dirs``, in order, each once. A guide
    whose id an earlier one has (a copy in ./guides of a shipped guide) is listed with that
    problem and not used: an id names one guide, in sessions and on the command line."""
    entries: list[GuideEntry] = []
    seen: set[Path] = set()
    ids: dict[str, Path] = {}
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
            if isinstance(result, Guide) and result.id in ids:
                entries.append(GuideEntry(path, problems=[
                    f"{path}: guide id {result.id!r} is already the id of {ids[result.id]}, so this file is "
                    "not used — give it an id of its own"]))
            elif isinstance(result, Guide):
                ids[result.id] = path
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
    declared = _declaring(name_or_path, dirs)
    if declared is not None:
        return declared
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


# A top-level `id: name` line (the value plain or quoted, with a comment or not), any line
# at column 0 that begins with `id` and a colon, one that begins with a quote or `?` (a
# quoted or complex key, or a quoted text's next line: either may hide the real id), and the
# other top-level keys, to tell a codebook apart.
_TOP_ID = re.compile(r"""^id:[ \t]*(['"]?)([\w.-]+)\1[ \t]*(?:#.*)?$""", re.M)
_ANY_ID = re.compile(r"^id[ \t]*:", re.M)
_UNCLEAR = re.compile(r"""^['"?]""", re.M)
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):", re.M)


def _declaring(name: str, dirs: list[Path]) -> Guide | None:
    """The guide find_guides would pick for id ``name``, parsing that file only: the first
    file, in the same order, whose text declares that id. None whenever a file before it (or
    it) cannot be read that simply — no such line or two of them, not a codebook either — or
    it does not load as a guide of that id; find_guides then parses them all. The command
    line opens an interview sooner: the other guides are not parsed (~5 ms)."""
    seen: set[Path] = set()
    for folder in dirs:
        for path in _yaml_files(folder):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                text = ym.read_text(path)
            except FileProblem:
                return None
            if _UNCLEAR.search(text):
                return None
            ids = _TOP_ID.findall(text)
            if not ids and set(_TOP_KEY.findall(text)) == {"codes"}:
                continue  # a codebook
            if len(ids) != 1 or len(_ANY_ID.findall(text)) != 1:
                return None
            if ids[0][1] == name:
                try:
                    guide = load_any(path)
                except GuideError:
                    return None
                return guide if isinstance(guide, Guide) and guide.id == name else None
    return None


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
    builder = Builder(problems, base, display_dir)
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
