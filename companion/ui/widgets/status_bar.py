"""The one line a glance must answer: recording or not, for how long, how loud, who, which guide."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from companion.timefmt import clock

STATE_WORDS = {
    "recording": ("● RECORDING", "recording"),
    "paused": ("⏸ BREAK — not recording", "paused"),
    "clock-mode": ("◷ CLOCK MODE — not recording", "clock"),
    "fault": ("⚠ AUDIO FAULT", "fault"),
    "stopped": ("■ STOPPED", "stopped"),
    "idle": ("○ NOT STARTED", "stopped"),
}
METER_CELLS = 10
FLOOR_DB = -60.0


def meter(peak_db: float) -> str:
    """Ten cells from -60 dBFS to 0, with the figure, so level reads without colour."""
    filled = round(METER_CELLS * (max(FLOOR_DB, min(0.0, peak_db)) - FLOOR_DB) / -FLOOR_DB)
    figure = "  -∞" if peak_db <= FLOOR_DB else f"{peak_db:4.0f}"
    return "▮" * filled + "▯" * (METER_CELLS - filled) + f" {figure} dB"


def audio_reason(interview) -> str:
    """Why there is no recording now, and whether notes are being saved now — shown on its own
    line under the status bar, only while something is wrong; it changes as soon as the cause does."""
    state = interview.recorder.state
    if state.kind not in ("fault", "clock-mode") or not state.reason:
        return ""
    if state.kind == "fault":
        prefix, fix = "Audio fault", " (ctrl+o tries now)"
    else:
        prefix, fix = "Not recording", ""
    return f"{prefix}: {state.reason.rstrip('.')}{fix}. {notes_state(interview)}"


def notes_state(interview) -> str:
    if interview.unsaved:
        return f"{interview.unsaved} event(s) NOT saved yet — kept here and retried by themselves (ctrl+r: now)."
    return "Notes are still timed and saved."


def status_line(interview) -> tuple[Text, str]:
    """The line, and the class that colours it."""
    recorder = interview.recorder
    state = recorder.state
    kind = "paused" if interview.on_break and state.kind != "fault" else state.kind
    words, css = STATE_WORDS.get(kind, (kind.upper(), "stopped"))
    text = Text()
    text.append(f" {words} ", style="bold")
    text.append(f" {clock(interview.now())} ")
    if recorder.mode == "audio" and kind == "recording":
        text.append(f" {meter(recorder.level[0])} ")
    # A safeguarding flag before who and which guide: at 80 columns the line's end is cut.
    if interview.safeguarding:
        text.append("│ ⚠ SAFEGUARDING FLAGGED ", style="bold reverse")
    text.append(f"│ {interview.writer.participant} │ {interview.guide.id} guide ")
    return text, css


class StatusBar(Static):
    """Rendered from the interview and its recorder; ``refresh_from`` is cheap enough for 10 Hz.
    Made with its line and class already (given the interview), not changed as it mounts."""

    def __init__(self, interview, **options) -> None:
        text, css = status_line(interview)
        super().__init__(text, classes=css, **options)
        self._last = str(text)

    def refresh_from(self, interview) -> None:
        text, css = status_line(interview)
        if str(text) != self._last:
            self._last = str(text)
            # Styled one line high, its size never changes with its text: a repaint is enough,
            # not a layout of the whole screen ten times a second while recording.
            height = self.styles.height
            self.update(text, layout=height is None or not height.is_cells)
        for name in ("recording", "paused", "clock", "fault", "stopped"):
            self.set_class(name == css, name)
