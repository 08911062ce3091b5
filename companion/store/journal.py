"""``events.jsonl``: one JSON object per line, each written, flushed and fsync'd alone.

Reading tells good lines from bad ones. A line cut short by a power cut (no
newline at the end of the file) or a line that is not an event is *set aside*:
its bytes go to ``events.jsonl.corrupt`` first, then the journal is cut back to
the lines before it (or rewritten without it), so every good line survives and a
writer that continues the log starts on a clean line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from companion.store.safefiles import (
    append_durably,
    fsync_dir,
    OPEN_FLAGS,
    open_private,
    replace_atomically,
    write_all,
)

JOURNAL_NAME = "events.jsonl"
CORRUPT_NAME = "events.jsonl.corrupt"


@dataclass
class Parsed:
    events: list[dict] = field(default_factory=list)
    good: list[bytes] = field(default_factory=list)  # the raw good lines, without their newline
    bad: list[tuple[int, bytes]] = field(default_factory=list)  # (line number, raw) not events
    torn: tuple[int, bytes] | None = None  # an unterminated last line
    problems: list[str] = field(default_factory=list)  # sequence anomalies in good lines

    @property
    def clean(self) -> bool:
        return not self.bad and self.torn is None


def encode_event(event: dict) -> bytes:
    """One line of the journal; raises TypeError/ValueError for what JSON cannot hold."""
    return (json.dumps(event, ensure_ascii=False, allow_nan=False, separators=(", ", ": ")) + "\n").encode()


def parse(data: bytes, opener=None) -> Parsed:
    """``opener`` (an encrypted session read with the study's key) turns each sealed line into
    its whole event, raising crypto.errors.Tampered for a line that does not open."""
    parsed = _parse_clean(data) or _parse_lines(data)
    if opener is not None:
        _open_sealed(parsed, opener)
    return parsed


def _open_sealed(parsed: Parsed, opener) -> None:
    """Each good line opened whole; a seq that skips one means a line was removed."""
    bad = {number for number, _ in parsed.bad}
    numbers = [n for n in range(1, len(parsed.good) + len(bad) + 1) if n not in bad]
    parsed.events = [opener(raw, event, number) for raw, event, number in zip(parsed.good, parsed.events, numbers)]
    last_seq = 0
    for number, event in zip(numbers, parsed.events):
        if event["seq"] > last_seq + 1:
            parsed.problems.append(
                f"{JOURNAL_NAME} line {number}: seq {event['seq']} follows seq {last_seq}: a line is missing.")
        last_seq = max(last_seq, event["seq"])


def _parse_clean(data: bytes) -> Parsed | None:
    """A clean journal in one call to the JSON decoder: its lines are the items of a JSON
    array once each newline is a comma. Listing a store reads every line of every log, and
    this is several times faster than a call per line. None when anything is amiss (a torn
    tail, a bad line, a line of two values): the line-by-line reading says which lines."""
    if not data.endswith(b"\n"):
        return None
    body = data[:-1]
    try:
        events = json.loads(b"[" + body.replace(b"\n", b",") + b"]")
    except ValueError:  # UnicodeDecodeError included
        return None
    lines = body.split(b"\n")
    problems = _checked(events) if len(events) == len(lines) else None
    if problems is None:
        return None  # one item per line, each an event, or the slow reading decides
    return Parsed(events=events, good=lines, problems=problems)


def _checked(events: list) -> list[str] | None:
    """None when an item is not an event (an object with the common keys, of their types),
    else the lines whose seq does not follow the one before. One loop, no call per line:
    it runs on every line of every log a listing reads. Exact type checks (``type(x) is
    int``) refuse booleans without a second test."""
    problems, last_seq = [], 0
    for number, event in enumerate(events, start=1):
        if type(event) is not dict:
            return None
        seq, t = event.get("seq"), event.get("t")
        if (type(seq) is not int or seq < 1 or (type(t) is not float and type(t) is not int)
                or type(event.get("type")) is not str or type(event.get("wall")) is not str):
            return None
        if seq <= last_seq:
            problems.append(_out_of_order(number, seq, last_seq))
        else:
            last_seq = seq
    return problems


def _parse_lines(data: bytes) -> Parsed:
    parsed = Parsed()
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline, as a whole journal does
    for number, raw in enumerate(lines, start=1):
        event = _event(raw)
        if event is None:
            parsed.bad.append((number, raw))
            continue
        parsed.events.append(event)
        parsed.good.append(raw)
    bad = {number for number, _ in parsed.bad}
    _check_order(parsed, [n for n in range(1, len(lines) + 1) if n not in bad])
    if tail:
        parsed.torn = (len(lines) + 1, tail)
    return parsed


def _check_order(parsed: Parsed, numbers: list[int]) -> None:
    """Note each good line whose seq does not follow the one before (``numbers``: their line numbers)."""
    last_seq = 0
    for number, event in zip(numbers, parsed.events):
        if event["seq"] <= last_seq:
            parsed.problems.append(_out_of_order(number, event["seq"], last_seq))
        last_seq = max(last_seq, event["seq"])


def _out_of_order(number: int, seq: int, last_seq: int) -> str:
    return f"{JOURNAL_NAME} line {number}: seq {seq} does not follow seq {last_seq}."


def _event(raw: bytes) -> dict | None:
    """The event on this line, or None when it is not one."""
    try:
        event = json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError included
        return None
    return event if _checked([event]) is not None else None


def read(folder: Path, repair: bool, opener=None) -> tuple[list[dict], list[str]]:
    """The events of a session and its problems; with ``repair`` (lock held) bad lines are set aside.
    With ``opener`` (see parse) a line that is not an event is refused, never set aside."""
    path = folder / JOURNAL_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    parsed = parse(data, opener)
    if opener is not None and parsed.bad:
        from companion.crypto.errors import Tampered

        raise Tampered(f"{path} line {parsed.bad[0][0]} was changed or damaged: it is not a sealed event.")
    problems = list(parsed.problems)
    if parsed.clean:
        return parsed.events, problems
    if repair:
        try:
            set_aside(folder, parsed)
            where = f"set aside in {CORRUPT_NAME}"
        except OSError as error:
            where = f"skipped (it could not be set aside: {error.strerror or error})"
    else:
        where = "skipped (the session is open elsewhere, so the file was left as it is)"
    for number, _ in parsed.bad:
        problems.append(f"{JOURNAL_NAME} line {number} is not an event and was {where}.")
    if parsed.torn:
        problems.append(f"{JOURNAL_NAME} line {parsed.torn[0]} was cut short (torn) and was {where}.")
    return parsed.events, problems


def set_aside(folder: Path, parsed: Parsed) -> None:
    """Move bad lines to the sidecar, then leave only the good lines in the journal.

    The sidecar is made durable before the journal changes, so a crash in between
    can duplicate a bad line in the sidecar but never lose one.
    """
    path = folder / JOURNAL_NAME
    bad = [raw for _, raw in parsed.bad] + ([parsed.torn[1]] if parsed.torn else [])
    append_durably(folder / CORRUPT_NAME, b"".join(raw + b"\n" for raw in bad))
    good = b"".join(raw + b"\n" for raw in parsed.good)
    if parsed.bad:
        replace_atomically(path, good)
        return
    # Only a torn tail: cutting it off keeps every good byte where it is.
    fd = os.open(path, os.O_WRONLY | OPEN_FLAGS)
    try:
        os.ftruncate(fd, len(good))
        os.fsync(fd)
    finally:
        os.close(fd)


class JournalFile:
    """Appends lines durably. Opened for each line, so a file made read-only, or a
    fault that has since been fixed, is met afresh on every attempt."""

    def __init__(self, path: Path, size: int, seal=None):
        self.path = path
        self.size = size  # bytes known good: everything past this is a failed write's leftover
        self.seal = seal  # an encrypted session's LineSealer: still one line, sealed on its own

    def append(self, line: bytes) -> None:
        if self.seal is not None:
            line = self.seal(line)
        created = not self.path.exists()
        fd = open_private(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            actual = os.fstat(fd).st_size
            if actual > self.size:
                os.ftruncate(fd, self.size)  # a failed write left part of a line: start clean
            else:
                self.size = actual
            write_all(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)
        self.size += len(line)
