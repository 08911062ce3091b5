"""The recorder: crash-safe audio through PortAudio with sample-clock timestamps.

Three threads, each with one job:

- PortAudio's callback copies the block, counts frames, sets the (monotonic, frames)
  anchor and ``put_nowait``s — nothing else, and it can never raise;
- the writer thread writes the WAV (``wavfile.WavWriter``), fsyncs about once a second,
  computes the meter and reports overflows and gaps;
- the watchdog notices a stream that stopped delivering, closes it without letting a
  hung close freeze anything, re-initialises PortAudio and reopens the device, or
  carries the same timeline on in clock mode.

The timeline in the WAV file is the session timeline: a lost stretch (a gap) is
written as silence of the right length, so file offsets and note offsets agree.
"""

from __future__ import annotations

import collections
import queue
import threading
import time
from pathlib import Path
from typing import Callable

from companion.audio import devices
from companion.audio.clock import ClockRecorder, MonotonicTimeline
from companion.audio.meter import levels
from companion.audio.state import SILENCE_DBFS, EventSink, RecorderState, SegmentInfo
from companion.audio.wavfile import SAMPLE_WIDTH, WavWriter

__all__ = ["open_recorder", "Recorder", "ClockRecorder", "RecorderState", "SegmentInfo"]

BLOCK_SECONDS = 0.05  # 20 callbacks a second: the clamp on position() and the meter's grain
QUEUE_SECONDS = 60  # audio held in memory if the disk stalls, before frames are lost
_STOP = object()


def run_with_timeout(action: Callable[[], object], timeout: float) -> bool:
    """Run ``action`` in a daemon thread; False if it has not returned in time.

    Closing a stream on a device that vanished can hang inside the driver; a daemon
    thread left hanging is better than a frozen interview.
    """
    done = threading.Event()

    def body() -> None:
        try:
            action()
        except Exception:
            pass
        finally:
            done.set()

    threading.Thread(target=body, name="companion-audio-close", daemon=True).start()
    return done.wait(timeout)


class Recorder:
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
        reopen_wait: float = 1.0,
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
        self._writer_error: str | None = None
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
        except Exception as error:
            self._anchor = (self._clock(), 0)
            self._go_clock(f"the audio device could not start ({error}), so offsets come from the clock")

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
        watchdog = self._threads[1] if len(self._threads) > 1 else None
        if watchdog is not None:
            watchdog.join(timeout=self._tuning["close"] * 3 + self._tuning["wait"] * self._tuning["attempts"] + 5)
        self._close_stream()
        self._generation += 1  # ignore anything a stuck stream still delivers
        path: Path | None = None
        if self._writer is not None:
            self._queue.put(_STOP)
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

    # ----- the writer thread ------------------------------------------------------

    def _write_loop(self) -> None:
        writer = self._writer
        recent: collections.deque[bytes] = collections.deque()
        recent_frames = 0
        last_sync = last_meter = last_data = self._clock()
        reported_overflows, last_overflow_event = 0, 0.0
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                item = None
            if item is _STOP:
                break
            now = self._clock()
            if item is not None:
                data, pad, write, reason = item
                if write and self._writer_error is None:
                    self._write(writer, data, pad, reason)
                recent.append(data)
                recent_frames += len(data) // SAMPLE_WIDTH
                while recent_frames - len(recent[0]) // SAMPLE_WIDTH >= self.rate // 10:
                    recent_frames -= len(recent.popleft()) // SAMPLE_WIDTH
                last_data = now
            if now - last_meter >= 0.09:
                self.level = levels(list(recent)) if now - last_data < 0.3 else (SILENCE_DBFS, SILENCE_DBFS)
                last_meter = now
            if self.overflows != reported_overflows and now - last_overflow_event >= 1.0:
                count, reported_overflows = self.overflows - reported_overflows, self.overflows
                last_overflow_event = now
                self._emit("recording.overflow", count=count)
            if now - last_sync >= self._tuning["fsync"] and self._writer_error is None:
                try:
                    writer.sync()
                except OSError as error:
                    self._writer_error = f"cannot write the audio file ({error})"
                last_sync = now
        self.level = (SILENCE_DBFS, SILENCE_DBFS)

    def _write(self, writer: WavWriter, data: bytes, pad: int, reason: str | None) -> None:
        try:
            if pad:
                start = self._start + writer.frames / self.rate
                writer.write_silence(pad)
                self.gaps += 1
                self._emit("recording.gap", start=start, length=pad / self.rate,
                           reason=reason or "the disk could not keep up, so audio was lost")
            writer.write(data)
        except OSError as error:
            self._writer_error = f"cannot write the audio file ({error})"

    # ----- the watchdog -----------------------------------------------------------

    def _watch_loop(self) -> None:
        reference: tuple[float, int] | None = None
        while not self._halt.wait(self._tuning["interval"]):
            if self._permanent_clock:
                return
            if self._writer_error:
                self._close_stream()
                self._go_clock(self._writer_error + ", so offsets now come from the clock")
                return
            if self._fallback is not None:
                continue  # a reopened stream that has not written yet (e.g. paused)
            problem, reference = self._check(reference)
            if problem:
                reference = None
                self._recover(problem)

    def _check(self, reference: tuple[float, int] | None) -> tuple[str | None, tuple[float, int] | None]:
        if self._callback_error:
            return f"the audio callback failed ({self._callback_error})", reference
        stream = self._stream
        try:
            active = bool(stream.active) if stream is not None else False
        except Exception:
            active = False
        if not active:
            return "the audio stream stopped", reference
        now = self._clock()
        last = self._last_callback
        if last is None:
            if now - self._opened_at > self._tuning["startup"]:
                return "the audio device delivered nothing after it started", reference
            return None, reference
        if now - last > self._tuning["stall"]:
            return "no audio arrived for over a second (was the device unplugged?)", reference
        if reference is None:
            return None, (last, self._received)
        since, received_then = reference
        expected = (now - since) * self.rate
        deficit = expected - (self._received - received_then) - self._block
        if deficit > self._tuning["behind"] * self.rate:
            return "the device delivered too few samples (its clock stalled)", reference
        if now - since > 30:
            # Re-base so sound-card clock drift (~100 ppm) never adds up to a false alarm.
            reference = (last, self._received)
        return None, reference

    def _recover(self, reason: str) -> None:
        """Close the faulty stream, re-initialise PortAudio and reopen, or go to clock mode."""
        self._fallback = self._timeline_from_anchor()
        self._set_state("fault", reason)
        if not self._close_stream():
            self._go_clock(f"{reason}; the device hung, so offsets now come from the clock")
            return
        self._gap_pending = reason  # the first block of the reopened stream closes the gap
        for _attempt in range(self._tuning["attempts"]):
            if self._halt.is_set():
                return
            if self._reopen():
                self._set_state("paused" if self._paused else "recording", f"audio resumed after: {reason}")
                return
            if self._halt.wait(self._tuning["wait"]):
                return
        self._gap_pending = None
        self._go_clock(f"{reason}; the device could not be reopened, so offsets now come from the clock")

    def _timeline_from_anchor(self) -> MonotonicTimeline:
        """A clock timeline continuing from the last audio anchor (or frozen, when paused)."""
        anchor = self._anchor or (self._clock(), self._frames)
        self._gap_start = self._start + anchor[1] / self.rate
        if self._paused:
            return MonotonicTimeline(self._start + self._frames / self.rate, self._clock)
        timeline = MonotonicTimeline(clock=self._clock)
        timeline.rebase(self._gap_start, anchor[0])
        return timeline

    def _reopen(self) -> bool:
        try:
            if self._reinitialize is not None:
                self._reinitialize()
            if self._relocate is not None:
                self.device = self._relocate(self.device_name)
            self._callback_error = None
            self.open()
            self._stream.start()
        except Exception:
            self._close_stream()
            return False
        # Wait for audio to flow: an open stream on a vanished device may deliver nothing.
        deadline = time.monotonic() + self._tuning["stall"] + 0.5
        while time.monotonic() < deadline and not self._halt.is_set():
            if self._last_callback is not None and self._callback_error is None:
                return True
            time.sleep(0.02)
        self._close_stream()
        return False

    def _close_stream(self) -> bool:
        stream, self._stream = self._stream, None
        if stream is None:
            return True

        def close() -> None:
            try:
                stream.stop()
            finally:
                stream.close()

        return run_with_timeout(close, self._tuning["close"])

    def _go_clock(self, reason: str) -> None:
        """No audio for the rest of this segment: the same timeline goes on from the clock."""
        if self._fallback is None:
            self._fallback = self._timeline_from_anchor()
        self._permanent_clock = True
        self.mode = "clock"
        self._set_state("clock-mode", reason)

    # ----- events -----------------------------------------------------------------

    def _set_state(self, kind: str, reason: str) -> None:
        self.state = RecorderState(kind, reason)
        self._emit("recording.state", state=kind, reason=reason)

    def _emit(self, kind: str, **fields) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(kind, self.position(), fields)
        except Exception:
            pass  # the caller's log problem must not stop the recording


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
