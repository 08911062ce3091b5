"""``audacity``: a label track (File › Import › Labels): notes, flags and question starts."""

from __future__ import annotations

from operator import itemgetter

from companion.export.common import is_optional, printed_seconds_ms
from companion.export.cues import contents, cues
from companion.export.media import Media
from companion.export.text import one_line
from companion.review.fold import SessionView


def render_audacity(view: SessionView, media: Media | None = None) -> str:
    labels: list[tuple[float, float, str, str]] = []
    if media is not None:
        # A point label at 0 names the file these labels belong to (Audacity imports them onto it).
        labels.append((0.0, 0.0, "", f"audio: {one_line(media.relative)}"))
    labels += [(cue.start, cue.end, cue.ident, text) for cue, text in zip(cues(view), contents(view))]
    for ev in view.coverage_events:
        if ev.type == "question.shown":
            # A point label: start = end, the moment the question came up.
            optional = " (optional)" if is_optional(view, ev.question) else ""
            labels.append((ev.t, ev.t, f"q-{ev.seq}", f"Q {ev.question}{optional}"))
    labels.sort(key=itemgetter(0, 2))  # by start, then by name
    # Six decimals: the three of the shared seconds_ms and "000" (timefmt.seconds_micro).
    stamp = printed_seconds_ms(view)
    return "".join([f"{stamp[s]}000\t{stamp[e]}000\t{text}\n" for s, e, _, text in labels])
