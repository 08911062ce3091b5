"""guide_data: a guide as plain data that safe_dump writes and the loader reads
back to an equal guide, codebook inline — the copy a session keeps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.guide.loader import dump_guide, guide_data, load_guide, load_guide_text
from companion.guide.model import AUDIENCES, ClosingItem, Code, ConsentItem, Guide, IdRule, Question, Stage, Study

HERE = Path(__file__).resolve().parent
GUIDE_FILES = sorted((HERE / "valid").glob("*mini.yaml")) + [
    p for p in sorted((HERE.parents[1] / "guides").glob("*.yaml")) if p.stem != "codebook"
]


def reloaded(guide: Guide, where: Path) -> Guide:
    text = yaml.safe_dump(guide_data(guide), sort_keys=False, allow_unicode=True)
    return load_guide_text(text, "copy.yaml", where)  # base_dir must not matter: nothing to look up


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda p: p.name)
def test_guide_files_round_trip_with_the_codebook_inline(path, tmp_path):
    guide = load_guide(path)
    data = guide_data(guide)
    assert isinstance(data.get("codebook", []), list)
    assert reloaded(guide, tmp_path) == guide
    assert load_guide_text(dump_guide(guide), "copy.yaml", tmp_path) == guide


def test_unicode_line_breaks_are_read_as_newlines_so_the_copy_is_faithful(tmp_path):
    text = (HERE / "valid" / "mini.yaml").read_text().replace("ask: Is recovery the goal?", 'ask: "Is\\Nrecovery\\Lthe\\Pgoal?"')
    guide = load_guide_text(text, "g.yaml", tmp_path)
    assert guide.question("early-goal").ask == "Is\nrecovery\nthe\ngoal?"
    assert reloaded(guide, tmp_path) == guide


def test_guide_data_keeps_the_documented_key_order():
    data = guide_data(load_guide(HERE / "valid" / "mini.yaml"))
    assert list(data) == ["id", "title", "audience", "study", "participant_id", "preamble", "codebook", "stages", "closing"]


# ------------------------------------------------------------------ generated guides

IDS = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
CODE_IDS = st.from_regex(r"[a-z0-9]{1,6}([-.][a-z0-9]{1,6}){0,2}", fullmatch=True)
# The loader reads U+0085, U+2028 and U+2029 as "\n" (see fields.tidy), so a loaded guide never holds them.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x85\u2028\u2029"), min_size=1, max_size=60)
TEXT = TEXT.map(str.strip).filter(bool)
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)


def unique_ids(ids, min_size=1, max_size=3):
    return st.lists(ids, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def guides(draw) -> Guide:
    prefix = draw(st.from_regex(r"[A-Z]{1,3}", fullmatch=True))
    rule = IdRule(prefix=prefix, pattern=re.escape(prefix) + "[0-9]{1,4}", example=prefix + str(draw(st.integers(0, 9999))))
    permission_at = draw(st.integers(-1, 2))
    preamble = tuple(
        ConsentItem(id=i, text=draw(TEXT), required=draw(st.booleans()), recording_permission=n == permission_at)
        for n, i in enumerate(draw(unique_ids(IDS)))
    )
    question_ids = iter(draw(unique_ids(IDS, min_size=6, max_size=6)))
    stages = tuple(
        Stage(
            id=stage_id,
            title=draw(TEXT),
            intro=draw(OPTIONAL_TEXT),
            note=draw(OPTIONAL_TEXT),
            distress=draw(OPTIONAL_TEXT),
            questions=tuple(
                Question(
                    id=next(question_ids),
                    ask=draw(TEXT),
                    lead_in=draw(OPTIONAL_TEXT),
                    probes=tuple(draw(st.lists(TEXT, max_size=2))),
                    prompts=tuple(draw(st.lists(TEXT, max_size=2))),
                    context=draw(OPTIONAL_TEXT),
                    present=draw(OPTIONAL_TEXT),
                    distress=draw(OPTIONAL_TEXT),
                    optional=draw(st.booleans()),
                )
                for _ in range(draw(st.integers(1, 2)))
            ),
        )
        for stage_id in draw(unique_ids(IDS))
    )
    code_ids = draw(unique_ids(CODE_IDS, min_size=0, max_size=4))
    codebook = tuple(
        Code(id=c, label=draw(TEXT), description=draw(OPTIONAL_TEXT),
             parent=draw(st.one_of(st.none(), st.sampled_from(code_ids[:n]))) if n else None)
        for n, c in enumerate(code_ids)
    )
    return Guide(
        id=draw(IDS),
        title=draw(TEXT),
        audience=draw(st.sampled_from(AUDIENCES)),
        study=Study(name=draw(TEXT), institution=draw(OPTIONAL_TEXT),
                    project_end=draw(st.one_of(st.none(), st.dates())), retention_years=draw(st.integers(1, 50))),
        participant_id=rule,
        preamble=preamble,
        stages=stages,
        closing=tuple(ClosingItem(id=i, text=draw(TEXT), note=draw(OPTIONAL_TEXT)) for i in draw(unique_ids(IDS, min_size=0))),
        codebook=codebook,
    )


@settings(max_examples=150, deadline=None)
@given(guides())
def test_any_valid_guide_round_trips(tmp_path_factory, guide):
    assert reloaded(guide, tmp_path_factory.getbasetemp()) == guide
