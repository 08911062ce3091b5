"""The fold: one read model of the event log."""

from __future__ import annotations

from companion.review.fold import COVERED, NOT_REACHED, POINT_SPAN, SHOWN, SKIPPED, fold


def test_corrections_and_tags_apply_without_losing_the_original(view):
    note = next(n for n in view.notes if n.original_text)
    assert note.text == "Moved from nursing"
    assert note.original_text == "Moved form nursing"
    assert note.codes == ("listening", "stuck.recognising")


def test_point_notes_end_at_the_next_moment_or_four_seconds_on(view):
    by_text = {n.text: n for n in view.notes}
    assert by_text["Care coordinator for 11 years"].end == 3.0 + POINT_SPAN  # next event (9.25) is later
    assert by_text["Moved from nursing"].end == 10.0  # the probe at 10.0 comes first
    assert by_text["One hour in"].end == 3601.0  # the closing tick
    assert all(n.end > n.t for n in view.notes)


def test_notes_in_a_break_sit_at_the_break_point_marked(view):
    during = [n for n in view.notes if n.during_break]
    assert len(during) == 2 and {n.t for n in during} == {64.0}
    assert all(n.end == 68.0 for n in during)
    assert [(b.start, b.end, b.wall_seconds) for b in view.breaks] == [(64.0, 64.0, 300.0)]


def test_coverage_states(view):
    states = {q: c.state for q, c in view.coverage.items()}
    assert states == {
        "background": COVERED, "early-goal": COVERED, "first-meeting": SKIPPED,
        "stuck": COVERED, "carers": SHOWN, "exit": NOT_REACHED,
    }
    assert view.coverage["background"].first_shown == 2.5
    assert view.coverage["background"].probes == (0,)
    assert view.coverage["exit"].first_shown is None


def test_the_last_mark_wins(guide, events):
    events = events + [{"seq": 999, "t": 200.0, "wall": "", "type": "question.covered",
                        "question": "first-meeting", "stage": "early"}]
    assert fold(guide, events).coverage["first-meeting"].state == COVERED


def test_flags_attach_to_their_notes_and_take_the_notes_time(view):
    quote = next(f for f in view.flags if f.kind == "quote")
    note = view.note(quote.note)
    assert quote.t == note.t and quote.end == note.end and quote in note.flags
    moment = next(f for f in view.flags if f.note is None)
    assert (moment.kind, moment.t, moment.end) == ("follow-up", 120.0, 121.0)
    assert view.safeguarding


def test_spans_gaps_consent_closing_duration(view):
    assert [(s.id, s.start, s.end) for s in view.stage_spans] == [
        ("context", 2.5, 31.0), ("early", 31.0, 81.0), ("middle", 81.0, 3603.0)]
    assert [q.id for q in view.question_spans] == ["background", "early-goal", "first-meeting", "stuck", "carers"]
    assert [(g.start, g.length) for g in view.gaps] == [(100.0, 2.5)]
    assert view.consent == {"thanks": True, "record": True, "consent-form": True}
    assert view.closing == ["anything-else", "thanks"]
    assert view.duration == 3603.0
    assert view.status == "complete" and view.mode == "audio"


def test_meta_comes_from_the_log_when_missing(guide, events):
    view = fold(guide, events)
    assert view.participant == "PR11"
    assert view.meta["started"].startswith("2024-03-05T10:00:00")


def test_events_after_the_end_do_not_shorten_notes(guide, events):
    last = events[-1]["seq"]
    late_flag = {"seq": last + 1, "t": 3600.2, "wall": "", "type": "flag", "kind": "quote", "note": None}
    view = fold(guide, events + [late_flag])
    assert next(n for n in view.notes if n.text == "One hour in").end == 3601.0


def test_simultaneous_events_never_give_zero_length(guide):
    events = [
        {"seq": 1, "t": 5.0, "wall": "", "type": "note", "text": "a", "codes": [], "question": None, "stage": None},
        {"seq": 2, "t": 5.0002, "wall": "", "type": "note", "text": "b", "codes": [], "question": None, "stage": None},
        {"seq": 3, "t": 5.5, "wall": "", "type": "session.end", "status": "complete"},
    ]
    view = fold(guide, events)
    assert [n.end for n in view.notes] == [5.5, 5.5]


def test_an_empty_log_folds(guide):
    view = fold(guide, [])
    assert view.notes == [] and view.duration == 0.0 and view.status == "in progress"
    assert all(c.state == NOT_REACHED for c in view.coverage.values())
