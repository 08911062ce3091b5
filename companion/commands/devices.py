"""`companion devices`: the audio inputs PortAudio offers, or why there are none."""

from __future__ import annotations

import argparse

from companion.commands import add_command


def register(subparsers) -> None:
    add_command(
        subparsers, "devices", run_devices,
        help="list audio input devices",
        description="List the audio input devices (index, name, channels, default rate; * marks "
        "the default). Pick one for an interview with --device INDEX or part of its name.",
    )


def run_devices(args: argparse.Namespace) -> int:
    from companion.audio.devices import AudioUnavailable, list_input_devices

    try:
        devices = list_input_devices()
    except AudioUnavailable as reason:
        # Not an error of the command: the interview still runs, in clock mode.
        text = str(reason)
        print(f"{text[:1].upper()}{text[1:]}. Interviews will run in clock mode (no recording).")
        return 0
    width = max(len(d.name) for d in devices)
    print(f"  {'index':>5}  {'name':<{width}}  {'channels':>8}  {'default rate':>12}")
    for d in devices:
        mark = "*" if d.is_default else " "
        print(f"{mark} {d.index:>5}  {d.name:<{width}}  {d.channels:>8}  {d.default_rate:>12.0f}")
    print("* the default input")
    return 0
