"""Every line on the interview screen tells what is true now: the disk fills (audio and notes
fail), the disk is freed (the notes save by themselves), the audio comes back."""

from __future__ import annotations

from pathlib import Path

from companion.audio.state import RecorderState
from companion.ui.app import StartRequest

from .conftest import read_events, wait_for
from .test_interview_flow import SIZE, FullDisk, start_interview

DISK = "cannot write the audio file (No space left on device); not recording — tried again every few seconds"


def lines(screen) -> dict[str, str]:
    def text(selector: str) -> str:
        widget = screen.query_one(selector)
        return str(widget.render()) if widget.display else ""

    return {"status": text("#status"), "reason": text("#audio-reason"), "banner": text("#banner"),
            "notes": text("#notes-text")}


async def test_disk_full_then_freed_then_recovered(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR41"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_interview(pilot, app)
        shown = lines(screen)
        assert "● RECORDING" in shown["status"] and shown["reason"] == shown["banner"] == ""

        # The disk fills: the recorder cannot write, nor can the log.
        disk = FullDisk(screen.interview.writer)
        recorders.last.state = RecorderState("fault", DISK)
        await pilot.press(*"said while the disk was full", "enter")
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "failed")
        await pilot.pause(0.2)
        shown = lines(screen)
        assert "AUDIO FAULT" in shown["status"] and "RECORDING" not in shown["status"]
        assert shown["reason"].startswith("Audio fault: cannot write the audio file (No space left on device)")
        assert "NOT saved yet" in shown["reason"] and "still timed and saved" not in shown["reason"]
        assert "could not be saved" in shown["banner"]
        assert "NOT SAVED" in shown["notes"]

        # The disk is freed: the note is saved again without a key pressed; the audio is still out.
        disk.freed()
        await wait_for(pilot, lambda: screen.interview.notes[-1].status == "saved")
        await pilot.pause(0.3)
        shown = lines(screen)
        assert "AUDIO FAULT" in shown["status"]
        assert shown["reason"].endswith("Notes are still timed and saved.")
        assert shown["banner"] == "" and "NOT SAVED" not in shown["notes"] and "[saved]" in shown["notes"]

        # The recorder writes again: nothing is wrong, and no line says otherwise.
        recorders.last.state = RecorderState("recording", "audio is back: the audio file can be written again")
        await pilot.pause(0.3)
        shown = lines(screen)
        assert "● RECORDING" in shown["status"] and shown["reason"] == "" and shown["banner"] == ""
    notes = [e["text"] for e in read_events(Path("sessions")) if e["type"] == "note"]
    assert notes == ["said while the disk was full"]


async def test_retry_audio_now_asks_the_recorder(make_app, professional, recorders):
    app = make_app(StartRequest(guide=professional, participant="PR42"))
    async with app.run_test(size=SIZE) as pilot:
        await start_interview(pilot, app)
        asked = []
        recorders.last.retry_now = lambda: asked.append(True) or True
        await pilot.press("ctrl+o")
        await pilot.pause(0.1)
        assert asked == [True]
