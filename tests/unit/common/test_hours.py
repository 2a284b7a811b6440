"""STAFF_HOURS: when a caseworker is expected, in the hours' own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.common.hours import StaffHours
from bot.core.errors import ConfigError

SEOUL = ZoneInfo("Asia/Seoul")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Seoul in the week of Monday 2026-11-23 (day 0 is Monday)."""
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=SEOUL)


@pytest.mark.parametrize("raw", [None, "", "24/7", " 24/7 "])
def test_unset_means_always_staffed(raw: str | None) -> None:
    hours = StaffHours.parse(raw)
    assert hours.always
    assert hours.staffed(at(6, 3))
    assert hours.next_staffed(at(6, 3)) == at(6, 3)


def test_weekday_office_hours() -> None:
    hours = StaffHours.parse("Mon-Fri 09:00-18:00 Asia/Seoul")
    assert hours.staffed(at(0, 9))
    assert hours.staffed(at(4, 17, 59))
    assert not hours.staffed(at(4, 18))
    assert not hours.staffed(at(5, 12)), "Saturday"
    assert hours.next_staffed(at(4, 20)) == at(7, 9), "Friday night waits for Monday"
    assert hours.next_staffed(at(2, 7, 30)) == at(2, 9)


def test_several_ranges_a_night_shift_and_another_zone() -> None:
    hours = StaffHours.parse("Sat 10:00-14:00, Sun-Mon 22:00-06:00 UTC")
    utc = ZoneInfo("UTC")
    saturday = datetime(2026, 11, 28, 11, tzinfo=utc)
    assert hours.staffed(saturday)
    assert hours.staffed(datetime(2026, 11, 29, 23, tzinfo=utc)), "Sunday night"
    assert hours.staffed(datetime(2026, 11, 30, 5, tzinfo=utc)), "into Monday morning"
    assert hours.staffed(datetime(2026, 12, 1, 5, tzinfo=utc)), "Monday's night shift"
    assert not hours.staffed(datetime(2026, 12, 2, 5, tzinfo=utc)), "Wednesday morning"
    assert hours.staffed(saturday.astimezone(SEOUL)), "any zone in, the hours' zone decides"
    assert hours.next_staffed(datetime(2026, 11, 28, 15, tzinfo=utc)) == datetime(
        2026, 11, 29, 22, tzinfo=utc
    )


def test_a_wrapping_day_range() -> None:
    hours = StaffHours.parse("Fri-Mon 00:00-24:00 Asia/Seoul")
    assert [hours.staffed(at(day, 12)) for day in range(7)] == [
        True, False, False, False, True, True, True,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "raw",
    [
        "9-18 Asia/Seoul",
        "Mon-Fri 09:00-18:00",
        "Mon-Fri 09:00-18:00 Nowhere/Land",
        "Xyz 09:00-10:00 UTC",
    ],
)
def test_a_wrong_value_says_what_it_should_look_like(raw: str) -> None:
    with pytest.raises(
        ConfigError, match="STAFF_HOURS must look like 'Mon-Fri 09:00-18:00 Asia/Seoul'"
    ):
        StaffHours.parse(raw)
