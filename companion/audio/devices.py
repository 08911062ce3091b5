"""Input devices through PortAudio, and why there may be none.

sounddevice is imported inside functions: loading it loads PortAudio, which the
command line must not pay for at start-up (and which may be missing).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from companion.errors import UsageError


def no_portaudio(platform: str = sys.platform) -> str:
    """sounddevice's macOS and Windows wheels carry PortAudio; only Linux needs the system library."""
    if platform in ("darwin", "win32"):
        return ("the PortAudio library in the sounddevice package could not be loaded: "
                "reinstall it with pip install --force-reinstall sounddevice")
    return "PortAudio is not installed: sudo apt install libportaudio2"


def no_input(platform: str = sys.platform) -> str:
    if platform == "darwin":
        return ("no audio input device was found: plug in a microphone and allow your terminal to use it "
                "(System Settings › Privacy & Security › Microphone)")
    if platform == "win32":
        return ("no audio input device was found: plug in a microphone and let desktop apps use it "
                "(Settings › Privacy & security › Microphone)")
    return "no audio input device was found: plug in a microphone, or start PulseAudio or PipeWire"


NO_PORTAUDIO = no_portaudio()
NO_SOUNDDEVICE = "the sounddevice package is missing: pip install sounddevice"
NO_INPUT = no_input()
PREFERRED_RATE = 48000


class AudioUnavailable(Exception):
    """Recording cannot happen here; the message is one sentence with the fix."""


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    channels: int
    default_rate: float
    is_default: bool


def sounddevice():
    """The sounddevice module, or AudioUnavailable with the fix."""
    try:
        import sounddevice as sd
    except OSError as error:  # the Python package is there, the C library is not
        raise AudioUnavailable(NO_PORTAUDIO) from error
    except ImportError as error:
        raise AudioUnavailable(NO_SOUNDDEVICE) from error
    return sd


def list_input_devices() -> list[Device]:
    """Every device with input channels; raises AudioUnavailable when there are none."""
    sd = sounddevice()
    try:
        found = sd.query_devices()
        default_in = sd.default.device[0]
    except Exception as error:  # PortAudio failing to enumerate is "no devices" to the user
        raise AudioUnavailable(f"{NO_INPUT} ({error})") from error
    if default_in is None or default_in < 0:
        try:
            default_in = sd.query_devices(kind="input")["index"]
        except Exception:
            default_in = -1
    devices = [
        Device(
            index=d["index"],
            name=d["name"],
            channels=d["max_input_channels"],
            default_rate=d["default_samplerate"],
            is_default=d["index"] == default_in,
        )
        for d in found
        if d["max_input_channels"] > 0
    ]
    if not devices:
        raise AudioUnavailable(NO_INPUT)
    return devices


def describe(devices: list[Device]) -> str:
    return ", ".join(f"{d.index}: {d.name}" for d in devices)


def resolve_input(spec: int | str | None) -> Device:
    """The device for ``--device``: None (the default), an index, or part of a name.

    A spec that matches nothing, or several devices equally well, is a UsageError
    listing the inputs; no inputs at all is AudioUnavailable.
    """
    devices = list_input_devices()
    if spec is None or spec == "":
        for d in devices:
            if d.is_default:
                return d
        return devices[0]
    text = str(spec).strip()
    if text.lstrip("-").isdigit():
        wanted = int(text)
        for d in devices:
            if d.index == wanted:
                return d
        raise UsageError(f"no input device has index {wanted}; the inputs are {describe(devices)}")
    lowered = text.lower()
    exact = [d for d in devices if d.name.lower() == lowered]
    if exact:
        return exact[0]
    partial = [d for d in devices if lowered in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise UsageError(f"no input device matches {text!r}; the inputs are {describe(devices)}")
    raise UsageError(f"{text!r} matches several input devices ({describe(partial)}); give its index")


def choose_rate(device: Device, rate: int | None) -> int:
    """The rate asked for, else 48 kHz when the device takes it natively, else its default.

    PortAudio's ALSA device on PulseAudio/PipeWire reports 44100 whatever the hardware
    runs at; recording at a rate other than the source's resamples in this process
    and costs about three times the CPU, and desktop sources run at 48 kHz.
    """
    sd = sounddevice()
    if rate:
        try:
            sd.check_input_settings(device=device.index, channels=1, dtype="int16", samplerate=rate)
        except Exception as error:
            raise UsageError(f"{device.name} cannot record at {rate} Hz ({error})") from error
        return int(rate)
    try:
        sd.check_input_settings(device=device.index, channels=1, dtype="int16", samplerate=PREFERRED_RATE)
        return PREFERRED_RATE
    except Exception:
        return int(device.default_rate)
