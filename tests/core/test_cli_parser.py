"""The command line builds only the named subcommand's parser: the same parse, sooner."""

from __future__ import annotations

import argparse

import pytest

from companion.cli import MODULE_OF, build_parser, command_of


def subcommands(parser: argparse.ArgumentParser) -> set[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


def test_every_subcommand_is_mapped_to_the_module_that_registers_it():
    assert subcommands(build_parser()) == set(MODULE_OF)
    for command, module in MODULE_OF.items():
        assert command in subcommands(build_parser(command)), (command, module)


@pytest.mark.parametrize("argv, command", [
    (["interview", "--guide", "professional"], "interview"),
    (["--sessions", "review", "sessions"], "sessions"),  # a store folder named like a command
    (["--sess", "review", "purge"], "purge"),  # argparse's abbreviation of --sessions
    (["--sessions=review", "withdraw", "PR1"], "withdraw"),
    (["--config", "c.yaml", "--guides", "g", "guide", "check", "x.yaml"], "guide"),
    ([], None),
    (["--help"], None),
    (["--version"], None),
    (["bogus"], None),
    (["interview", "--help"], "interview"),
    (["--", "interview"], None),  # argparse reads "--" or "-" as the command word: the full
    (["-", "review"], None),  # parser says it is none of them, naming them all
    (["-1", "review"], None),
    (["--sessions"], None),
])
def test_the_command_is_found_past_the_store_options(argv, command):
    assert command_of(argv) == command


@pytest.mark.parametrize("argv", [
    ["interview", "--guide", "professional", "--participant", "PR1", "--no-audio"],
    ["--sessions", "/tmp/s", "sessions", "--json"],
    ["export", "PR1/20240101-100000", "--format", "all", "-o", "out"],
    ["--guides", "g", "guide", "check", "a.yaml", "b.yaml"],
    ["withdraw", "PR1", "--yes"],
    ["key", "new", "k.pem", "--yes"],
])
def test_the_parse_is_the_same_as_with_every_subcommand(argv):
    def parsed(parser) -> dict:  # a parser kept for its usage message is told apart by its name
        values = vars(parser.parse_args(argv))
        return {k: v.prog if isinstance(v, argparse.ArgumentParser) else v for k, v in values.items()}

    assert parsed(build_parser(command_of(argv))) == parsed(build_parser())
