"""`companion export SESSION --format FORMAT [-o PATH]`: a session in the formats analysis tools read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion.commands import add_command
from companion.commands.audit import add_key_options, audited_open
from companion.errors import UsageError

# Kept here (not imported from companion.export) so `companion --help` imports nothing heavy.
FORMAT_NAMES = ("md", "csv", "vtt", "srt", "audacity", "eaf", "nvivo", "nvivo-tsv", "all")


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "export",
        run_export,
        help="export a session: md, csv, vtt, srt, audacity, eaf, nvivo, nvivo-tsv or all",
        description="Write a session in a format analysis tools read. Without -o the files go into "
        "the session's exports/ folder and their paths are printed; -o - writes one format to stdout.",
    )
    parser.add_argument("session", metavar="SESSION", help="a session folder or PARTICIPANT/SESSION-ID")
    parser.add_argument("--format", "-f", required=True, metavar="FORMAT", help=", ".join(FORMAT_NAMES))
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="a file (one format), a folder (--format all), or - for stdout")
    add_key_options(parser)


def open_record(args: argparse.Namespace):
    record = audited_open(args, f"export --format {args.format}", plain_output=True)
    if record.guide is None:
        problems = "; ".join(record.problems) or "its guide copy cannot be read"
        raise UsageError(f"Session {args.session} cannot be exported: {problems}")
    return record


def run_export(args: argparse.Namespace) -> int:
    from companion.export import writer

    formats = writer.expand(args.format)
    record = open_record(args)
    if args.output == "-":
        if len(formats) != 1:
            raise UsageError("-o - writes one format to stdout; give one --format, or -o FOLDER for all.")
        view = writer.view_of(record)
        text = writer.render(view, formats[0], session_dir=Path(record.path),
                             segments=writer.segments_of(record), export_dir=Path.cwd())
        sys.stdout.write(text)
        sys.stdout.flush()
        message = writer.safeguarding_warning(view)
        if message:
            writer.warn_stderr(message)
        return 0
    for path in writer.write_exports(record, formats, args.output):
        print(path)
    return 0
