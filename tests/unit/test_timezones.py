"""Moments shown and typed in the reader's zone, refused when the wall clock is ambiguous."""

from datetime import UTC, datetime

import pytest

from quizapp.domain.timezones import (
    TimeZoneError,
    format_moment,
    is_zone,
    local_to_utc,
    zone_names,
)

MOMENT = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)


def test_a_moment_is_shown_on_the_zones_wall_clock_with_the_zone_named():
    assert format_moment(MOMENT, "Europe/Paris") == "25 Nov 2026, 15:05 Europe/Paris"
    assert format_moment(MOMENT, "America/New_York") == "25 Nov 2026, 09:05 America/New_York"
    assert format_moment(MOMENT) == "25 Nov 2026, 14:05 UTC"


def test_an_unknown_zone_reads_utc():
    assert format_moment(MOMENT, "Mars/Olympus") == "25 Nov 2026, 14:05 UTC"
    assert not is_zone("Mars/Olympus") and is_zone("Europe/Berlin")


def test_a_naive_moment_is_taken_as_utc_as_stored():
    assert format_moment(MOMENT.replace(tzinfo=None), "Europe/Paris").startswith(
        "25 Nov 2026, 15:05"
    )


def test_zone_names_start_with_utc_and_hold_the_iana_zones():
    names = zone_names()
    assert names[0] == "UTC" and "Europe/Moscow" in names and len(names) > 300


def test_a_typed_time_is_read_in_its_zone():
    typed = datetime(2026, 7, 1, 9, 30)
    assert local_to_utc(typed, "Europe/Berlin") == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
    assert local_to_utc(typed, "UTC") == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)


def test_a_time_in_the_spring_gap_is_refused():
    with pytest.raises(TimeZoneError, match="does not exist in Europe/Berlin"):
        local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")


def test_a_time_in_the_autumn_overlap_is_refused():
    with pytest.raises(TimeZoneError, match="happens twice in Europe/Berlin"):
        local_to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Berlin")


def test_the_minutes_either_side_of_a_change_are_accepted():
    assert local_to_utc(datetime(2026, 3, 29, 1, 59), "Europe/Berlin").hour == 0
    assert local_to_utc(datetime(2026, 3, 29, 3, 0), "Europe/Berlin").hour == 1


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        (datetime(9999, 12, 31, 23, 59), "Pacific/Honolulu"),
        (datetime(9999, 12, 31, 23, 59), "UTC"),
        (datetime(1, 1, 1, 0, 0), "Asia/Tokyo"),
        (datetime(1899, 12, 31, 23, 59), "UTC"),
    ],
)
def test_a_time_some_zone_could_not_show_is_refused(typed, zone):
    # A moment near datetime's ends overflows in some zone: typed here, or shown there later.
    with pytest.raises(TimeZoneError, match="Choose a time between the years 1900 and 9998"):
        local_to_utc(typed, zone)


def test_the_first_and_last_typed_times_accepted_show_in_every_zone():
    for typed in (datetime(1900, 1, 1, 0, 0), datetime(9998, 12, 31, 23, 59)):
        moment = local_to_utc(typed, "UTC")
        assert format_moment(moment, "Pacific/Kiritimati") and format_moment(moment, "Etc/GMT+12")
