"""The event catalogue: every line of ``events.jsonl`` is one of these.

Each event is a JSON object with the common keys

    seq   int    1, 2, 3 … in the order written; never reused
    t     float  offset in seconds on the session's one continuous audio timeline
                 (the recorder's sample clock; the monotonic clock in clock mode)
    wall  str    wall time, ISO 8601 with its UTC offset, milliseconds
    type  str    one of the names below

plus the fields listed for its type. Reviews, summaries and exports are views of
this log; corrections are new events, never rewrites.
"""

from __future__ import annotations

# type name -> required fields (beyond seq, t, wall, type). Optional fields in comments.
CATALOGUE: dict[str, tuple[str, ...]] = {
    # participant, guide (id), guide_title, audience; optional initials
    "session.start": ("participant", "guide"),
    # a session whose process died is resumed: segment = the new audio segment number or None
    "session.resume": ("segment",),
    # a consent (preamble) item ticked or unticked
    "consent.tick": ("item", "checked"),
    # mode: "audio" or "clock"; segment: int or None; optional reason (why clock mode),
    # optional declined: true when the participant declined recording; optional device, rate;
    # optional on_break: true when a session resumed on a break (held: nothing recorded until
    # recording.resume)
    "recording.start": ("mode", "segment"),
    "recording.break": (),
    "recording.resume": (),
    # a stretch where audio was lost: start (offset) and length (seconds); reason
    "recording.gap": ("start", "length", "reason"),
    # the recorder changed state outside the interviewer's hands: state, reason
    # (e.g. "fault", "clock-mode" after a device could not be reopened)
    "recording.state": ("state", "reason"),
    # input overflows counted since the last such event
    "recording.overflow": ("count",),
    # optional duration (seconds of audio)
    "recording.stop": (),
    "question.shown": ("question", "stage"),
    "question.covered": ("question", "stage"),
    "question.skipped": ("question", "stage"),
    # probe: index in the question's probes; text: the probe as shown
    "probe.covered": ("question", "probe", "text"),
    # prompt: index in the question's prompts (the sub-questions of "Describe a time when…");
    # text: the prompt as shown
    "prompt.covered": ("question", "prompt", "text"),
    # a note: text, codes (list of code ids), question and stage current when typing began
    # (question/stage may be None before the first question). optional during_break: true
    "note": ("text", "codes", "question", "stage"),
    # codes of a note replaced by this list: note = the note's seq
    "note.tagged": ("note", "codes"),
    # text of a note corrected after the interview: note = the note's seq
    "note.corrected": ("note", "text"),
    # kind: quote | safeguarding | follow-up; note: the flagged note's seq, or None for a moment;
    # optional text (a short note), question, stage
    "flag": ("kind", "note"),
    # a closing item said; optional checked: false when it was unticked again
    "closing.tick": ("item",),
    # the guide was edited live and reloaded; copy = file name of the saved copy in the session
    "guide.reloaded": ("copy",),
    # status: complete (or interrupted, written on recovery)
    "session.end": ("status",),
}

FLAG_KINDS = ("quote", "safeguarding", "follow-up")
