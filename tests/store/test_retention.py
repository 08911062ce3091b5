"""retain_until: project end + years when set, else session date + years; due once passed."""

from __future__ import annotations

from datetime import date

import pytest

from companion.guide.model import Study
from companion.store.retention import add_years, is_due, retain_until


@pytest.mark.parametrize("day, years, expected", [
    (date(2024, 2, 29), 3, date(2027, 2, 28)),  # no 29 February in 2027
    (date(2024, 2, 29), 4, date(2028, 2, 29)),  # a leap year again
    (date(2023, 2, 28), 1, date(2024, 2, 28)),
    (date(2023, 3, 1), 1, date(2024, 3, 1)),
    (date(2015, 6, 30), 3, date(2018, 6, 30)),
    (date(2026, 12, 31), 3, date(2029, 12, 31)),
])
def test_add_years_across_leap_years(day, years, expected):
    assert add_years(day, years) == expected


def test_project_end_wins_over_the_session_date():
    study = Study(name="s", project_end=date(2015, 6, 30), retention_years=3)
    assert retain_until(study, date(2014, 1, 2)) == date(2018, 6, 30)


def test_without_a_project_end_the_session_date_counts():
    assert retain_until(Study(name="s"), date(2024, 2, 29)) == date(2027, 2, 28)
    assert retain_until(Study(name="s", retention_years=5), date(2024, 2, 29)) == date(2029, 2, 28)


def test_due_only_after_the_day_has_passed():
    until = date(2027, 2, 28)
    assert not is_due(until, date(2027, 2, 27))
    assert not is_due(until, date(2027, 2, 28))  # the last day data may be held
    assert is_due(until, date(2027, 3, 1))
    assert not is_due(None, date(2099, 1, 1))


def test_a_session_records_and_reports_its_date(store, guide, old_guide):
    store.create(old_guide, "PR1").close()
    store.create(guide, "PR2").close()
    old, new = sorted(store.sessions(), key=lambda s: s.participant)
    assert old.retain_until == date(2018, 6, 30) and old.due
    assert new.retain_until == add_years(date.fromisoformat(new.started[:10]), 3) and not new.due
    assert [s.participant for s in store.due_sessions()] == ["PR1"]
    assert new.due is False and store.sessions(today=add_years(new.retain_until, 1))[1].due
