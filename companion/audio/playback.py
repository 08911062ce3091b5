"""Playback for review: a span of a session's audio from any offset, streamed from disk.

A session's timeline maps onto its segments (path, start, frames, rate). A thread
reads ~50 ms at a time with ``wave`` seeking and writes it to a blocking
``sounddevice.RawOutputStream``, so memory stays small however long the recording,
and ``stop()`` takes effect within one chunk.
"""

from __future__ import annotations

import atexit
import threading
import wave
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from companion.audio.wavfile import SAMPLE_WIDTH

CHUNK_SECONDS = 0.05

# Players with sound going out. Their threads are daemons blocked in PortAudio: one still
# running when the interpreter tears down crashes the process, so each is stopped at exit —
# before sounddevice's own exit hook terminates PortAudio. Exit hooks run last-registered
# first, so ours is registered once sounddevice has been imported.
_live: weakref.WeakSet = weakref.WeakSet()
_hooked = False
_hook_lock = threading.Lock()  # players start from their own threads


def _stop_live_players() -> None:
    for player in list(_live):
        player.stop()


def _stop_players_at_exit() -> None:
    global _hooked
    with _hook_lock:
        if not _hooked:
            atexit.register(_stop_live_players)
            _hooked = True


@dataclass(frozen=True)
class Span:
    path: Path
    start: float
    frames: int
    rate: int
    # () -> a reader with setpos/readframes (an encrypted session's sealed segment); None: a WAV
    opener: Callable[[], object] | None = None

    @property
    def end(self) -> float:
        return self.start + self.frames / self.rate


def as_spans(source, start: float) -> list[Span]:
    """Segments as (path, start, frames, rate) tuples or objects with those attributes,
    or a single WAV path placed at ``start``."""
    if isinstance(source, (str, Path)):
        with wave.open(str(source), "rb") as w:
            return [Span(Path(source), start, w.getnframes(), w.getframerate())]
    spans = []
    for item in source:
        opener = None
        if isinstance(item, tuple):
            path, seg_start, frames, rate, *rest = item
            opener = rest[0] if rest else None
        else:
            path, seg_start, frames, rate = item.path, item.start, item.frames, item.rate
        if path is not None and frames and rate:
            spans.append(Span(Path(path), float(seg_start), int(frames), int(rate), opener))
    return sorted(spans, key=lambda s: s.start)


class Player:
    """``Player(path_or_segments, start).play(from_offset, until=None)``; ``stop()``;
    ``position`` is the playhead on the session timeline; ``playing`` says whether sound is going out."""

    def __init__(
        self,
        source: str | Path | Iterable,
        start: float = 0.0,
        *,
        device: int | str | None = None,
        stream_factory: Callable[..., object] | None = None,
    ):
        self.spans = as_spans(source, start)
        self.device = device
        self._factory = stream_factory
        self._thread: threading.Thread | None = None
        self._halt = threading.Event()
        self._base = self.spans[0].start if self.spans else start
        self._written = 0
        self._rate = self.spans[0].rate if self.spans else 0
        self._latency = 0.0
        self.error: str | None = None

    @property
    def duration_end(self) -> float:
        return self.spans[-1].end if self.spans else self._base

    @property
    def playing(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def position(self) -> float:
        """Seconds on the session timeline: what was written minus what is still buffered."""
        if not self._rate:
            return self._base
        written = self._written / self._rate
        return self._base + max(0.0, written - self._latency)

    def play(self, from_offset: float, until: float | None = None) -> None:
        """Start playing at ``from_offset`` (returns at once); stops at ``until`` or the end."""
        self.stop()
        self.error = None
        self._halt = threading.Event()
        self._base, self._written, self._latency = float(from_offset), 0, 0.0
        self._thread = threading.Thread(
            target=self._run, args=(float(from_offset), until, self._halt),
            name="companion-playback", daemon=True,
        )
        if self._factory is not None:
            _stop_players_at_exit()
        _live.add(self)
        self._thread.start()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends; False on timeout."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.playing

    def _open(self, rate: int):
        if self._factory is not None:
            return self._factory(device=self.device, samplerate=rate, channels=1, dtype="int16")
        from companion.audio.devices import sounddevice

        sd = sounddevice()
        return sd.RawOutputStream(device=self.device, samplerate=rate, channels=1, dtype="int16")

    def _run(self, offset: float, until: float | None, halt: threading.Event) -> None:
        from companion.audio.devices import AudioUnavailable, sounddevice

        try:
            if self._factory is None:
                # Loaded here, not in play(): PortAudio probing the devices can take a second, and
                # play() is called from the UI. Loaded before our exit hook is registered, so
                # ours runs first (exit hooks run last-registered first).
                sounddevice()
                _stop_players_at_exit()
            for span in self.spans:
                if halt.is_set() or (until is not None and span.start >= until):
                    break
                if span.end <= offset:
                    continue
                self._play_span(span, max(offset, span.start), until, halt)
        except AudioUnavailable as error:  # no sound library: its message says the fix
            self.error = str(error)
        except Exception as error:  # a review must go on without sound: say why instead
            self.error = f"playback failed ({error})"

    def _play_span(self, span: Span, begin: float, until: float | None, halt: threading.Event) -> None:
        first = min(span.frames, int(round((begin - span.start) * span.rate)))
        last = span.frames if until is None else min(span.frames, int(round((until - span.start) * span.rate)))
        if last <= first:
            return
        stream = self._open(span.rate)
        try:
            with (span.opener() if span.opener else wave.open(str(span.path), "rb")) as source:
                source.setpos(first)
                self._rate, self._written = span.rate, 0
                self._base = span.start + first / span.rate
                self._latency = float(getattr(stream, "latency", 0.0) or 0.0)
                stream.start()
                chunk = max(1, int(span.rate * CHUNK_SECONDS))
                remaining = last - first
                while remaining > 0 and not halt.is_set():
                    data = source.readframes(min(chunk, remaining))
                    if not data:
                        break
                    stream.write(data)
                    frames = len(data) // SAMPLE_WIDTH
                    self._written += frames
                    remaining -= frames
            if halt.is_set():
                stream.abort()
            else:
                stream.stop()  # returns once the buffered audio has played
                self._latency = 0.0
        finally:
            stream.close()
