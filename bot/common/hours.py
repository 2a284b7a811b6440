"""When caseworkers are at their desks (STAFF_HOURS), so a person can be told the truth at night.

``Mon-Fri 09:00-18:00 Asia/Seoul``: optional days, a time range (one that ends before it starts
runs past midnight), several ranges separated by commas, and the time zone last. Unset, or
``24/7``, means someone is always there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import ConfigError

__all__ = ["Shift", "StaffHours"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ZONE = "Asia/Seoul"
ALWAYS = ("", "24/7")
EXAMPLE = "Mon-Fri 09:00-18:00 Asia/Seoul"
_RANGE = re.compile(
    r"(?:(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+)?"
    r"(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})",
    re.ASCII,
)


@dataclass(frozen=True)
class Shift:
    """Staffed from ``start`` to ``end`` on each of ``days`` (0 is Monday); past midnight if end <= start."""

    days: frozenset[int]
    start: time
    end: time

    def covers(self, local: datetime) -> bool:
        """Whether the shift holds at a local time (a night shift counts from its start day)."""
        moment = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return local.weekday() in self.days and self.start <= moment < self.end
        if local.weekday() in self.days and moment >= self.start:
            return True
        return (local.weekday() - 1) % 7 in self.days and moment < self.end


@dataclass(frozen=True)
class StaffHours:
    """The staffed shifts in one time zone; no shifts means always staffed."""

    shifts: tuple[Shift, ...] = ()
    zone_name: str = DEFAULT_ZONE

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the hours are written in."""
        return ZoneInfo(self.zone_name)

    @property
    def always(self) -> bool:
        """Someone is there at every hour."""
        return not self.shifts

    def staffed(self, moment: datetime) -> bool:
        """Whether a caseworker is expected at ``moment`` (an aware datetime)."""
        local = moment.astimezone(self.zone)
        return self.always or any(shift.covers(local) for shift in self.shifts)

    def next_staffed(self, moment: datetime) -> datetime:
        """The next moment from ``moment`` on when someone is expected (to the minute)."""
        if self.staffed(moment):
            return moment
        local = moment.astimezone(self.zone)
        starts = [
            datetime.combine(local.date() + timedelta(days=offset), shift.start, self.zone)
            for offset in range(0, 8)
            for shift in self.shifts
            if (local.weekday() + offset) % 7 in shift.days
        ]
        return min(start for start in starts if start > local)

    @classmethod
    def parse(cls, raw: str | None) -> StaffHours:
        """Read STAFF_HOURS; ConfigError saying what it should look like when it cannot."""
        text = (raw or "").strip()
        if text.lower() in ALWAYS:
            return cls()
        head, _, zone_name = text.rpartition(" ")
        try:
            ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise _wrong(text, f"{zone_name!r} is not a time zone") from None
        shifts = tuple(_shift(part.strip().lower(), text) for part in head.split(","))
        return cls(shifts, zone_name)


def _shift(part: str, whole: str) -> Shift:
    match = _RANGE.fullmatch(part)
    if match is None:
        raise _wrong(whole, f"cannot read {part!r}")
    first, last = match.group("first"), match.group("last")
    if first is None:
        days = frozenset(range(7))
    elif first not in DAYS or (last is not None and last not in DAYS):
        raise _wrong(whole, f"days are written {', '.join(d.title() for d in DAYS)}")
    else:
        begin, end = DAYS.index(first), DAYS.index(last or first)
        days = frozenset((begin + i) % 7 for i in range((end - begin) % 7 + 1))
    return Shift(days, _clock(match.group("start"), whole), _clock(match.group("end"), whole))


def _clock(value: str, whole: str) -> time:
    hours, minutes = (int(x) for x in value.split(":"))
    if hours == 24 and minutes == 0:
        return time(0, 0)
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise _wrong(whole, f"{value} is not a time of day")
    return time(hours, minutes)


def _wrong(raw: str, why: str) -> ConfigError:
    return ConfigError(
        f"STAFF_HOURS must look like {EXAMPLE!r} (days optional, several ranges separated by "
        f"commas, the time zone last; 24/7 for always), got {raw!r}: {why}"
    )
