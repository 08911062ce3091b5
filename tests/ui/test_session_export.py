"""Exporting from the session view (x) is accounted for as `companion export` is: an `export`
entry in the store's audit log naming the session; and an encrypted session's exports are
said to be decrypted copies."""

from __future__ import annotations

import json
from pathlib import Path

from companion.crypto.keyring import Keyring
from companion.ui.app import StartRequest

from .conftest import wait_for
from .test_key_dialog import PASSPHRASE, encrypted_session
from .test_review import recorded, session_ready  # noqa: F401 (a fixture)


def audit_log() -> list[dict]:
    return [json.loads(line) for line in Path("sessions/audit-log.jsonl").read_text().splitlines()]


async def export_from_the_view(make_app, request: StartRequest) -> str:
    app = make_app(request)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: session_ready(app))
        await pilot.press("x")
        await wait_for(pilot, lambda: any("Exported" in n.message for n in app._notifications), tries=1500)
        return next(n.message for n in app._notifications if "Exported" in n.message)


async def test_an_export_from_the_view_is_in_the_audit_log(make_app, recorded):
    message = await export_from_the_view(make_app, StartRequest(review=recorded))
    export = audit_log()[-1]
    assert (export["command"], export["sessions"], export["outcome"]) == ("export --format all", [recorded], "ok")
    assert [e["command"] for e in audit_log()] == ["review", "export --format all"]
    assert "decrypted" not in message
    assert any(Path("sessions", recorded, "exports").iterdir())


async def test_an_encrypted_sessions_exports_are_said_to_be_decrypted_copies(make_app, professional, workdir):
    ref, key_file = encrypted_session(professional)
    keyring = Keyring.load(key_file, PASSPHRASE)
    message = await export_from_the_view(make_app, StartRequest(review=ref, keyring=keyring))
    assert "decrypted copies" in message
    export = audit_log()[-1]
    assert (export["command"], export["sessions"], export["outcome"]) == ("export --format all", [ref], "ok")
