"""Whatever the input — arbitrary text, bytes, YAML structures, or a valid guide
mutated — the loader returns a Guide or raises GuideError, never anything else."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.guide.loader import GUIDE_KEYS, QUESTION_KEYS, STAGE_KEYS, GuideError, guide_data, load_guide, load_guide_text
from companion.guide.model import Guide

VALID = Path(__file__).resolve().parent / "valid"
MINI_TEXT = (VALID / "mini.yaml").read_text(encoding="utf-8")
MINI_DATA = guide_data(load_guide(VALID / "mini.yaml"))

LOCATED = re.compile(r"[^\n]+?\.ya?ml(:\d+:\d+)?: \S[^\n]*\Z")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(text: str) -> Guide | GuideError:
    """The loader's answer; any other exception fails the test with its traceback."""
    try:
        return load_guide_text(text, "fuzz.yaml", VALID)
    except GuideError as error:
        assert error.problems and all(LOCATED.match(p) for p in error.problems), error.problems
        return error


# ------------------------------------------------------------------- raw text and bytes

YAMLISH = st.text(alphabet=string.printable + "é–‘’\u2028\x85\x00\ufeff!&*|>%@`'\"{}[],:#-?", max_size=300)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    outcome(text)


@SETTINGS
@given(YAMLISH)
def test_yaml_punctuation_soup(text):
    outcome(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_in_a_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "guide.yaml"
    path.write_bytes(data)
    try:
        load_guide(path)
    except GuideError:
        pass


# ----------------------------------------------------------------- YAML structures

KEYS = st.sampled_from(sorted({*GUIDE_KEYS, *STAGE_KEYS, *QUESTION_KEYS, "codes", "label", "parent", "text",
                               "prefix", "pattern", "example", "name", "required", "recording_permission"}))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.text(max_size=20),
    st.sampled_from(["professional", "carer", "PR[0-9]+", "PR1", "(", "codebook.yaml", "mini.yaml", "x", ""]),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=25,
)


@SETTINGS
@given(STRUCTURES)
def test_arbitrary_yaml_structures(value):
    outcome(yaml.safe_dump(value, allow_unicode=True))


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(GUIDE_KEYS)), STRUCTURES, min_size=3))
def test_guide_shaped_mappings(value):
    outcome(yaml.safe_dump(value, allow_unicode=True))


# ---------------------------------------------------------------- a valid guide mutated


def paths_into(value, prefix=()):
    """Every path (tuple of keys/indexes) to a value inside nested lists and dicts."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_into(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_into(child, (*prefix, index))


ALL_PATHS = list(paths_into(MINI_DATA))[1:]


def mutate(data, path, action, new_value):
    data = yaml.safe_load(yaml.safe_dump(data))  # a deep copy of plain data
    *parents, last = path
    holder = data
    for step in parents:
        holder = holder[step]
    if action == "replace":
        holder[last] = new_value
    elif action == "delete":
        del holder[last]
    elif action == "rename" and isinstance(holder, dict):
        holder[str(new_value)[:10]] = holder.pop(last)
    elif action == "duplicate" and isinstance(holder, list):
        holder.append(holder[last])
    return data


@SETTINGS
@given(st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "rename", "duplicate"]), STRUCTURES)
def test_mutations_of_a_valid_guide(path, action, new_value):
    outcome(yaml.safe_dump(mutate(MINI_DATA, path, action, new_value), sort_keys=False, allow_unicode=True))


@SETTINGS
@given(st.integers(0, len(MINI_TEXT)), st.integers(0, 40), YAMLISH.filter(lambda t: len(t) < 20))
def test_text_edits_of_a_valid_guide(start, length, inserted):
    outcome(MINI_TEXT[:start] + inserted + MINI_TEXT[start + length :])


def test_deep_nesting_and_alias_bombs_are_refused_politely():
    for text in ["[" * 5000 + "]" * 5000, "a: " + "- " * 3000 + "x",
                 "a: &a [*a]\nid: *a\n",
                 "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ntitle: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"]:
        assert isinstance(outcome(text), GuideError)


def test_a_codebook_outside_the_guide_folder_or_not_a_file_is_not_read(tmp_path):
    (tmp_path / "fifo.yaml").symlink_to("/dev/zero")
    for name, expected in [
        ("/dev/zero", "codebook file '/dev/zero' must be beside the guide"),
        ("../../etc/passwd", "codebook file '../../etc/passwd' must be beside the guide"),
        ("fifo.yaml", "codebook file 'fifo.yaml' is not a regular file"),
        ('"a\\0b"', "codebook file 'a\x00b' not found"),
        ("x" * 5000, "File name too long"),
    ]:
        text = MINI_TEXT.replace("codebook:\n", f"codebook: {name}\nx:\n")
        with pytest.raises(GuideError) as caught:
            load_guide_text(text, "g.yaml", tmp_path)
        assert any(p.startswith("g.yaml:23:11: ") and expected in p for p in caught.value.problems), caught.value.problems


def test_project_end_survives_as_a_date():
    assert load_guide_text(MINI_TEXT, "m.yaml", VALID).study.project_end == date(2015, 6, 30)
