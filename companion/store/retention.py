"""When a session's data must be destroyed: the promise the preamble makes.

``retain_until`` is the project's end date plus the retention years when the study
sets an end date, otherwise the session's date plus those years. A session is due
for destruction once that day has passed (``today > retain_until``).
"""

from __future__ import annotations

from datetime import date

from companion.guide.model import Study


def add_years(day: date, years: int) -> date:
    """``day`` moved ``years`` on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retain_until(study: Study, session_day: date) -> date:
    start = study.project_end or session_day
    return add_years(start, study.retention_years)


def is_due(until: date | None, today: date | None = None) -> bool:
    return until is not None and (today or date.today()) > until
