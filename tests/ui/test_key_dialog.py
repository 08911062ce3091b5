"""An encrypted session opened for review: the dialog asks for the study's key (opened off the
UI thread), a wrong passphrase gets its sentence, the right one opens the session; each
opening is in the audit log."""

from __future__ import annotations

import json
from pathlib import Path

from pyrage import x25519

from companion.crypto import keys
from companion.store import Store
from companion.ui.app import StartRequest
from companion.ui.screens.key_dialog import KeyDialog
from companion.ui.screens.session_view import SessionScreen

from .conftest import wait_for

PASSPHRASE = "correct horse battery"


def encrypted_session(professional) -> tuple[str, Path]:
    identity = x25519.Identity.generate()
    key_file = Path("study.key").resolve()
    keys.write_private_key(key_file, str(identity), str(identity.to_public()), PASSPHRASE)
    keys.enrol(Path("sessions"), str(identity.to_public()))
    writer = Store(Path("sessions")).create(professional, "PR11")
    segment = writer.new_segment()
    audio = segment.make_writer(segment.partial, 8000)  # sealed, as the recorder writes it
    audio.write(b"\x01\x02" * 8000 * 5)
    audio.finish(segment.final)
    writer.finish_segment(segment.index, 8000 * 5, 8000)
    writer.append("note", 3.0, text="KESTREL-3131 waited six weeks", codes=[], question=None, stage=None)
    writer.close()
    return f"PR11/{writer.session_id}", key_file


async def test_the_dialog_asks_for_the_key_and_refuses_a_wrong_passphrase(make_app, professional):
    ref, key_file = encrypted_session(professional)
    app = make_app(StartRequest(review=ref))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, KeyDialog))
        app.screen.query_one("#key-file").value = str(key_file)
        await pilot.press("enter")
        await pilot.press(*"not the passphrase", "enter")
        error = app.screen.query_one("#key-error")
        await wait_for(pilot, lambda: "does not open" in str(error.render()), tries=1500)
        assert isinstance(app.screen, KeyDialog) and app.keyring is None
        await pilot.press(*PASSPHRASE, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), tries=1500)
        await wait_for(pilot, lambda: any(t.row_count for t in app.screen.query("#timeline")))
        timeline = app.screen.query_one("#timeline")
        texts = [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]
        assert any("KESTREL-3131" in text for text in texts)
        await wait_for(pilot, lambda: app.screen.audio_state == "ready")
        [span] = app.screen.audio  # the sealed segment, read through the key in memory
        assert span[0].name == "audio-01.sealed" and span[4]().readframes(2) == b"\x01\x02" * 2
    log = [json.loads(line) for line in Path("sessions/audit-log.jsonl").read_text().splitlines()]
    assert [(e["command"], e["outcome"][:7]) for e in log] == [("review", "refused"), ("review", "ok")]


async def test_path_and_passphrase_in_one_burst(make_app, professional):
    """Every key queued at the key file's field before any is handled, as a paste or SSH delivers
    them: the passphrase still goes to its field and the second Enter opens the session."""
    from textual import events

    ref, key_file = encrypted_session(professional)
    app = make_app(StartRequest(review=ref))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, KeyDialog))
        await pilot.pause(0.3)  # the screens underneath have finished mounting
        for char in [*str(key_file), "enter", *PASSPHRASE, "enter"]:
            key = "space" if char == " " else char
            app.post_message(events.Key(key, None if char == "enter" else char))
        await wait_for(pilot, lambda: isinstance(app.screen, SessionScreen), tries=1500)
        await wait_for(pilot, lambda: any(t.row_count for t in app.screen.query("#timeline")))
        await pilot.pause(0.3)  # the session screen has finished mounting before the app closes
        assert app.keyring is not None


async def test_the_report_screen_asks_for_the_key_of_encrypted_sessions(make_app, professional):
    from companion.ui.screens.review import BrowserScreen

    _, key_file = encrypted_session(professional)
    app = make_app(StartRequest(review=""))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen))
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, KeyDialog))
        assert "The coverage report reads the codes of encrypted sessions." in str(
            app.screen.query("Static")[1].render())
        app.screen.query_one("#key-file").value = str(key_file)
        await pilot.press("enter", *PASSPHRASE, "enter")
        await wait_for(pilot, lambda: len(app.screen.query("DataTable")) >= 2, tries=1500)
    log = [json.loads(line) for line in Path("sessions/audit-log.jsonl").read_text().splitlines()]
    assert [(e["command"], e["outcome"][:7]) for e in log][-2:] == [("report", "refused"), ("report", "ok")]
