"""Time zones: every moment is stored in UTC and shown, or typed, in the reader's zone.

`format_moment` is the one way a page writes a moment: "25 Nov 2026, 15:05 Europe/Paris"
(the zone always named; "UTC" for UTC). `local_to_utc` reads a wall-clock time typed in a
zone and refuses one that names no moment (it falls in a daylight-saving gap) or two (it
falls in the hour repeated when clocks go back): the caller shows the error on its field.
Zone names are IANA names (`tzdata` ships them where the system has none).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "DEFAULT_ZONE",
    "TimeZoneError",
    "format_moment",
    "is_zone",
    "local_to_utc",
    "zone_names",
]

DEFAULT_ZONE = "UTC"


TYPED_YEARS = (1900, 9998)  # far inside datetime's years 1-9999 in every zone


class TimeZoneError(ValueError):
    """A wall-clock time that names no single moment in its zone; the message says why."""


@cache
def zone_names() -> tuple[str, ...]:
    """Every zone a user may choose, sorted, UTC first (read from disk once)."""
    return (DEFAULT_ZONE, *sorted(available_timezones() - {DEFAULT_ZONE}))


def is_zone(name: str) -> bool:
    return name in _zone_set()


@cache
def _zone_set() -> frozenset[str]:
    return frozenset(zone_names())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def format_moment(moment: datetime, zone: str = DEFAULT_ZONE) -> str:
    """'25 Nov 2026, 15:05 Europe/Paris': an aware moment on the wall clock of `zone`
    (a naive one is taken as UTC, as the database stores it); an unknown zone reads UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown_zone = zone if is_zone(zone) else DEFAULT_ZONE
    local = moment.astimezone(_zone(shown_zone))
    return local.strftime("%d %b %Y, %H:%M").lstrip("0") + f" {shown_zone}"


def local_to_utc(wall_clock: datetime, zone: str) -> datetime:
    """The UTC moment a naive wall-clock time in `zone` names.

    Raises TimeZoneError if the time is skipped (clocks go forward) or repeated (clocks
    go back) in that zone: either way the teacher must say which moment they mean. Also
    outside `TYPED_YEARS`: near datetime's own ends a moment overflows in some zone, here
    or on the page of a reader in another one.
    """
    if not TYPED_YEARS[0] <= wall_clock.year <= TYPED_YEARS[1]:
        raise TimeZoneError(
            f"{wall_clock.strftime('%d %b %Y')} is out of range. "
            f"Choose a time between the years {TYPED_YEARS[0]} and {TYPED_YEARS[1]}."
        )
    info = _zone(zone if is_zone(zone) else DEFAULT_ZONE)
    first = wall_clock.replace(tzinfo=info, fold=0)
    second = wall_clock.replace(tzinfo=info, fold=1)
    typed = wall_clock.strftime("%H:%M on %d %b %Y").lstrip("0")
    if first.utcoffset() != second.utcoffset():
        back_again = first.astimezone(UTC).astimezone(info).replace(tzinfo=None)
        if back_again != wall_clock:
            raise TimeZoneError(
                f"{typed} does not exist in {zone}: the clocks go forward then. "
                "Choose a time outside that hour."
            )
        raise TimeZoneError(
            f"{typed} happens twice in {zone}: the clocks go back then. "
            "Choose a time outside that hour."
        )
    return first.astimezone(UTC)


def utc_to_local(moment: datetime, zone: str) -> datetime:
    """The naive wall-clock time of `zone` at `moment` (what a datetime-local field shows)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone if is_zone(zone) else DEFAULT_ZONE)).replace(tzinfo=None)
