"""Times round to the millisecond with carry; no format can print .1000."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from companion.export.nvivo import timespan
from companion.export.timefmt import hms, hms_ms, hms_tenths, seconds_micro, seconds_ms, to_ms


@pytest.mark.parametrize("seconds, expected", [
    (0.0, "00:00:00.000"),
    (59.9996, "00:01:00.000"),
    (59.9994, "00:00:59.999"),
    (3599.9995, "01:00:00.000"),
    (0.0005, "00:00:00.001"),
    (86399.9999, "24:00:00.000"),
    (36000.25, "10:00:00.250"),
])
def test_hms_ms_carries(seconds, expected):
    assert hms_ms(seconds) == expected
    assert hms_ms(seconds, ",") == expected.replace(".", ",")


def test_other_forms_carry_too():
    assert seconds_ms(59.9996) == "60.000"
    assert seconds_micro(59.9996) == "60.000000"
    assert hms_tenths(59.96) == "00:01:00.0"
    assert hms(59.9996) == "00:01:00"
    assert hms(59.9) == "00:00:59"  # truncated: a jump lands before the moment, never after
    assert timespan(10.0, 10.02) == "00:00:10.0-00:00:10.1"  # never zero length in tenths


@given(st.floats(min_value=0, max_value=10 * 3600, allow_nan=False))
def test_every_form_reads_back_to_the_same_millisecond(seconds):
    ms = to_ms(seconds)
    h, m, rest = hms_ms(seconds).split(":")
    s, frac = rest.split(".")
    assert len(frac) == 3 and int(m) < 60 and int(s) < 60
    assert (int(h) * 3600 + int(m) * 60 + int(s)) * 1000 + int(frac) == ms
    assert round(float(seconds_ms(seconds)) * 1000) == ms
    assert round(float(seconds_micro(seconds)) * 1000) == ms
    assert abs(ms - seconds * 1000) <= 0.5 + 1e-6
