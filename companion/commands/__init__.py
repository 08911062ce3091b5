"""One module per family of subcommands; each provides ``register(subparsers)``."""

from __future__ import annotations

import argparse


def add_command(subparsers, name: str, run, help: str, description: str | None = None) -> argparse.ArgumentParser:
    """Add a subcommand that accepts the global store options after its name too."""
    from companion.cli import add_store_options

    parser = subparsers.add_parser(name, help=help, description=description or help)
    add_store_options(parser, suppress=True)
    parser.set_defaults(run=run)
    return parser
