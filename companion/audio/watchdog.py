"""The recorder's watchdog thread: notice a stream that stopped delivering and bring it back.

PortAudio reports no errors from a running stream, and an unplugged device or a sound server
that died can go silent without any flag. The watchdog compares the frames received with the
time elapsed; on a fault the timeline goes on from the clock, the stream is closed (a hung
close never freezes anything), PortAudio is re-initialised and the device reopened — again
and again, with a growing wait (up to ``retry_max`` seconds), for as long as the recording
runs, or at once when the interviewer asks (``retry_now``). The first block of the reopened
stream closes the gap: the file is padded with silence up to the clock, so it stays the
session's timeline.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from companion.audio.clock import MonotonicTimeline
from companion.audio.state import RecorderState


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


class Watchdog:
    """Mixed into Recorder: runs in its own thread while a segment records."""

    def _watch_loop(self) -> None:
        reference: tuple[float, int] | None = None
        while not self._halt.wait(self._tuning["interval"]):
            if self._permanent_clock:
                return
            if self._start_problem:
                self._recover(self._start_problem)
                continue
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
        """Close the faulty stream, then re-initialise PortAudio and reopen until it works."""
        self._fallback = self._timeline_from_anchor()
        self._start_problem = None
        self._set_state("fault", f"{reason}; reopening the device")
        if not self._close_stream():
            self._go_clock(f"{reason}; the device hung, so offsets now come from the clock")
            return
        self._gap_pending = reason  # the first block of the reopened stream closes the gap
        wait, attempt = self._tuning["wait"], 0
        while not self._halt.is_set():
            if self._reopen():
                self._set_state("paused" if self._paused else "recording", f"audio is back after: {reason}")
                return
            attempt += 1
            if attempt == self._tuning["attempts"]:
                self._set_state("fault", f"{reason}; not recording — the device is tried again every "
                                         f"{self._tuning['retry_max']:g} s")
            self._wake.wait(wait)
            self._wake.clear()
            wait = min(wait * 2, self._tuning["retry_max"])

    def retry_now(self) -> bool:
        """Try the device (and the disk) again at once; False when nothing is wrong."""
        if self.state.kind != "fault":
            return False
        self._disk_retry_at = 0.0
        self._wake.set()
        return True

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
        """A device that hung: no audio for the rest of this segment, the timeline goes on from the clock."""
        if self._fallback is None:
            self._fallback = self._timeline_from_anchor()
        self._permanent_clock = True
        self.mode = "clock"
        self._set_state("clock-mode", reason)

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
