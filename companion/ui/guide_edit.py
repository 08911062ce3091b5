"""Editing the guide live: the app suspends, $EDITOR opens the guide file, and on return
the guide is reloaded — or, when the edit broke it, its problems are shown and the guide
that was loaded stays. The session keeps its own copies, so the record never changes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from textual.app import SuspendNotSupported

from companion.editor import find_editor
from companion.errors import CompanionError, ProblemsError
from companion.ui.signals import ctrl_c_to_the_editor


def edit_guide(screen) -> None:
    path = screen.interview.source_path
    if path is None or not path.exists() or is_inside(path, screen.interview.writer.path):
        screen.app.notify("This guide has no file to edit here (the session's own copy is never edited).", severity="warning")
        return
    editor = find_editor()
    if editor.command is None:
        screen.app.notify(f"No editor found: {editor.problem} Set $EDITOR to the editor you use, "
                          "then press ctrl+g (or type /g) again.", severity="error", timeout=10)
        return
    failure: Exception | None = None
    try:
        with screen.app.suspend():
            # Textual resumes the app only when this block ends normally: nothing may escape it.
            try:
                with ctrl_c_to_the_editor(screen.app):
                    subprocess.run([*editor.command, str(path)], check=False)
            except Exception as error:  # noqa: BLE001 - any failure is said once the screen is back
                failure = error
    except SuspendNotSupported:
        screen.app.notify("This terminal cannot hand over to an editor; edit the guide file and press ctrl+g again.")
    if failure is not None:
        reason = getattr(failure, "strerror", None) or str(failure) or type(failure).__name__
        screen.app.notify(f"The editor {editor.command[0]} could not be started: {reason}. "
                          "The guide in use is unchanged.", severity="error", timeout=10)
        return
    reload_guide(screen)


def is_inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def reload_guide(screen) -> None:
    """Load the edited guide and keep the session's copy of it off the UI thread; then apply it
    on the UI thread — or show where it is broken and keep the guide in use."""
    interview = screen.interview

    def work() -> None:
        from companion.guide.loader import load_guide

        try:
            guide = load_guide(interview.source_path)
            copy = interview.writer.save_guide_copy(guide)
        except ProblemsError as error:
            screen.app.call_from_thread(show_problems, screen, error.problems)
            return
        except CompanionError as error:
            screen.app.call_from_thread(screen.app.notify, f"The edited guide is not in use: {error}", severity="error")
            return
        screen.app.call_from_thread(applied, screen, guide, copy)

    screen.app.run_worker(work, thread=True, group="guide", name="reload-guide", exit_on_error=False)


def show_problems(screen, problems: list[str]) -> None:
    listing = "\n".join(problems[:8]) + (f"\n… and {len(problems) - 8} more" if len(problems) > 8 else "")
    screen.app.notify(f"The edited guide has problems; the guide in use is unchanged.\n{listing}", severity="error", timeout=20)


def applied(screen, guide, copy: str) -> None:
    screen.interview.use_guide(guide, copy)
    screen.refresh_all()
    screen.app.notify("Guide reloaded.", timeout=3)
