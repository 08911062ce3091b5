"""The loader: valid guides load into the model; every broken guide yields its
own located message, and only that one."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from companion.errors import ProblemsError, UsageError
from companion.guide.loader import (
    GuideError,
    find_guides,
    load_any,
    load_codebook,
    load_guide,
    load_guide_text,
    resolve_guide,
)

HERE = Path(__file__).resolve().parent
VALID, BROKEN, PROJECT_ROOT = HERE / "valid", HERE / "broken", HERE.parents[1]

# (file in broken/, expected part of the message, line, col); line None = the whole file.
BROKEN_CASES = [
    ("yaml-syntax", "YAML syntax error: mapping values are not allowed here", 34, 25),
    ("unclosed-bracket", "YAML syntax error: expected ',' or ']'", 36, 42),
    ("tab-indent", "found character '\\t' that cannot start any token (while scanning for the next token) — indent with spaces, not tabs", 45, 1),
    ("undefined-alias", "YAML syntax error: found undefined alias 'stage-title'", 38, 12),
    ("duplicate-key", "duplicate key 'ask' in question 'background' (first at 34:9)", 35, 9),
    ("unknown-key-probe", "unknown key 'probe' in question 'early-goal' — did you mean 'probes'?", 43, 9),
    ("unknown-top-key", "unknown key 'closng' in the guide — did you mean 'closing'?", 50, 1),
    ("misspelt-required-key", "unknown key 'audiense' in the guide — did you mean 'audience'?", 3, 1),
    ("missing-title", "missing required key 'title' in the guide", 1, 1),
    ("missing-ask", "missing required key 'ask' in question 'example'", 46, 9),
    ("number-as-text", "'ask' in question 'early-goal' should be text, not a number (42) — put it in quotes", 42, 14),
    ("mapping-as-list", "'prompts' in question 'example' should be a list (one '- ' line per item), not a mapping", 48, 18),
    ("list-item-not-text", "item 1 of 'probes' in question 'early-goal' should be text, not a mapping", 44, 13),
    ("empty-ask", "'ask' in question 'early-goal' is empty", 42, 9),
    ("unsafe-tag", "'title' in the guide should be text, not a list tagged !!python/object/apply:os.system", 2, 8),
    ("merge-key", "merge keys ('<<') are not supported in stage 'early'", 39, 5),
    ("duplicate-question-id", "duplicate question id 'background' (first used at 33:13)", 46, 13),
    ("duplicate-stage-id", "duplicate stage id 'context' (first used at 30:9)", 37, 9),
    ("duplicate-closing-id", "duplicate closing item id 'anything-else' (first used at 51:9)", 53, 9),
    ("bad-question-id", "question id 'Early Goal' should be lower-case letters and digits in words joined by '-' — perhaps 'early-goal'", 41, 13),
    ("bad-code-id", "code id 'Stuck Recognising' should be lower-case letters and digits in words joined by '-' or '.' — perhaps 'stuck-recognising'", 26, 9),
    ("stage-without-questions", "stage 'early' has no questions", 40, 5),
    ("no-stages", "'stages' is empty: a guide needs at least one stage", 29, 1),
    ("empty-preamble", "'preamble' is empty", 13, 1),
    ("bad-audience", "audience 'clinician' should be one of: professional, service-user, carer", 3, 11),
    ("study-not-mapping", "'study' should be a mapping of keys (name, institution, project_end, retention_years), not text ('Test study')", 4, 8),
    ("bad-pattern", "participant_id pattern 'PR[0-9{1,4}' is not a valid regular expression: unterminated character set at position 2", 11, 12),
    ("example-not-matching", "participant_id example 'PR11a' does not match its own pattern 'PR[0-9]{1,4}'", 12, 12),
    ("example-without-prefix", "participant_id example 'PR11' does not start with its prefix 'SU'", 12, 12),
    ("two-recording-permissions", "preamble item 'consent-form' is a second permission to record (the first is preamble item 'record')", 23, 27),
    ("required-not-boolean", "'required' in preamble item 'record' should be true or false, not text ('yes')", 18, 15),
    ("retention-zero", "'retention_years' in 'study' should be a whole number, 1 or more, not a number (0)", 8, 20),
    ("retention-not-number", "'retention_years' in 'study' should be a whole number, 1 or more, not text ('three')", 8, 20),
    ("project-end-not-date", "'project_end' in 'study' should be a date like 2015-06-30, not 2015-02-30, which is not a real date", 7, 16),
    ("parent-missing", "code 'stuck.recognising' has parent 'stuk', which is not a code in this codebook — did you mean 'stuck'?", 28, 13),
    ("parent-cycle", "code 'stuck' is its own ancestor: stuck → stuck.recognising → stuck", 26, 13),
    ("codebook-file-missing", "codebook file 'nowhere.yaml' not found (looked for", 23, 11),
    ("not-a-mapping", "the guide should be a mapping of keys (id, title, audience,", 1, 1),
    ("empty", "the file is empty", None, None),
]


def test_the_broken_folder_is_all_in_the_table():
    listed = {name for name, *_ in BROKEN_CASES} | {"codebook-file-broken"}
    assert {p.stem for p in BROKEN.glob("*.yaml")} == listed
    assert len(listed) >= 20


@pytest.mark.parametrize(("name", "expected", "line", "col"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_each_broken_guide_yields_its_one_located_message(name, expected, line, col):
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems  # one fault, one message: no knock-on noise
    where = f"{path}:{line}:{col}: " if line else f"{path}: "
    assert problems[0].startswith(where), problems[0]
    assert expected in problems[0]


def test_a_problem_in_the_codebook_file_is_reported_at_the_codebook_file():
    with pytest.raises(GuideError) as caught:
        load_guide(BROKEN / "codebook-file-broken.yaml")
    assert caught.value.problems == [
        f"{BROKEN / 'codebooks' / 'misspelt-label.yaml'}:5:5: unknown key 'lable' in code 'goals' — did you mean 'label'?"
    ]


def test_guide_error_is_a_problems_error_with_exit_status_2():
    with pytest.raises(ProblemsError) as caught:
        load_guide(BROKEN / "bad-audience.yaml")
    assert caught.value.exit_code == 2
    assert str(caught.value) == "\n".join(caught.value.problems)


def test_every_problem_is_reported_at_once_in_line_order(mini_text):
    text = mini_text.replace("audience: professional", "audience: prof").replace("  - id: early\n", "  - id: Early\n")
    text = text.replace("        probes:\n          - If not, why not?\n", "        probe: If not\n")
    with pytest.raises(GuideError) as caught:
        load_guide_text(text, "g.yaml", VALID)
    problems = caught.value.problems
    assert len(problems) == 3
    assert [p.split(":")[1] for p in problems] == ["3", "37", "43"]


# ----------------------------------------------------------------------- valid guides


def test_the_mini_guide_loads_into_the_model():
    guide = load_guide(VALID / "mini.yaml")
    assert guide.id == "mini" and guide.audience == "professional"
    assert guide.study.project_end == date(2015, 6, 30) and guide.study.retention_years == 3
    assert guide.participant_id.matches("PR123") and not guide.participant_id.matches("PR")
    assert [item.id for item in guide.preamble if item.required] == ["record", "consent-form"]
    assert [item.id for item in guide.preamble if item.recording_permission] == ["record"]
    assert [s.id for s in guide.stages] == ["context", "early"]
    assert [q.id for _, q in guide.questions()] == ["background", "early-goal", "example"]
    question = guide.question("early-goal")
    assert question.probes == ("If not, why not?",) and question.context == "(They may not agree.)"
    assert guide.question("example").prompts == ("What was happening?",)
    assert guide.stages[1].note == "Keep it brief."
    assert guide.code("stuck.recognising").parent == "stuck"
    assert guide.path == VALID / "mini.yaml"


def test_a_codebook_file_beside_the_guide_is_read_and_text_is_tidied():
    guide = load_guide(VALID / "carer-mini.yaml")
    assert [c.id for c in guide.codebook] == ["stuck", "stuck.recognising", "goals"]
    assert guide.study.retention_years == 3 and guide.study.project_end is None
    assert guide.stages[0].intro == "We would like to hear about your experience."
    assert guide.question("caring").ask == "Who do you care for?"  # block scalar's newline stripped
    assert guide.question("caring").lead_in == "Some people care for a relative."


def test_the_readme_example_is_a_valid_guide(tmp_path):
    readme = (PROJECT_ROOT / "guides" / "README.md").read_text(encoding="utf-8")
    guide_yaml, codebook_yaml = re.findall(r"```yaml\n(.*?)```", readme, re.S)[:2]
    (tmp_path / "example.yaml").write_text(guide_yaml, encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text(codebook_yaml, encoding="utf-8")
    guide = load_guide(tmp_path / "example.yaml")
    assert guide.question_count == 1 and len(guide.codebook) == 2
    assert load_codebook(tmp_path / "codebook.yaml") == guide.codebook


def test_load_any_tells_a_codebook_from_a_guide():
    assert isinstance(load_any(VALID / "codes.yaml"), tuple)
    assert load_any(VALID / "mini.yaml").id == "mini"


def test_optional_values_may_be_left_empty(mini_text):
    text = mini_text.replace("    note: Keep it brief.\n", "    note:\n    intro: ''\n")
    text = text.replace("  retention_years: 3\n", "  retention_years:\n")
    guide = load_guide_text(text, "g.yaml", VALID)
    assert guide.stages[1].note == "" and guide.study.retention_years == 3


# ----------------------------------------------------------------- files that are not text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id: mini\ntitle: caf\xe9\n", ":2:11: not UTF-8 text (byte 0xe9): save the file as UTF-8"),
        (b"", ": the file is empty"),
        (b"   \n\n# only a comment\n", ": the file is empty"),
        (b"id: a\x00b\n", ":1:6: YAML cannot contain the character #x0000"),
        (b"\xef\xbb\xbfid: [\n", ":2:1: YAML syntax error"),  # a BOM is harmless; the syntax error is found
    ],
)
def test_bytes_that_are_not_a_guide_give_one_clear_problem(tmp_path, content, expected):
    path = tmp_path / "g.yaml"
    path.write_bytes(content)
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}{expected}")
    assert not caught.value.unreadable


def test_a_missing_file_or_a_folder_is_unreadable(tmp_path):
    for path, message in [(tmp_path / "nope.yaml", "no such file"), (tmp_path, "is a folder, not a YAML file")]:
        with pytest.raises(GuideError) as caught:
            load_guide(path)
        assert caught.value.problems == [f"{path}: {message}"]
        assert caught.value.unreadable


# ------------------------------------------------------------------- finding guides


@pytest.fixture
def guide_dir(tmp_path: Path) -> Path:
    for name in ("mini.yaml", "carer-mini.yaml", "codes.yaml"):
        (tmp_path / name).write_text((VALID / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a guide", encoding="utf-8")
    return tmp_path


def test_find_guides_lists_guides_skips_codebooks_and_keeps_broken_ones(guide_dir):
    entries = find_guides([guide_dir, guide_dir / "missing-folder", guide_dir])
    assert [e.path.name for e in entries] == ["broken.yml", "carer-mini.yaml", "mini.yaml"]
    assert entries[0].guide is None and entries[0].problems[0].startswith(f"{guide_dir / 'broken.yml'}:3:1: ")
    assert [e.guide.id for e in entries[1:]] == ["carer-mini", "mini"]


def test_resolve_guide_by_id_stem_or_path(guide_dir, tmp_path):
    assert resolve_guide("mini", [guide_dir]).id == "mini"
    assert resolve_guide("carer-mini", [guide_dir]).audience == "carer"
    assert resolve_guide(str(guide_dir / "mini.yaml"), []).id == "mini"
    renamed = guide_dir / "other-name.yaml"
    renamed.write_text((VALID / "mini.yaml").read_text().replace("id: mini", "id: renamed"), encoding="utf-8")
    assert resolve_guide("other-name", [guide_dir]).id == "renamed"


def test_resolve_guide_explains_unknown_names_and_broken_guides(guide_dir):
    with pytest.raises(UsageError, match=r"no guide called 'mnii' — did you mean 'mini'\? \(available: carer-mini, mini\)"):
        resolve_guide("mnii", [guide_dir])
    with pytest.raises(GuideError):
        resolve_guide("broken", [guide_dir])
    with pytest.raises(UsageError, match="no such file"):
        resolve_guide(str(guide_dir / "gone.yaml"), [guide_dir])
    with pytest.raises(UsageError, match="no guides found"):
        resolve_guide("mini", [guide_dir / "nowhere"])


def test_a_second_guide_with_an_id_already_found_is_listed_as_a_problem_and_not_used(guide_dir, tmp_path):
    """A copy of a guide in a second folder (./guides beside the shipped ones): one id, one guide."""
    import shutil

    copies = tmp_path / "copies"
    copies.mkdir()
    shutil.copy(guide_dir / "mini.yaml", copies / "mini-copy.yaml")
    for other in guide_dir.iterdir():
        if other.name.startswith("codebook"):
            shutil.copy(other, copies / other.name)
    entries = find_guides([guide_dir, copies])
    [copy] = [e for e in entries if e.path.parent == copies]
    assert copy.guide is None
    assert copy.problems == [f"{copies / 'mini-copy.yaml'}: guide id 'mini' is already the id of "
                             f"{guide_dir / 'mini.yaml'}, so this file is not used — give it an id of its own"]
    assert resolve_guide("mini", [guide_dir, copies]).path == guide_dir / "mini.yaml"


def test_a_guide_named_by_id_is_the_one_a_full_scan_picks_parsing_only_that_file(tmp_path, monkeypatch):
    """The command line reads the other guides' ids as text, not as YAML; every case where
    that is not clear-cut goes to the full scan, and both give the same guide."""
    import companion.guide.loader as loader
    from companion.config import shipped_guides_dir

    shipped = shipped_guides_dir()
    extra = tmp_path / "guides"
    extra.mkdir()
    (extra / "codebook.yaml").write_text((shipped / "codebook.yaml").read_text())
    carer = (shipped / "carer.yaml").read_text()
    (extra / "a-copy.yaml").write_text(carer)  # the same id as a shipped guide: the shipped one is used
    (extra / "quoted.yaml").write_text(carer.replace("\nid: carer\n", "\nid: \"quoted-guide\"  # a note\n"))
    (extra / "broken.yaml").write_text("id: broken-one\nstages: [\n")
    (extra / "two-ids.yaml").write_text(carer.replace("\nid: carer\n", "\nid: twice\nid: twice\n"))
    # A quoted key, and a quoted title whose next line reads like an id, before the plain one:
    hidden = carer.replace("\nid: carer\n", '\n"id": study1\n').replace(
        '\ntitle: "Interview - Topic Guide (Carer Version)"', '\ntitle: "Interview\nid: other\nthe rest"')
    (extra / "b-hidden.yaml").write_text(hidden)
    (extra / "c-plain.yaml").write_text(carer.replace("\nid: carer\n", "\nid: study1\n"))
    (extra / "d-anchor.yaml").write_text(carer.replace("\nid: carer\n", "\nid: &a study2\n"))
    (extra / "e-plain.yaml").write_text(carer.replace("\nid: carer\n", "\nid: study2\n"))
    dirs = [shipped, extra]

    def picked(name: str, scan_all: bool):
        if scan_all:
            monkeypatch.setattr(loader, "_declaring", lambda name, dirs: None)
        try:
            guide = loader.resolve_guide(name, dirs)
            return (guide.id, guide.path)
        except (UsageError, ProblemsError) as error:
            return type(error).__name__, str(error)
        finally:
            monkeypatch.undo()

    for name in ("professional", "carer", "quoted-guide", "broken-one", "twice", "nothing-such", "codebook",
                 "study1", "study2"):
        assert picked(name, scan_all=False) == picked(name, scan_all=True), name
    assert picked("carer", scan_all=False) == ("carer", shipped / "carer.yaml")
    assert picked("quoted-guide", scan_all=False)[0] == "quoted-guide"
    assert picked("study1", scan_all=False) == ("study1", extra / "b-hidden.yaml")
    assert picked("study2", scan_all=False) == ("study2", extra / "d-anchor.yaml")
    parsed = []
    load_any = loader.load_any
    monkeypatch.setattr(loader, "load_any", lambda path: parsed.append(Path(path).name) or load_any(path))
    assert loader.resolve_guide("professional", [shipped]).id == "professional"
    assert parsed == ["professional.yaml"]
