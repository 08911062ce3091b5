"""Participant IDs: the guide's rule, ASCII only, safe as a folder name; anything else refused."""

from __future__ import annotations

import pytest

from companion.errors import CompanionError
from companion.store import ParticipantIdError
from companion.store.ids import same_number, same_number_held

REFUSED = [
    "John Smith",
    "john",
    "John",
    "pr11",  # the rule is capital PR
    "PR",
    "11",
    "PR11 John",
    "../x",
    "../PR11",
    "PR11/..",
    "/",
    "/PR11",
    "\\",
    "PR11\\x",
    ".",
    "..",
    "",
    " ",
    "   ",
    "\t",
    "PR11\n",
    "PR\x0011",
    "PR1\x1b[2J",
    "\u0420R11",  # Cyrillic capital ER: looks exactly like P
    "P\u0280R11",
    "PR\uff11\uff11",  # fullwidth digits
    "PR\u0661\u0662",  # Arabic-Indic digits: \d would match them
    "PR11\u200b",  # zero-width space
    "PR" + "1" * 40,  # over-long
    "PR" + "1" * 5000,
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused_with_a_sentence_saying_what_an_id_looks_like(store, guide, text):
    with pytest.raises(ParticipantIdError) as caught:
        store.check_participant(guide, text)
    message = str(caught.value)
    assert isinstance(caught.value, CompanionError)
    assert "IDs look like PR11 (PR followed by digits); never use a name." in message
    assert "\n" not in message and len(message) < 300  # one sentence, even for 5000 characters
    assert message.isprintable()


@pytest.mark.parametrize("text, expected", [("PR11", "PR11"), ("PR1", "PR1"), ("PR1234", "PR1234"), (" PR11 ", "PR11")])
def test_accepted(store, guide, text, expected):
    assert store.check_participant(guide, text) == expected


def test_the_message_names_the_look_alike(store, guide):
    with pytest.raises(ParticipantIdError, match="CYRILLIC CAPITAL LETTER ER"):
        store.check_participant(guide, "\u0420R11")


def test_the_example_message(store, guide):
    with pytest.raises(ParticipantIdError) as caught:
        store.check_participant(guide, "John Smith")
    assert str(caught.value) == (
        "'John Smith' is not a participant ID: IDs look like PR11 (PR followed by digits); never use a name."
    )


def test_a_guide_pattern_that_would_allow_a_path_is_still_refused(store, kit):
    from dataclasses import replace

    from companion.guide.model import IdRule

    loose = replace(kit.make_guide(), participant_id=IdRule(prefix="", pattern=".*", example="PR11"))
    for text in ("../x", "a/b", "CON", "x" * 33, "PR11\u0301"):
        with pytest.raises(ParticipantIdError):
            store.check_participant(loose, text)


def test_create_refuses_a_name_and_writes_nothing(store, guide):
    with pytest.raises(ParticipantIdError):
        store.create(guide, "John Smith")
    assert not store.root.exists()


def test_an_id_in_lower_case_is_named_in_capitals(store, guide):
    with pytest.raises(ParticipantIdError) as caught:
        store.check_participant(guide, "pr6")
    assert str(caught.value) == ("'pr6' is not a participant ID (IDs are written in capitals: PR6): "
                                 "IDs look like PR11 (PR followed by digits); never use a name.")


def test_the_same_number_written_with_other_zeros():
    names = ["C09", "C9", "C009", "C90", "CA9", "PR9", "C10", "c9", "notes"]
    assert same_number("C9", names) == ["C009", "C09"]
    assert same_number("C09", names) == ["C009", "C9"]
    assert same_number("C90", names) == [] and same_number("C0", ["C00", "C"]) == ["C00"]
    assert same_number("README", names) == []


def test_the_same_number_held_is_named_most_sessions_first():
    held = {"PR09": 1, "PR009": 3, "PR19": 2, "PR0009": 3}
    assert same_number_held("PR9", held) == (["PR0009", "PR009", "PR09"],
                                             "PR0009 (3 sessions), PR009 (3 sessions) and PR09 (1 session)")
    assert same_number_held("PR09", {"PR9": 1}) == (["PR9"], "PR9 (1 session)")
    assert same_number_held("PR9", {"PR19": 4}) == ([], "")
