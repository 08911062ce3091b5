"""The command line. Every subcommand lives in ``companion.commands.<module>`` and
provides ``register(subparsers)``; each registers a ``run(args) -> int``.

Nothing here imports textual, numpy or sounddevice: the commands that open the
app import it inside their ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

import companion
from companion.collector import end_startup_pause, pause_for_startup
from companion.errors import CompanionError, ProblemsError

# Each subcommand's module, in the order `companion --help` lists them. A command line
# builds only its own (argparse takes ~1 ms a subcommand: all of them were 10-20 ms of every
# start, the interview's included).
MODULE_OF = {
    "interview": "interview", "review": "review", "guides": "guides", "guide": "guides",
    "sessions": "sessions", "purge": "sessions", "withdraw": "sessions", "devices": "devices",
    "export": "export", "report": "report", "keys": "keys", "key": "key", "decrypt": "decrypt",
    "audit": "audit", "transfer": "transfer",
}
COMMAND_MODULES = tuple(dict.fromkeys(MODULE_OF.values()))
OPENS_APP = (None, "interview", "review")  # None: the home screen
VALUED = ("--sessions", "--config", "--guides")  # the options before the command that take a value


def command_of(argv: list[str]) -> str | None:
    """The subcommand named on the command line; None when there is none, or anything else
    comes first (help, an unknown word or option, "-"): the full parser then says what."""
    words = iter(argv)
    for word in words:
        option = word.split("=")[0]
        if word.startswith("--") and len(option) > 2 and any(v.startswith(option) for v in VALUED):
            if "=" not in word:
                next(words, None)  # its value (argparse takes "--sess DIR" for --sessions too)
            continue
        if word.startswith("-"):
            return None
        return word if word in MODULE_OF else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or only of ``command``'s module."""
    parser = argparse.ArgumentParser(
        prog="companion",
        description="A terminal interview companion for qualitative research. "
        "Without a command, opens the app's home screen.",
    )
    parser.add_argument("--version", action="version", version=f"companion {companion.__version__}")
    add_store_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES if command is None else (MODULE_OF[command],):
        importlib.import_module(f"companion.commands.{name}").register(subparsers)
    parser.set_defaults(run=run_home)
    return parser


def add_store_options(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    """--sessions and --guides, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--sessions",
        metavar="DIR",
        default=default,
        help="the session store (default: $COMPANION_SESSIONS, else the config file's sessions:, "
        "else the checkout's sessions/ or the per-user data folder; `companion sessions` says which)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=default,
        help="the config file (default: config.yaml in the per-user config folder; `companion keys` names it)",
    )
    parser.add_argument(
        "--guides",
        metavar="DIR",
        default=default,
        help="a folder of extra guides (default: ./guides when present)",
    )


def run_home(args: argparse.Namespace) -> int:
    from companion.commands.interview import open_app

    return open_app(args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(command_of(argv)).parse_args(argv)
    if args.command in OPENS_APP:
        pause_for_startup()  # until the app has frozen what loading it made
    try:
        if getattr(args, "config", None):  # read lazily: most commands never need the file
            from companion import userconfig

            userconfig.choose(args.config)
        return args.run(args)
    except ProblemsError as error:  # located problems print as they are: path:line:col: message
        print("\n".join(error.problems), file=sys.stderr)
        return error.exit_code
    except CompanionError as error:
        print(f"companion: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        end_startup_pause()


if __name__ == "__main__":
    raise SystemExit(main())
