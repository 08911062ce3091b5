"""``vtt`` (WebVTT) and ``srt``: notes and flags as cues any media player can show."""

from __future__ import annotations

from companion.export.common import base_name, printed_hms_ms, text_lines
from companion.export.cues import cues
from companion.export.media import Media
from companion.export.text import one_line
from companion.review.fold import SessionView


def vtt_escape(text: str) -> str:
    # Escaping '>' as well turns any "-->" into "--&gt;", which a cue may not contain raw.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _note_block(view: SessionView, media: Media | None) -> list[str]:
    facts = [
        f"participant {view.participant}",
        f"session {view.session}" if view.session else "",
        f"guide {view.guide.id}",
        f"started {view.meta.get('started')}" if view.meta.get("started") else "",
        f"audio {one_line(media.relative)}" if media else "",
        "contains safeguarding flags" if view.safeguarding else "",
    ]
    # A NOTE block ends at the first blank line and may not contain "-->".
    body = [vtt_escape(line) for line in (f for f in facts if f)]
    return ["NOTE " + base_name(view)] + body


def render_vtt(view: SessionView, media: Media | None = None) -> str:
    out = ["WEBVTT", "", *_note_block(view, media), ""]
    lines_of, clock = text_lines(view), printed_hms_ms(view)
    for cue in cues(view):
        payload = [vtt_escape(line) for line in lines_of[cue.text]] or ["(moment)"]
        if cue.extra:
            payload.append(vtt_escape("[" + cue.extra + "]"))
        out += [cue.ident, f"{clock[cue.start]} --> {clock[cue.end]}", *payload, ""]
    return "\n".join(out)


def srt_text(text: str) -> str:
    # SRT has no escapes; a raw arrow would read as a timing line, so it becomes a real arrow.
    return text.replace("-->", "→")


def render_srt(view: SessionView, media: Media | None = None) -> str:
    out: list[str] = []
    lines_of, clock = text_lines(view), printed_hms_ms(view)
    entries = [(cue.start, cue.end, [srt_text(line) for line in lines_of[cue.text]] or ["(moment)"], cue.extra)
               for cue in cues(view)]
    if media is not None:
        # SRT has no comments: a cue of no length at 0 names the audio and is never shown.
        entries.insert(0, (0.0, 0.0, [srt_text(f"[audio: {one_line(media.relative)}]")], ""))
    for number, (start, end, payload, extra) in enumerate(entries, start=1):
        if extra:
            payload.append(srt_text("[" + extra + "]"))
        # WebVTT's HH:MM:SS.mmm with SRT's decimal comma.
        begin, until = clock[start], clock[end]
        out += [str(number), f"{begin[:-4]},{begin[-3:]} --> {until[:-4]},{until[-3:]}", *payload, ""]
    return "\n".join(out)
