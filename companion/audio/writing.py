"""The recorder's writer thread: blocks from the queue into the WAV file, and the meter.

The file is the session's timeline: every frame the stream delivered, or silence where
audio was lost, so sample N is at N/rate. When a write fails (the disk is full, the file
too large, the folder gone) the stream keeps running and the timeline keeps its sample
clock; the blocks that cannot be written are counted, not kept, and the write is tried
again with a growing wait (up to ``retry_max`` seconds, or at once on ``retry_now``).
When it works again the lost stretch is written as silence and logged as a gap.
"""

from __future__ import annotations

import collections

from companion.audio.meter import levels
from companion.audio.state import SILENCE_DBFS
from companion.audio.wavfile import SAMPLE_WIDTH, WavWriter

STOP = object()  # put on the queue by stop(): write what is left and end the thread


class BlockWriter:
    """Mixed into Recorder: runs in its own thread while a segment records."""

    def _write_loop(self) -> None:
        writer = self._writer
        recent: collections.deque[bytes] = collections.deque()
        recent_frames = 0
        last_sync = last_meter = last_data = self._clock()
        reported_overflows, last_overflow_event = 0, 0.0
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except Exception:  # queue.Empty
                item = None
            if item is STOP:
                self._settle(writer)
                break
            now = self._clock()
            if item is not None:
                data, pad, write, reason = item
                if write:
                    self._store(writer, data, pad, reason, now)
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
            if now - last_sync >= self._tuning["fsync"] and self._disk_error is None:
                try:
                    writer.sync()
                except OSError as error:
                    self._disk_failed(error, now)
                last_sync = now
        self.level = (SILENCE_DBFS, SILENCE_DBFS)

    def _store(self, writer: WavWriter, data: bytes, pad: int, reason: str | None, now: float) -> None:
        """Write one block after ``pad`` frames of silence (a gap the callback measured)."""
        before = self._fed + pad  # where this block starts on the file's timeline
        self._fed = before + len(data) // SAMPLE_WIDTH
        if self._disk_error is not None:
            if now < self._disk_retry_at:
                return  # counted on the timeline, not kept: written as silence once the disk works
            try:
                writer.recover()
            except OSError as error:
                self._disk_failed(error, now)
                return
        try:
            self._pad(writer, before, reason)
            writer.write(data)
        except OSError as error:
            self._disk_failed(error, now)
            return
        if self._disk_error is not None:
            self._disk_error, self._disk_wait = None, self._tuning["wait"]
            self._set_state("paused" if self._paused else "recording", "audio is back: the audio file can be written again")

    def _pad(self, writer: WavWriter, upto: int, reason: str | None) -> None:
        """Silence for frames on the timeline the file does not hold, logged as a gap."""
        missing = upto - writer.frames
        if missing <= 0:
            return
        start = self._start + writer.frames / self.rate
        writer.write_silence(missing)
        self.gaps += 1
        why = self._disk_error or reason or "the disk could not keep up, so audio was lost"
        self._emit("recording.gap", start=start, length=missing / self.rate, reason=why)

    def _disk_failed(self, error: OSError, now: float) -> None:
        reason = f"cannot write the audio file ({error.strerror or error})"
        first = self._disk_error is None
        self._disk_error = reason
        self._disk_retry_at = now + self._disk_wait
        self._disk_wait = min(self._disk_wait * 2, self._tuning["retry_max"])
        if first:
            self._set_state("fault", f"{reason}; not recording — tried again every few seconds")

    def _settle(self, writer: WavWriter) -> None:
        """At stop: the file catches up with the timeline if the disk lets it; else the tail is a gap."""
        if self._fed <= writer.frames:
            return
        try:
            if self._disk_error is not None:
                writer.recover()
            self._pad(writer, self._fed, None)
        except OSError:
            start = self._start + writer.frames / self.rate
            self._emit("recording.gap", start=start, length=(self._fed - writer.frames) / self.rate,
                       reason=self._disk_error or "the audio file could not be written")
