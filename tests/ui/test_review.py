"""The review screens driven with Pilot: the browser, the session view, playback from a note,
corrections written as new events, and the coverage report."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from companion.interview import Interview
from companion.store import Store
from companion.ui.app import StartRequest
from companion.ui.screens.review import BrowserScreen
from companion.ui.screens.session_view import SessionScreen

from .conftest import FakeRecorder, read_events, steady, wait_for


def wait_saved(futures) -> None:
    for future in futures:
        future.result(timeout=5)


@pytest.fixture
def recorded(workdir, professional, frozen_store_clock) -> str:
    """An interview run through the core with a fake clock, and a real 60 s WAV for its audio."""
    writer = Store(Path("sessions")).create(professional, "PR11", initials="JS")
    recorder = FakeRecorder()
    interview = Interview(writer, recorder, writer.guide)
    wait_saved([interview.tick_consent("record"), interview.tick_consent("consent-form")])
    interview.start(record=True)
    interview.step(1)
    recorder.advance(10)
    interview.add_note("Twenty years in community teams")
    recorder.advance(2)
    interview.mark("covered")
    interview.step(1)
    recorder.advance(18)
    note = interview.add_note("Carers are never asked")
    recorder.advance(2)
    writer.flush()
    interview.flag("quote", on_note=True)
    recorder.advance(10)
    interview.flag("safeguarding", on_note=False, text="mentioned a risk at home")
    recorder.advance(20)
    interview.finish()
    with wave.open(str(recorder.final), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(48000)
        audio.writeframes(b"\0\0" * 48000 * 60)
    assert note.status == "saved"
    return f"PR11/{writer.session_id}"


def session_ready(app) -> bool:
    """The session view is up and its timeline filled."""
    tables = app.screen.query("#timeline") if isinstance(app.screen, SessionScreen) else []
    return bool(tables) and tables.first().row_count > 0


def timeline_texts(screen) -> list[str]:
    timeline = screen.query_one("#timeline")
    return [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]


def select_row(screen, text: str) -> None:
    screen.query_one("#timeline").move_cursor(row=timeline_texts(screen).index(text))


class FakePlayer:
    """Stands in for the PortAudio player: reads its segments as the real one does (so a wrong
    argument fails here too) and remembers where it was asked to play from."""

    def __init__(self, source, start: float = 0.0, **options):
        from companion.audio.playback import as_spans

        self.spans = as_spans(source, start)
        assert self.spans and all(span.path.is_file() for span in self.spans)
        self.error = None
        self.started: list[float] = []
        self.playing = False
        self.position = 0.0

    def play(self, start: float, until: float | None = None) -> None:
        self.started.append(start)
        self.playing, self.position = True, start

    def stop(self) -> None:
        self.playing = False


async def test_browser_lists_filters_and_opens(make_app, recorded):
    app = make_app(StartRequest(review=""))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen) and app.screen.query_one("#sessions").row_count)
        table = app.screen.query_one("#sessions")
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[0] == "PR11" and "complete" in row[7] and "⚠ 1" in row[6]
        await pilot.press(*"zzz")
        assert table.row_count == 0
        await pilot.press("backspace", "backspace", "backspace", *"PR11")
        assert table.row_count == 1
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert "SAFEGUARDING" in str(app.screen.query_one("#facts").render())


async def test_selecting_a_note_plays_from_just_before_it(make_app, recorded, monkeypatch):
    import companion.audio.playback as playback

    monkeypatch.setattr(playback, "Player", FakePlayer, raising=False)
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app) and app.screen.audio is not None)
        screen = app.screen
        select_row(screen, "Carers are never asked")
        await pilot.press("enter")
        assert screen.player.started == [27.0]  # 3 s of pre-roll
        await pilot.press("s")
        assert not screen.player.playing
        await pilot.press("r")
        assert screen.player.started == [27.0, 27.0]


def split_into_segments(folder: Path) -> None:
    """Make the recorded session look resumed: 0–30 s in audio-01.wav, 35–60 s in audio-02.wav."""
    from companion.store import meta as metafile

    with wave.open(str(folder / "audio-01.wav"), "rb") as whole:
        frames = whole.readframes(whole.getnframes())
    for name, data in (("audio-01.wav", frames[: 30 * 96000]), ("audio-02.wav", frames[35 * 96000:])):
        with wave.open(str(folder / name), "wb") as part:
            part.setnchannels(1), part.setsampwidth(2), part.setframerate(48000)
            part.writeframes(data)
    meta = metafile.read(folder)
    meta["segments"] = [{"index": 1, "file": "audio-01.wav", "start": 0.0, "frames": 30 * 48000, "rate": 48000},
                        {"index": 2, "file": "audio-02.wav", "start": 35.0, "frames": 25 * 48000, "rate": 48000}]
    meta.pop("audio_file", None)
    metafile.write(folder, meta)


async def test_an_older_resumed_session_is_joined_then_played_from_its_one_file(make_app, recorded, monkeypatch):
    import companion.audio.playback as playback

    folder = Path("sessions") / recorded
    split_into_segments(folder)
    monkeypatch.setattr(playback, "Player", FakePlayer, raising=False)
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app) and app.screen.audio is not None)
        screen = app.screen
        assert [(path.name, start) for path, start, *_ in screen.audio] == [("audio.wav", 0.0)]
        assert sorted(p.name for p in folder.glob("audio*.wav")) == ["audio.wav"]
        select_row(screen, "Carers are never asked")
        await pilot.press("enter")
        [span] = screen.player.spans
        assert (span.path.name, span.start, span.frames) == ("audio.wav", 0.0, 60 * 48000)
        assert screen.player.started == [27.0]


async def test_segments_that_cannot_be_joined_still_play_in_place(make_app, recorded, monkeypatch):
    import companion.audio.playback as playback

    folder = Path("sessions") / recorded
    split_into_segments(folder)
    with wave.open(str(folder / "audio-02.wav"), "rb") as part:
        data = part.readframes(part.getnframes())
    with wave.open(str(folder / "audio-02.wav"), "wb") as part:  # another device, another rate
        part.setnchannels(1), part.setsampwidth(2), part.setframerate(44100)
        part.writeframes(data)
    monkeypatch.setattr(playback, "Player", FakePlayer, raising=False)
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app) and app.screen.audio is not None)
        screen = app.screen
        assert [(path.name, start) for path, start, *_ in screen.audio] == [("audio-01.wav", 0.0), ("audio-02.wav", 35.0)]
        select_row(screen, "Carers are never asked")
        await pilot.press("enter")
        assert screen.player.started == [27.0]
    assert sorted(p.name for p in folder.glob("audio*.wav")) == ["audio-01.wav", "audio-02.wav"]


async def test_a_correction_is_a_new_event_and_every_view_shows_it(make_app, recorded):
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        screen = app.screen
        select_row(screen, "Twenty years in community teams")
        await pilot.press("e", "ctrl+u", *"Twenty-two years in community teams", "enter")
        await wait_for(pilot, lambda: "Twenty-two years in community teams (corrected)" in timeline_texts(screen))
    events = read_events(Path("sessions"))
    original = next(e for e in events if e["type"] == "note" and e["text"] == "Twenty years in community teams")
    [fix] = [e for e in events if e["type"] == "note.corrected"]
    assert fix["note"] == original["seq"] and fix["text"] == "Twenty-two years in community teams"


async def test_report_screen_counts_coverage(make_app, recorded):
    app = make_app(StartRequest(review=""))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen))
        await pilot.press("f3")
        await wait_for(pilot, lambda: len(app.screen.query("DataTable")) >= 2)
        questions = app.screen.query("DataTable").first()
        first = [str(c) for c in questions.get_row_at(0)]
        assert first[-1].startswith("Can I begin") and first[1] == "1"  # covered in the one session
        assert first[-2] == ""  # covered, so not marked "never"
        rows = [[str(c) for c in questions.get_row_at(i)] for i in range(questions.row_count)]
        never = [r for r in rows if r[-2] == "never"]
        assert never and all(r[1] == "0" for r in never)  # asked somewhere, covered nowhere
        codes = app.screen.query("DataTable").last()
        assert [str(c.label) for c in codes.columns.values()] == ["Code", "Notes", "Sessions", "Label"]


def test_snapshot_browser(make_app, recorded, snap_compare):
    async def loaded(pilot):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, BrowserScreen) and pilot.app.screen.query_one("#sessions").row_count)

    assert snap_compare(make_app(StartRequest(review="")), terminal_size=(120, 24), run_before=steady(loaded))


def test_snapshot_session_view(make_app, recorded, snap_compare):
    async def loaded(pilot):
        # The picture waits for the whole timeline and the audio found, and draws the
        # player line at once rather than at its timer's next tick.
        screen = lambda: pilot.app.screen  # noqa: E731
        await wait_for(pilot, lambda: session_ready(pilot.app) and screen().audio_state == "ready"
                       and screen().query_one("#timeline").row_count == len(screen().rows))
        screen().show_player()

    assert snap_compare(make_app(StartRequest(review=recorded)), terminal_size=(120, 30), run_before=steady(loaded))


async def test_corrections_in_quick_succession_are_written_in_order(make_app, recorded, monkeypatch):
    """Three corrections typed in one go: the log holds them in the order made, the last one
    wins, and each dialog opened on the text the one before had left."""
    import time

    from textual import events

    amend, delays = Store.amend, iter([0.4, 0.2, 0.0])  # the first written slowest
    monkeypatch.setattr(Store, "amend", lambda self, *a, **k: time.sleep(next(delays, 0)) or amend(self, *a, **k))
    app = make_app(StartRequest(review=recorded))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        screen = app.screen
        select_row(screen, "Twenty years in community teams")
        for word in ("first", "second", "third"):
            for key, character in (("e", "e"), ("ctrl+u", None), *((c, c) for c in word), ("enter", "\r")):
                app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: "third (corrected)" in timeline_texts(screen), tries=1000)
    fixes = [e["text"] for e in read_events(Path("sessions")) if e["type"] == "note.corrected"]
    assert fixes == ["first", "second", "third"]


async def test_a_multi_line_note_is_corrected_in_one_line_with_its_breaks(make_app, workdir, professional):
    writer = Store(Path("sessions")).create(professional, "PR12")
    writer.append("recording.start", 0.0, mode="clock", segment=None)
    writer.append("note", 1.0, text="first line\nsecond line", codes=[], question=None, stage=None)
    writer.close()
    app = make_app(StartRequest(review=f"PR12/{writer.session_id}"))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        screen = app.screen
        rows = timeline_texts(screen)
        screen.query_one("#timeline").move_cursor(row=next(i for i, r in enumerate(rows) if r.startswith("first line")))
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen is not screen)
        assert app.screen.query_one("#text").value == "first line↵second line"
        await pilot.press("end", *" (sic)", "enter")
        await wait_for(pilot, lambda: any(e["type"] == "note.corrected" for e in read_events(Path("sessions"))))
    [fix] = [e for e in read_events(Path("sessions")) if e["type"] == "note.corrected"]
    assert fix["text"] == "first line\nsecond line (sic)"
