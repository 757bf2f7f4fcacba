"""Datelines: what counts as a date line and how it is read."""

from datetime import datetime

import pytest

from stancemark.articles.dates import parse_dateline


@pytest.mark.parametrize(
    ("line", "expected", "zone"),
    [
        ("17 Dec, 2022 11:41", datetime(2022, 12, 17, 11, 41), None),
        ("2022-12-17", datetime(2022, 12, 17), None),
        ("Saturday, December 17, 2022 - 08:30 GMT", datetime(2022, 12, 17, 8, 30), "GMT"),
        ("17.12.2022", datetime(2022, 12, 17), None),
        ("05.03.2023", datetime(2023, 3, 5), None),  # dotted dates are day first
        ("2022-12-17T11:41:00+01:00", datetime(2022, 12, 17, 11, 41), "+01:00"),
        ("2022-12-17T11:41:00Z", datetime(2022, 12, 17, 11, 41), "+00:00"),
        ("Published: 4 March 2023", datetime(2023, 3, 4), None),
        ("Updated on March 4, 2023 at 10:15 am", datetime(2023, 3, 4, 10, 15), None),
    ],
)
def test_datelines(line, expected, zone):
    assert parse_dateline(line) == (expected, zone)


@pytest.mark.parametrize(
    "line",
    [
        "In 2022 the talks collapsed.",
        "The 2022 budget",
        "December 2022",
        "1999 - 2022",
        "12:30",
        "Elections held on 17 December 2022 were marred by violence",
        "",
    ],
)
def test_not_datelines(line):
    assert parse_dateline(line) is None
