"""Starting, resuming and closing a session: the one module the screens call for it.

Each function does its blocking work (the store, the microphone, the log) in a worker
thread, then calls back on the UI thread with what the next screen needs. The screens
decide what to show next, so this module imports no screen and no screen has to import
another to start or close an interview.
"""

from __future__ import annotations

from typing import Callable

from companion.errors import CompanionError


class LiveSession:
    """An interview the app is running, and the screen its recorder's events are shown on."""

    def __init__(self, app, interview=None):
        self.app = app
        self.interview = interview
        self.screen = None  # set when the interview screen shows; it has a RecorderEvent message
        self.same_number: tuple[list[str], str] = ([], "")  # IDs held with its number and other zeros
        app.live_sessions.append(self)  # closed as interrupted if the app ends with it open

    def recorder_event(self, type: str, t: float, fields: dict) -> None:
        """The recorder reports gaps and faults from its own threads: log them, tell the screen."""
        interview = self.interview
        if interview is None:
            return
        interview.writer.append(type, t, **fields)
        screen = self.screen
        if screen is not None:  # post_message is thread-safe and never makes the recorder wait
            screen.post_message(screen.RecorderEvent(type, fields))

    def make_recorder(self, no_audio: bool, reason: str = ""):
        return self.app.make_recorder(no_audio, reason, self.recorder_event)


def begin(app, guide, participant: str, initials: str | None,
          then: Callable[[LiveSession], None], failed: Callable[[str], None],
          ready: Callable[[LiveSession], None] | None = None) -> None:
    """Create the session and open the microphone; ``then(session)`` shows the consent checklist.
    With ``ready``, ``then`` is called at once and the session is created meanwhile: ticks are
    kept until it exists (store/pending_writer.py), and ``ready(session)`` says it does."""
    if ready is not None:
        begin_at_once(app, guide, participant, initials, then, failed, ready)
        return

    def work() -> None:
        from companion.interview import Interview

        try:
            writer = app.store().create(guide, participant, initials=initials)
        except CompanionError as error:
            app.call_from_thread(failed, str(error))
            return
        session = LiveSession(app)
        interview = Interview(writer, session.make_recorder(False), writer.guide)
        interview.source_path = guide.path
        session.interview = interview
        app.call_from_thread(then, session)

    app.run_worker(work, thread=True, group="session", name="begin-session", exit_on_error=False)


def begin_at_once(app, guide, participant, initials, then, failed, ready) -> None:
    from companion.interview import Interview
    from companion.store.pending_writer import PendingWriter

    pending = PendingWriter(participant, guide)
    session = LiveSession(app, Interview(pending, None, guide))
    if app.settings.no_audio:  # a clock, nothing to open: the checklist says so from the start
        session.interview.recorder = session.make_recorder(False)

    def work() -> None:
        try:
            writer = app.store().create(guide, participant, initials=initials)
        except BaseException as error:
            reason = str(error) if isinstance(error, CompanionError) else "the session could not be created."
            pending.fail(reason)  # nothing ticked meanwhile is reported saved
            if not isinstance(error, CompanionError):
                raise
            app.call_from_thread(failed, reason)
            return
        if session.interview.recorder is None:
            session.interview.recorder = session.make_recorder(False)
        pending.attach(writer)
        session.interview.writer = writer
        session.same_number = held_same_number(app.settings.sessions, participant)
        app.call_from_thread(ready, session)

    app.run_worker(work, thread=True, group="session", name="begin-session", exit_on_error=False)
    then(session)


def held_same_number(root, participant: str) -> tuple[list[str], str]:
    """Asked for on the command line, the IDs the store holds with the ID's number written with
    other zeros (PR09 for PR9), for the checklist to say; the form says it as the ID is typed."""
    from companion.store.layout import held_same_number

    try:
        return held_same_number(root, participant)
    except CompanionError:
        return [], ""


def created(interview, timeout: float | None = None) -> bool:
    """Wait (in a worker) for a session shown before it was created; False if it could not be."""
    from companion.store.pending_writer import PendingWriter

    pending = interview.writer
    if not isinstance(pending, PendingWriter):
        return True
    writer = pending.wait(timeout)
    if writer is None:
        return False
    interview.writer = writer  # the real one (the creating worker swaps it in too)
    return True


def start(session: LiveSession, record: bool, then: Callable[[LiveSession], None],
          failed: Callable[[str], None]) -> None:
    """Start the timeline (recording, or clock mode when declined); ``then(session)`` shows the
    interview, ``failed(sentence)`` keeps the interviewer where they were (an empty sentence:
    the session could not be created, and they were told so already)."""
    app, interview = session.app, session.interview

    def work() -> None:
        if not created(interview):
            app.call_from_thread(failed, "")  # it could not be created: the interviewer has been told
            return
        if not record and interview.recorder.mode == "audio":
            interview.recorder.stop()  # release the microphone the participant declined
            interview.recorder = session.make_recorder(True, "the participant declined recording.")
        try:
            start_or_fall_back(session, record)
        except (CompanionError, OSError) as error:
            app.call_from_thread(failed, f"The interview could not start: {error}")
            return
        app.call_from_thread(then, session)

    app.run_worker(work, thread=True, group="session", name="start-interview", exit_on_error=False)


def start_or_fall_back(session: LiveSession, record: bool) -> None:
    """Start the timeline; when the audio cannot start, the interview still runs, in clock mode."""
    interview = session.interview
    try:
        interview.start(record)
    except (CompanionError, OSError) as error:
        interview.recorder.stop()
        interview.recorder = session.make_recorder(True, f"the recording could not start ({error}).")
        interview.start(record)
    try:
        interview.save_audio_meta()
    except CompanionError as error:  # the log already says how it is recorded
        session.app.call_from_thread(session.app.notify, str(error), severity="warning")


def resume(app, ref: str, at_consent: Callable[[LiveSession], None],
           started: Callable[[LiveSession], None], failed: Callable[[str], None]) -> None:
    """Take an interrupted session back. One left at the consent checklist goes back there
    (its ticks kept); one that had started carries on recording only if it was recording with
    permission."""

    def work() -> None:
        from companion.interview import Interview

        try:
            record = app.store().open(ref, sealed_ok=True)  # resuming never needs the private key
            writer = app.store().resume(ref)
        except CompanionError as error:
            app.call_from_thread(failed, str(error))
            return
        interview = Interview(writer, None, writer.guide)
        interview.source_path = guide_file(app, writer.guide.id)
        interview.restore(record.events)
        sealed = sum(1 for e in record.events if e["type"] == "note" and "text" not in e)
        if sealed:
            app.call_from_thread(app.notify, f"{sealed} earlier notes — encrypted (the study's key reads them in review).")
        session = LiveSession(app, interview)
        if not interview.was_started:
            interview.recorder = session.make_recorder(False)
            app.call_from_thread(at_consent, session)
            return
        permitted = interview.recording_permitted()
        interview.recorder = session.make_recorder(not permitted, "" if permitted else "the participant declined recording.")
        try:
            start_or_fall_back(session, permitted)
        except (CompanionError, OSError) as error:
            interview.recorder.stop()
            writer.abandon()  # still interrupted, lock released: it can be resumed again
            app.call_from_thread(failed, f"Session {writer.name} could not be resumed: {error}")
            return
        app.call_from_thread(started, session)

    app.run_worker(work, thread=True, group="session", name="resume-session", exit_on_error=False)


def guide_file(app, guide_id: str):
    """The guide file to edit live: the one with this id in the guide folders — never the
    session's own copy, which is the record of what was asked."""
    from companion.guide.loader import find_guides

    for entry in find_guides(app.settings.guide_dirs):
        if entry.guide and entry.guide.id == guide_id:
            return entry.path
    return None


def close(app, interview, status: str, done: Callable[[], None] | None = None,
          failed: Callable[[], None] | None = None) -> None:
    """Stop the recording and close the session. ``done`` runs only when the session is closed
    on disk; otherwise the interviewer is told and stays, every event kept."""

    def work() -> Callable[[], None] | None:
        if not created(interview):
            return None  # it could not be created: nothing to close, the interviewer has been told
        return done if finished(app, interview, status) else failed

    run_closing(app, work, "close-session")


def finished(app, interview, status: str) -> bool:
    """Close the session (in a worker); when it cannot be, say so and keep every event."""
    try:
        interview.finish(status=status)
    except (CompanionError, OSError) as error:
        message = f"The session could not be closed: {error} Nothing is lost: it is kept in memory; free the disk and try again."
        app.call_from_thread(app.notify, message, severity="error", timeout=20)
        return False
    return True


def discard(app, interview, done: Callable[[str], None], failed: Callable[[], None]) -> None:
    """Close a session that never started and delete it — a wrong participant ID caught at the
    checklist — logged in the purge and audit logs; ``done(sentence)`` says what became of it.
    ``failed()``: it could not even be closed; the interviewer is told and stays."""

    def work() -> Callable[[], None] | None:
        from companion.audit import audited

        if not created(interview):
            return None  # it could not be created: nothing to discard, the interviewer has been told
        ref, folder = interview.writer.name, interview.writer.path
        if not finished(app, interview, "interrupted"):
            return failed
        store = app.store()
        try:
            with audited(store.root, "discard", [ref]):
                store.discard(ref)
        except (CompanionError, OSError) as error:
            said = discard_failure(ref, folder, error)  # now: the name `error` ends with this block
            return lambda: done(said)
        return lambda: done(f"Session {ref} was discarded: nothing had been recorded. Start again with the right ID.")

    run_closing(app, work, "discard-session")


def run_closing(app, work: Callable[[], Callable[[], None] | None], name: str) -> None:
    """Run ``work`` (it ends a session) in a worker, then on the UI thread what it returns.
    Keys typed meanwhile (a note begun behind ctrl+q y, a tick behind Finish) were typed for
    a session that is ending: they reach neither it nor the screen after it."""

    def run() -> None:
        try:
            then = work()
        finally:
            app.call_from_thread(app.key_gate.release, drop=True)
        if then is not None:
            app.call_from_thread(then)

    worker = app.run_worker(run, thread=True, group="session", name=name, exit_on_error=False)
    app.key_gate.hold(wanted=lambda: not worker.is_finished)


def discard_failure(ref: str, folder, error: BaseException) -> str:
    """What became of a session whose discarding failed: refused before anything went (it is
    kept), failed part-way (what is left is named), or done but not all logged."""
    from companion.store.journal import JOURNAL_NAME
    from companion.store.meta import META_NAME

    if not folder.exists():
        return f"Session {ref} was discarded, but: {error}"
    if (folder / META_NAME).exists() and (folder / JOURNAL_NAME).exists():
        return f"Session {ref} was kept, interrupted (resumable): {error}"
    return f"Session {ref} was only partly discarded ({error}); what is left is in {folder}."


def fail_start(app, message: str) -> None:
    """A start asked for on the command line failed: leave with the sentence and status 2."""
    app.exit_message = message
    app.exit(return_code=2)


def close_all(app) -> list[str]:
    """Close every session the app still has open as interrupted (resumable); their names."""
    closed = []
    for session in list(getattr(app, "live_sessions", [])):
        interview = session.interview
        if interview is None or interview.ended or not created(interview, timeout=10):
            continue
        try:
            interview.finish(status="interrupted")
        except Exception as error:  # noqa: BLE001 - say it; the log on disk is still readable
            app.close_errors = [*getattr(app, "close_errors", []), f"{interview.writer.name}: {error}"]
            continue
        closed.append(interview.writer.name)
    return closed
