"""The recorder: crash-safe audio through PortAudio with sample-clock timestamps.

Three threads, each with one job:

- PortAudio's callback copies the block, counts frames, sets the (monotonic, frames)
  anchor and ``put_nowait``s — nothing else, and it can never raise;
- the writer thread (``writing.BlockWriter``) writes the WAV (``wavfile.WavWriter``), fsyncs
  about once a second, computes the meter, reports overflows and gaps, and when the disk
  fails keeps the timeline and tries the disk again until it works;
- the watchdog (``watchdog.Watchdog``) notices a stream that stopped delivering, closes it
  without letting a hung close freeze anything, re-initialises PortAudio and reopens the
  device until it works, the timeline going on from the clock meanwhile.

The timeline in the WAV file is the session timeline: a lost stretch (a gap) is
written as silence of the right length, so file offsets and note offsets agree.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from typing import Callable

from companion.audio import devices
from companion.audio.clock import ClockRecorder, MonotonicTimeline
from companion.audio.state import SILENCE_DBFS, EventSink, RecorderState, SegmentInfo
from companion.audio.wavfile import WavWriter
from companion.audio.watchdog import Watchdog, run_with_timeout
from companion.audio.writing import STOP, BlockWriter

__all__ = ["open_recorder", "Recorder", "ClockRecorder", "RecorderState", "SegmentInfo"]

BLOCK_SECONDS = 0.05  # 20 callbacks a second: the clamp on position() and the meter's grain
QUEUE_SECONDS = 60  # audio held in memory if the disk stalls, before frames are lost


class Recorder(Watchdog, BlockWriter):
    """Records one segment; see the module docstring and ``open_recorder``."""

    mode = "audio"

    def __init__(
        self,
        stream_factory: Callable[..., object],
        *,
        device: int | str | None,
        device_name: str,
        rate: int,
        on_event: EventSink | None = None,
        reinitialize: Callable[[], None] | None = None,
        relocate: Callable[[str], int | str | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        block_seconds: float = BLOCK_SECONDS,
        watchdog_interval: float = 0.25,
        stall_after: float = 1.0,
        startup_grace: float = 3.0,
        behind_limit: float = 0.5,
        reopen_attempts: int = 3,
        reopen_wait: float = 0.5,
        retry_max: float = 2.0,
        close_timeout: float = 2.0,
        fsync_every: float = 1.0,
    ):
        self._factory = stream_factory
        self.device = device
        self.device_name = device_name
        self.rate = int(rate)
        self.blocksize = max(1, int(self.rate * block_seconds))
        self._on_event = on_event
        self._reinitialize = reinitialize
        self._relocate = relocate
        self._clock = clock
        self._tuning = dict(
            interval=watchdog_interval, stall=stall_after, behind=behind_limit,
            attempts=reopen_attempts, startup=startup_grace, wait=reopen_wait, close=close_timeout, fsync=fsync_every,
            retry_max=retry_max,
        )
        self.state = RecorderState("idle")
        self.level: tuple[float, float] = (SILENCE_DBFS, SILENCE_DBFS)
        self.overflows = 0
        self.gaps = 0
        self._queue: queue.Queue = queue.Queue(maxsize=max(8, int(QUEUE_SECONDS / block_seconds)))
        # Written by the callback (plain attribute stores are atomic under the GIL):
        self._frames = 0  # frames on this segment's timeline (written + padded)
        self._anchor: tuple[float, int] | None = None
        self._block = self.blocksize
        self._received = 0  # frames delivered by the current stream, paused or not
        self._last_callback: float | None = None
        self._lost = 0  # frames dropped on a full queue, written later as silence
        self._callback_error: str | None = None
        # Shared flags:
        self._paused = False
        self._generation = 0
        self._stream = None
        self._fallback: MonotonicTimeline | None = None  # set while offsets come from the clock
        self._gap_pending: str | None = None  # reason of a gap the next written block closes
        self._gap_start = 0.0
        self._permanent_clock = False
        self._start_problem: str | None = None  # the stream could not start: the watchdog retries
        self._wake = threading.Event()  # cuts a wait between retries short (retry_now, stop)
        # The writer thread's, while the disk fails:
        self._fed = 0  # frames the file should hold (written, lost or padded)
        self._disk_error: str | None = None
        self._disk_retry_at = 0.0
        self._disk_wait = reopen_wait
        self._start = 0.0
        self._writer: WavWriter | None = None
        self._final: Path | None = None
        self._threads: list[threading.Thread] = []
        self._halt = threading.Event()
        self._result: SegmentInfo | None = None
        self._opened_at = clock()

    # ----- the stream -------------------------------------------------------------

    def open(self) -> None:
        """Open (not start) the input stream; raises when the device can't be opened."""
        self._generation += 1
        self._received, self._last_callback = 0, None
        self._opened_at = self._clock()
        self._stream = self._factory(
            device=self.device,
            samplerate=self.rate,
            channels=1,
            dtype="int16",
            blocksize=self.blocksize,
            callback=self._callback_for(self._generation),
        )

    def _callback_for(self, generation: int):
        def callback(indata, frames, time_info, status) -> None:
            self._on_block(generation, indata, frames, status)

        return callback

    def _on_block(self, generation: int, indata, frames: int, status) -> None:
        """PortAudio's thread: copy, count, anchor, enqueue. Never raises, never blocks."""
        try:
            if generation != self._generation:
                return  # a late call from a stream being replaced
            now = self._clock()
            self._last_callback = now
            self._received += frames
            if status and getattr(status, "input_overflow", False):
                self.overflows += 1
            data = bytes(indata)
            if self._paused:
                try:
                    self._queue.put_nowait((data, 0, False, None))  # the meter only
                except queue.Full:
                    pass
                return
            pad, reason = self._lost, None
            if self._gap_pending is not None and self._fallback is not None:
                # First block after a reopen: pad so the file catches up with the clock.
                target = round((self._fallback.position() - self._start) * self.rate)
                pad += max(0, target - self._frames - frames)
                reason = self._gap_pending
            try:
                self._queue.put_nowait((data, pad, True, reason))
                self._lost = 0
            except queue.Full:
                self._lost = pad + frames
            self._frames += pad + frames
            self._block = frames
            self._anchor = (now, self._frames)
            if reason is not None:
                self._gap_pending = None
                self._fallback = None  # back on the sample clock
        except Exception as error:  # reported by the watchdog, never raised into PortAudio
            if self._callback_error is None:  # keep the first cause
                self._callback_error = f"{type(error).__name__}: {error}"

    # ----- public interface -------------------------------------------------------

    def start(self, partial: Path, final: Path, timeline_start: float = 0.0, make_writer=None) -> None:
        """Start recording into ``partial`` (renamed to ``final`` on stop); the timeline
        continues from ``timeline_start`` (the end of the previous segment). ``make_writer``
        (path, rate) replaces the WAV writer: an encrypted session's seals the audio."""
        self._start = float(timeline_start)
        self._final = Path(final)
        self._writer = (make_writer or WavWriter)(Path(partial), self.rate)
        # The stream may have been opened minutes ago (before consent): the watchdog's grace
        # for a first block counts from now, not from then.
        self._opened_at = self._clock()
        self._threads = [
            threading.Thread(target=self._write_loop, name="companion-audio-writer", daemon=True),
            threading.Thread(target=self._watch_loop, name="companion-audio-watchdog", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self.state = RecorderState("paused" if self._paused else "recording")  # paused before start: held
        try:
            if self._stream is None:
                self.open()
            self._stream.start()
        except Exception as error:  # the watchdog keeps trying; the clock keeps the time meanwhile
            self._anchor = (self._clock(), 0)
            self._fallback = self._timeline_from_anchor()
            self._start_problem = f"the audio device could not start ({error})"
            self.state = RecorderState("fault", self._start_problem)

    def position(self) -> float:
        """Now on the session timeline, in seconds, from the sample clock."""
        fallback = self._fallback
        if fallback is not None:
            return fallback.position()
        frames = self._frames
        anchor = self._anchor
        if self._paused or anchor is None:
            return self._start + frames / self.rate
        mono, anchored = anchor
        extra = min(max(0.0, (self._clock() - mono) * self.rate), self._block)
        return self._start + (anchored + extra) / self.rate

    def pause(self) -> None:
        if self._fallback is not None:
            self._fallback.hold()
        self._paused = True
        if self.state.kind == "recording":
            self.state = RecorderState("paused")

    def resume(self) -> None:
        self._anchor = (self._clock(), self._frames)
        self._paused = False
        if self._fallback is not None:
            self._fallback.run()
        if self.state.kind == "paused":
            self.state = RecorderState("recording")

    @property
    def paused(self) -> bool:
        return self._paused

    def stop(self) -> SegmentInfo:
        """Flush, fix the header, fsync and rename the partial file; idempotent."""
        if self._result is not None:
            return self._result
        clock_end = self._fallback.position() if self._fallback is not None else None
        self._halt.set()
        self._wake.set()
        watchdog = self._threads[1] if len(self._threads) > 1 else None
        if watchdog is not None:
            watchdog.join(timeout=self._tuning["close"] * 3 + self._tuning["stall"] + 5)
        self._close_stream()
        self._generation += 1  # ignore anything a stuck stream still delivers
        path: Path | None = None
        if self._writer is not None:
            self._queue.put(STOP)
            self._threads[0].join()
            try:
                path = self._writer.finish(self._final)
            except OSError:
                path = self._writer.path  # left as .partial.wav: repaired on next open
        audio_end = self._start + self._frames / self.rate
        end = max(audio_end, clock_end) if clock_end is not None else audio_end
        if clock_end is not None and end > self._gap_start:
            self._emit("recording.gap", start=self._gap_start, length=end - self._gap_start,
                       reason=self.state.reason)
        frames = self._writer.frames if self._writer is not None else 0
        self._fallback = MonotonicTimeline(end, self._clock)  # position() stays at the end
        self._result = SegmentInfo(path=path, start=self._start, frames=frames, rate=self.rate, end=end)
        self.state = RecorderState("stopped", self.state.reason if self._permanent_clock else "")
        return self._result


def _reinitialize_portaudio() -> None:
    """Forget every device PortAudio knew: a replugged device gets a fresh handle."""
    sd = devices.sounddevice()
    sd._terminate()
    sd._initialize()


def _relocate(name: str) -> int | str | None:
    """The device's index after a re-initialisation (indices can change on replug)."""
    try:
        return devices.resolve_input(name).index
    except Exception:
        return None  # the default input, whatever it now is


def open_recorder(
    device: int | str | None = None,
    rate: int | None = None,
    *,
    stream_factory: Callable[..., object] | None = None,
    on_event: EventSink | None = None,
    no_audio: bool = False,
    reason: str | None = None,
    **tuning,
) -> Recorder | ClockRecorder:
    """A Recorder on the chosen input, or a ClockRecorder saying in one sentence why not.

    ``device``: None (the default input), an index, or part of a name; a name that
    matches nothing raises UsageError listing the inputs. ``rate``: None picks 48000
    when the device takes it, else its default. ``stream_factory`` replaces
    sounddevice.RawInputStream (tests); then the device is passed through as given.
    ``no_audio=True`` (e.g. the participant declined recording) gives a ClockRecorder
    with ``reason``.
    """
    if no_audio:
        return ClockRecorder(reason or "recording is off", on_event=on_event)
    if stream_factory is not None:
        recorder = Recorder(
            stream_factory, device=device, device_name=str(device if device is not None else "default"),
            rate=rate or devices.PREFERRED_RATE, on_event=on_event, **tuning,
        )
    else:
        try:
            sd = devices.sounddevice()
            chosen = devices.resolve_input(device)
            chosen_rate = devices.choose_rate(chosen, rate)
        except devices.AudioUnavailable as error:
            return ClockRecorder(str(error), on_event=on_event)
        recorder = Recorder(
            sd.RawInputStream, device=chosen.index, device_name=chosen.name, rate=chosen_rate,
            on_event=on_event, reinitialize=_reinitialize_portaudio, relocate=_relocate, **tuning,
        )
    try:
        recorder.open()
    except Exception as error:
        return ClockRecorder(
            f"the input {recorder.device_name!r} could not be opened ({error}): "
            "close other programs using it or choose another with --device",
            on_event=on_event,
        )
    return recorder
