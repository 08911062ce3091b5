"""One session, reviewed: the timeline of notes, flags and coverage with their audio times,
the guide outline as covered, the quotes and the safeguarding flags — and the audio,
played from a few seconds before any note."""

from __future__ import annotations

import wave

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from companion.audio.session_audio import has_audio
from companion.errors import CompanionError
from companion.timefmt import clock
from companion.ui.session_shown import COLUMNS, Shown
from companion.ui.widgets.footer import Footer
from companion.ui.widgets.timeline import Timeline

def warm_audio() -> None:
    """Load the sound library (PortAudio probes the devices: up to a second) before a note is
    played, so the first Enter plays at once; without one, playing says why when asked."""
    from companion.audio.devices import AudioUnavailable, sounddevice

    try:
        sounddevice()
    except AudioUnavailable:
        pass


SKIP = Binding.Group("±5 s")


class SessionScreen(Screen):
    CSS_PATH = "session_view.tcss"
    AUTO_FOCUS = "#timeline"
    BINDINGS = [
        # Not in the footer, which has no room for it: the player line says what Enter does.
        Binding("enter", "play", "Play from note", id="play.from", priority=False, show=False),
        Binding("s", "stop", "Stop", id="play.stop"),
        Binding("r", "replay", "Replay", id="play.replay"),
        # Short, and the skips as one key pair: at 80 columns the footer then shows every key.
        Binding("left,[", "skip(-5)", "Back 5 s", id="play.back", group=SKIP),
        Binding("right,]", "skip(5)", "Forward 5 s", id="play.forward", group=SKIP),
        Binding("e", "correct", "Correct", id="note.correct", tooltip="Correct the note's text"),
        Binding("t", "retag", "Tags", id="note.retag"),
        Binding("x", "export", "Export", id="session.export", tooltip="Export the session in every format"),
        Binding("escape", "back", "Back", id="session.back"),
    ]

    def __init__(self, record, view, shown: Shown | None = None):
        super().__init__()
        self.record = record
        self.view = view
        self.shown = shown or Shown(view)
        self.rows = self.shown.rows  # (t, kind, text, key) of each timeline row, in order
        self.player = None
        self.amending = None  # the one thread corrections are written by, in order (amend)
        self.last_start: float | None = None
        # What playback reads, found (or joined) off the UI thread: (path, start, frames, rate) —
        # the one audio file from 0, or the segments where they cannot be joined.
        self.audio: list[tuple] | None = None
        self.audio_state = "finding"  # finding → joining N% → ready | none | a sentence why not
        self.pending: float | None = None  # where to play from once the audio is found

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.facts(), id="facts")
        with Horizontal(id="panes"):
            yield Timeline(COLUMNS, id="timeline")
            # The side panel (a dozen widgets) mounts just after the screen first draws, so the
            # timeline takes keys sooner; its place is kept meanwhile (session_view.tcss).
            with Lazy(TabbedContent(id="side")):
                with TabPane("Outline", id="tab-outline"):
                    yield Static(self.shown.outline, id="outline")
                with TabPane("Quotes", id="tab-quotes"):
                    yield Static(self.shown.quotes, id="quotes")
                with TabPane("Safeguarding", id="tab-safeguarding"):
                    yield Static(self.shown.safeguarding, id="safeguarding")
        yield Static("", id="player")
        yield Footer()

    def facts(self) -> Text:
        meta, view = self.record.meta, self.view
        text = Text()
        text.append(f" {view.participant} ", style="bold reverse")
        text.append(f"  {view.session} · {view.guide.title} · {clock(view.duration)} · {view.status}")
        text.append(f" · retain until {meta.get('retain_until')}")
        if view.safeguarding:
            text.append("  ⚠ SAFEGUARDING FLAGGED", style="bold")
        if not has_audio(self.record.meta):
            text.append("  · no audio (clock mode)")
        return text

    def check_action(self, action: str, parameters) -> bool | None:
        """A session without audio has nothing to play: its player's keys leave the footer,
        which at 80 columns then has room for the rest."""
        return not (action in ("stop", "replay", "skip") and not has_audio(self.record.meta))  # False hides

    def on_mount(self) -> None:
        self.preroll = self.app.settings.preroll
        table = self.query_one("#timeline", Timeline)
        table.set_rows(self.shown.cells)  # every row at once: only those on screen are drawn
        table.focus()
        self.app.call_later(self.app.key_gate.release)  # keys typed behind the browser's Enter
        self.set_interval(0.2, self.show_player)
        self.show_player()
        self.app.run_worker(self.audio_worker, thread=True, group="audio", name="session-audio", exit_on_error=False)
        if self.record.segments:
            self.run_worker(warm_audio, thread=True, group="warm-audio", exit_on_error=False)

    def audio_worker(self) -> None:
        self.find_audio()
        self.app.call_from_thread(self.audio_found)

    def audio_found(self) -> None:
        """A note chosen while the audio was being found plays now."""
        start, self.pending = self.pending, None
        if start is not None and self.is_attached:
            self.play_from(start)

    def find_audio(self) -> None:
        """The session's one file: sessions recorded before joining existed are joined now."""
        from companion.audio.session_audio import session_audio
        from companion.ui.screens.joining import percent

        def progress(phase: str, done: int, total: int) -> None:
            value = percent(phase, done, total)
            if value is not None:
                self.audio_state = f"joining {value}%"  # a plain store: read by show_player's timer

        if self.record.keyring is not None:  # encrypted: its sealed segments play, decrypted in memory
            from companion.crypto.audio import playback_segments

            self.audio = [span for span in playback_segments(self.record) if span[0].is_file() and span[2]] or None
            self.audio_state = "ready" if self.audio else "none"
            return
        try:
            audio = session_audio(self.record.path, progress)
        except (CompanionError, OSError) as error:
            self.fall_back_to_segments(str(error))
            return
        self.audio = [(audio.path, 0.0, audio.frames, audio.rate)] if audio else None
        self.audio_state = "ready" if audio else "none"

    def fall_back_to_segments(self, problem: str) -> None:
        """Segments that cannot be joined still play, each at its place on the timeline."""
        folder = self.record.path
        spans = [(folder / s["file"], float(s.get("start") or 0.0), s.get("frames"), s.get("rate"))
                 for s in self.record.segments if s.get("file") and (folder / s["file"]).is_file()]
        spans = [span for span in spans if span[2] and span[3]]
        if not spans:
            self.audio_state = problem
            return
        self.audio, self.audio_state = spans, "ready"
        self.app.call_from_thread(self.app.notify, f"{problem} It plays as recorded, segment by segment.",
                                  severity="warning", timeout=10)

    # --- playback -------------------------------------------------------------

    def selected_time(self) -> float | None:
        table = self.query_one("#timeline", Timeline)
        if not table.row_count:
            return None
        return self.rows[table.cursor_row][0]

    def ensure_player(self):
        """The player over the session's one audio file, which starts at the timeline's 0 (or its segments)."""
        if self.player is None and self.audio is not None:
            from companion.audio.playback import Player

            self.player = Player(self.audio)
        return self.player

    @on(Timeline.RowSelected, "#timeline")
    def action_play(self) -> None:
        t = self.selected_time()
        if t is None:
            return
        self.play_from(max(0.0, t - self.preroll))

    def play_from(self, start: float) -> None:
        if self.audio is None and self.finding():
            self.pending = start  # Enter as the view opens: it plays as soon as the audio is found
            self.show_player()
            return
        if self.audio is None:
            self.app.notify(self.audio_words(), timeout=5)
            return
        self.last_start = start
        try:  # a missing sound library is the player's own error now, shown on the player line
            self.ensure_player().play(start)
        except (CompanionError, OSError, EOFError, wave.Error) as error:  # a damaged or unreadable file
            self.app.notify(f"Cannot play this session's audio: {error}", severity="error")
        self.show_player()

    def action_stop(self) -> None:
        self.pending = None
        if self.player:
            self.player.stop()
        self.show_player()

    def action_replay(self) -> None:
        if self.last_start is not None:
            self.play_from(self.last_start)

    def action_skip(self, seconds: float) -> None:
        if self.player and self.player.playing:
            self.play_from(max(0.0, self.player.position + seconds))

    def show_player(self) -> None:
        line = self.query_one("#player", Static)
        if self.audio is None:
            line.update(Text(self.audio_words()))
        elif self.player and self.player.error:
            line.update(Text(f"⚠ Playback stopped: {self.player.error}"))
        elif self.player and self.player.playing:
            line.update(f"▶ PLAYING {clock(self.player.position)} of {clock(self.view.duration)}   s stops · ←/→ skip 5 s")
        else:
            at = f" at {clock(self.player.position)}" if self.player else ""
            line.update(f"■ STOPPED{at}   Enter plays from {self.preroll:g} s before the selected note")

    def finding(self) -> bool:
        return self.audio_state == "finding" or self.audio_state.startswith("joining ")

    def audio_words(self) -> str:
        state = self.audio_state
        then = f" · plays from {clock(self.pending)} when ready" if self.pending is not None else ""
        if state == "none":
            return "No audio in this session (clock mode): notes and times only."
        if state == "finding":
            return f"Finding the session's audio…{then}"
        if state.startswith("joining "):
            value = int(state.split()[1].rstrip("%"))
            bar = "█" * (value // 5) + "░" * (20 - value // 5)
            return f"Joining the recording into one audio file  {bar} {value}%{then}"
        return f"⚠ The audio cannot be played: {state}"

    # --- corrections ------------------------------------------------------------

    def selected_note(self):
        table = self.query_one("#timeline", Timeline)
        if not table.row_count:
            return None
        key = self.rows[table.cursor_row][3]
        kind, _, seq = key.partition(":")
        return self.view.note(int(seq)) if kind == "note" else None

    def action_correct(self) -> None:
        note = self.selected_note()
        if note is None:
            self.app.notify("Select a note to correct.", timeout=3)
            return
        from companion.ui.screens.review_edit import CorrectScreen

        def done(text: str | None) -> None:
            if text is not None and text != note.text:
                self.amend("note.corrected", note=note.seq, text=text)
                # Shown at once, so a second correction before the log is read again starts here.
                note.original_text, note.text = note.original_text or note.text, text

        self.app.push_screen(CorrectScreen(note), done)

    def action_retag(self) -> None:
        note = self.selected_note()
        if note is None:
            self.app.notify("Select a note to tag.", timeout=3)
            return
        from companion.ui.screens.code_picker import CodeScreen

        def done(codes: list[str] | None) -> None:
            if codes is not None and tuple(codes) != note.codes:
                self.amend("note.tagged", note=note.seq, codes=codes)
                note.codes = tuple(codes)

        self.app.push_screen(CodeScreen(self.view.guide.codebook, note), done)

    def amend(self, type: str, **fields) -> None:
        """Write a correction as a new event (off the UI thread), then fold the log again.
        One at a time, in the order made: two corrections of a note in quick succession were
        written by two threads in either order, and the earlier one could win."""

        def work_() -> None:
            from companion.review.fold import fold

            try:
                record = self.app.store().amend(self.record.path, type, self.record.keyring, **fields)
            except CompanionError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
                return
            view = fold(record.guide, record.events, record.meta)
            self.app.call_from_thread(self.reload, record, view, Shown(view))

        if self.amending is None:
            from concurrent.futures import ThreadPoolExecutor

            self.amending = ThreadPoolExecutor(max_workers=1, thread_name_prefix="amend")  # one queue, in order
        self.amending.submit(work_)

    def reload(self, record, view, shown: Shown) -> None:
        """The corrected fold: the same rows in the same order, the cursor where it was."""
        self.record, self.view, self.shown, self.rows = record, view, shown, shown.rows
        table = self.query_one("#timeline", Timeline)
        table.set_rows(shown.cells)
        self.query_one("#outline", Static).update(shown.outline)
        self.query_one("#quotes", Static).update(shown.quotes)
        self.query_one("#safeguarding", Static).update(shown.safeguarding)
        self.app.notify("Saved as a correction; the original stays in the log.", timeout=4)

    # --- export and leaving ---------------------------------------------------------

    def action_export(self) -> None:
        def work_() -> None:
            from companion.audit import audited
            from companion.export.writer import write_exports
            from companion.store.sealing import is_sealed

            ref = f"{self.record.path.parent.name}/{self.record.path.name}"
            try:  # accounted for as `companion export --format all` is
                with audited(self.app.store().root, "export --format all", [ref]):
                    paths = write_exports(self.record, ["all"], None, warn=None)  # stderr is the screen
            except CompanionError as error:
                self.app.call_from_thread(self.notify, str(error), severity="error")
                return
            folder = paths[0].parent if paths else self.record.path
            plain = " They are decrypted copies: keep them safe." if is_sealed(self.record.meta) else ""
            warning = " It contains safeguarding flags: share with care." if self.view.safeguarding else ""
            message = f"Exported {len(paths)} files to {folder}.{plain}{warning}"
            self.app.call_from_thread(self.notify, message, timeout=10)

        self.app.run_worker(work_, thread=True, group="export", name="export")

    def action_back(self) -> None:
        self.dismiss()  # to the browser: the one it was opened from, or a new one

    def on_unmount(self) -> None:
        if self.player:
            self.player.stop()
