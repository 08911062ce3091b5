"""``vtt`` (WebVTT) and ``srt``: notes and flags as cues any media player can show."""

from __future__ import annotations

from companion.export.common import base_name, memo, printed_hms_ms, text_lines
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
    extras = memo(view, "vtt_extra", lambda extra: "\n" + vtt_escape("[" + extra + "]"))  # few distinct
    for cue in cues(view):  # one string a cue: thousands of them
        said = lines_of[cue.text]
        text = (vtt_escape(said[0]) if len(said) == 1 else "\n".join([vtt_escape(line) for line in said])) or "(moment)"
        if cue.extra:
            text += extras[cue.extra]
        out.append(f"{cue.ident}\n{clock[cue.start]} --> {clock[cue.end]}\n{text}\n")
    return "\n".join(out)


def srt_text(text: str) -> str:
    # SRT has no escapes; a raw arrow would read as a timing line, so it becomes a real arrow.
    return text.replace("-->", "→")


def _srt_cue(number: int, begin: str, until: str, text: str) -> str:
    """One numbered cue; ``begin``/``until`` in WebVTT's HH:MM:SS.mmm, written with SRT's decimal comma."""
    return f"{number}\n{begin[:-4]},{begin[-3:]} --> {until[:-4]},{until[-3:]}\n{text}\n"


def render_srt(view: SessionView, media: Media | None = None) -> str:
    out: list[str] = []
    lines_of, clock = text_lines(view), printed_hms_ms(view)
    if media is not None:
        # SRT has no comments: a cue of no length at 0 names the audio and is never shown.
        out.append(_srt_cue(1, clock[0.0], clock[0.0], srt_text(f"[audio: {one_line(media.relative)}]")))
    extras = memo(view, "srt_extra", lambda extra: "\n" + srt_text("[" + extra + "]"))  # few distinct
    for number, cue in enumerate(cues(view), start=len(out) + 1):
        said = lines_of[cue.text]
        text = (srt_text(said[0]) if len(said) == 1 else "\n".join([srt_text(line) for line in said])) or "(moment)"
        if cue.extra:
            text += extras[cue.extra]
        begin, until = clock[cue.start], clock[cue.end]  # _srt_cue, inline: thousands of cues
        out.append(f"{number}\n{begin[:-4]},{begin[-3:]} --> {until[:-4]},{until[-3:]}\n{text}\n")
    return "\n".join(out)
