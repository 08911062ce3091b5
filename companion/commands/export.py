"""`companion export SESSION --format FORMAT [-o PATH]`, or `--all`: sessions in the formats analysis tools read."""

from __future__ import annotations

import argparse
import sys

from companion.commands import add_command
from companion.commands.audit import add_key_options, audited_open
from companion.config import session_root
from companion.errors import UsageError

# Kept here (not imported from companion.export) so `companion --help` imports nothing heavy.
FORMAT_NAMES = ("md", "csv", "vtt", "srt", "audacity", "eaf", "nvivo", "nvivo-tsv", "qdc", "qdpx", "flac", "opus",
                "all")
TEXT_FORMATS = ("md", "csv", "vtt", "srt", "audacity", "eaf", "nvivo", "nvivo-tsv", "qdc")


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "export",
        run_export,
        help="export a session: " + ", ".join(FORMAT_NAMES),
        description="Write a session in a format analysis tools read. Without -o the files go into "
        "the session's exports/ folder and their paths are printed; -o - writes one text format to stdout. "
        "--all exports every session: with qdpx (or qdc) into one file given by -o.",
    )
    parser.add_argument("session", nargs="?", metavar="SESSION", help="a session folder or PARTICIPANT/SESSION-ID")
    parser.add_argument("--all", action="store_true", help="every session in the store")
    parser.add_argument("--format", "-f", required=True, metavar="FORMAT", help=", ".join(FORMAT_NAMES))
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="a file (one format), a folder (--format all), or - for stdout")
    add_key_options(parser)
    parser.add_argument("--link-audio", action="store_true",
                        help="qdpx: link the audio where it is (absolute://) instead of copying it into the project")


def open_record(args: argparse.Namespace):
    record = audited_open(args, f"export --format {args.format}", plain_output=True)
    if record.guide is None:
        problems = "; ".join(record.problems) or "its guide copy cannot be read"
        raise UsageError(f"Session {args.session} cannot be exported: {problems}")
    return record


class ProgressLine:
    """Joining audio takes seconds per recorded hour, Opus minutes: a line on stderr says so,
    updated in place on a terminal, once at the start and once at the end otherwise."""

    def __init__(self, name: str):
        self.name = name
        self.tty = sys.stderr.isatty()
        self.shown: tuple[str, int] | None = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase == "removed":
            self._say(f"joined the audio of {self.name} into one file.", end="\n")
            return
        if phase in ("join", "verify"):
            what, percent = f"joining the audio of {self.name}", done * 50 // max(total, 1) + (50 if phase == "verify" else 0)
        elif phase in ("flac", "opus"):
            what, percent = f"writing {self.name}'s audio as {phase}", done * 100 // max(total, 1)
        else:
            return
        first = self.shown is None or self.shown[0] != what
        if first or (self.tty and percent != self.shown[1]):
            self._say(f"{what}: {percent}%", end="" if self.tty else "\n")
        if not self.tty and percent == 100 and phase in ("flac", "opus") and (first or self.shown[1] != 100):
            self._say(f"{what}: done", end="\n")
        self.shown = (what, percent)

    def _say(self, text: str, end: str) -> None:
        prefix = "\r\033[K" if self.tty else ""
        sys.stderr.write(f"{prefix}companion: {text}{end}")
        sys.stderr.flush()


def run_export(args: argparse.Namespace) -> int:
    from companion.export import writer

    if args.all == bool(args.session):
        raise UsageError("Give one SESSION to export, or --all for every session in the store.")
    if args.all:
        from companion.export.study import export_store
        from companion.store import Store

        store = Store(session_root(getattr(args, "sessions", None)))
        for path in export_store(store, args.format, args.output, writer.warn_stderr, ProgressLine, args.link_audio):
            print(path)
        return 0
    formats = writer.expand(args.format)
    record = open_record(args)
    if args.output == "-":
        return _to_stdout(record, formats)
    for path in writer.write_exports(record, formats, args.output, progress=ProgressLine(args.session),
                                     link_audio=args.link_audio):
        print(path)
    return 0


def _to_stdout(record, formats: list[str]) -> int:
    from companion.export import writer
    from companion.export.media import Media

    if len(formats) != 1 or formats[0] not in TEXT_FORMATS:
        raise UsageError("-o - writes one text format to stdout; give -o FILE for qdpx, flac or opus, "
                         "or -o FOLDER for all.")
    view = writer.view_of(record)
    _, audio_path = writer.session_audio_of(record, False, writer.warn_stderr, ProgressLine(str(record.path)))
    # Nobody knows where stdout is kept: the audio is named by its absolute path.
    media = Media(audio_path.resolve(), audio_path.resolve().as_posix()) if audio_path else None
    sys.stdout.write(writer.render(view, formats[0], media))
    sys.stdout.flush()
    message = writer.safeguarding_warning(view)
    if message:
        writer.warn_stderr(message)
    return 0
