"""Review screens — the session browser and the session view (issue 6)."""

from __future__ import annotations


def open_review(app, ref: str | None) -> None:
    app.notify("Reviewing sessions is not built yet.", severity="warning")
