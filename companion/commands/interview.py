"""`companion` (the home screen) and `companion interview`: the commands that open the app.

Everything the command line can check is checked before the app opens — the guide,
the participant ID, the session store — so a mistake is one sentence and exit 2.
"""

from __future__ import annotations

import argparse

from companion.commands import add_command
from companion.config import guide_dirs, session_root


def register(subparsers) -> None:
    parser = add_command(
        subparsers,
        "interview",
        run_interview,
        help="start an interview straight away (or resume one)",
        description="Start an interview: the consent checklist opens first; recording starts only after it.",
    )
    parser.add_argument("--guide", metavar="NAME|PATH", help="a guide id (professional, service-user, carer) or a guide file")
    parser.add_argument("--participant", metavar="ID", help="the participant ID, e.g. PR11 — never a name")
    parser.add_argument("--initials", metavar="XX", help="the interviewer's initials (optional)")
    parser.add_argument("--device", metavar="D", help="audio input: an index or part of its name (see `companion devices`)")
    parser.add_argument("--rate", type=int, metavar="HZ", help="sample rate (default: 48000 where the device takes it)")
    parser.add_argument("--no-audio", action="store_true", help="run without recording (clock mode)")
    parser.add_argument("--resume", metavar="SESSION", help="resume an interrupted session: PARTICIPANT/SESSION-ID or its folder")


def settings_from(args: argparse.Namespace):
    from companion.ui.app import Settings

    device = getattr(args, "device", None)
    return Settings(
        sessions=session_root(getattr(args, "sessions", None)),
        guide_dirs=guide_dirs(getattr(args, "guides", None)),
        device=int(device) if device and device.isdigit() else device,
        rate=getattr(args, "rate", None),
        no_audio=getattr(args, "no_audio", False),
        preroll=getattr(args, "preroll", 3.0),
    )


def check_store(settings) -> None:
    from companion.store import Store

    Store(settings.sessions).check_usable()


def open_app(args: argparse.Namespace, request=None) -> int:
    settings = settings_from(args)
    check_store(settings)
    from companion.ui.lifecycle import run_app

    return run_app(settings, request)


def check_audio_choice(settings) -> None:
    """A --device or --rate that cannot work is refused before the app opens (no audio at all is fine:
    the interview then runs in clock mode and says so)."""
    from companion.audio.devices import AudioUnavailable, choose_rate, resolve_input

    try:
        choose_rate(resolve_input(settings.device), settings.rate)
    except AudioUnavailable:
        pass


def run_interview(args: argparse.Namespace) -> int:
    from companion.errors import UsageError
    from companion.ui.app import StartRequest

    if args.resume:
        return open_app(args, StartRequest(resume=args.resume))
    if not args.guide or not args.participant:
        raise UsageError("interview needs --guide and --participant (or --resume SESSION); see `companion interview --help`.")
    from companion.guide.loader import resolve_guide
    from companion.store import Store

    settings = settings_from(args)
    guide = resolve_guide(args.guide, settings.guide_dirs)
    participant = Store(settings.sessions).check_participant(guide, args.participant)
    if (settings.device is not None or settings.rate) and not settings.no_audio:
        check_audio_choice(settings)
    if args.initials and not (args.initials.isascii() and args.initials.isalpha() and len(args.initials) <= 4):
        raise UsageError(f"'{args.initials}' is not a set of initials: use up to four letters, e.g. JS.")
    return open_app(args, StartRequest(guide=guide, participant=participant, initials=args.initials))
