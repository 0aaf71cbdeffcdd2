"""How the pain has changed, in plain words: the weekly average of the daily ratings, as a whole number,
against the week before.

A change of 2 points, or of 30% of the week before, is "better" or "worse": the minimal clinically
important difference for a 0-10 pain rating (Ostelo et al. 2008, Spine 33(1):90-94). A change of 1 point
is "a little", anything less "about the same". No trend is given from fewer than 3 ratings in either
week. Pain worse by 2 points or more offers the screening again.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from voicecare.records import Measure, Rating

MIN_RATINGS = 3
"""The fewest ratings in a week that give it a trend."""
MCID_POINTS = 2
MCID_FRACTION = 0.30
OFFER_SCREENING_POINTS = 2
"""Pain worse by this many points or more, week on week, offers the screening again."""
WEEK = timedelta(days=7)


class Change(StrEnum):
    """How this week compares with the week before."""

    BETTER = "better"
    A_LITTLE_BETTER = "a_little_better"
    ABOUT_THE_SAME = "about_the_same"
    A_LITTLE_WORSE = "a_little_worse"
    WORSE = "worse"


@dataclass(frozen=True)
class WeekSummary:
    """The 7 days ``start`` to ``end`` (both included): how many ratings, their average as a whole number
    (None with none) and the worst day (the highest rating, the latest day of a tie)."""

    start: date
    end: date
    count: int
    average: int | None
    worst: Rating | None


@dataclass(frozen=True)
class Trend:
    """This week (the 7 days to today) against the week before. ``change`` and ``points`` (this week's
    average less the week before's) are None unless both weeks have ``MIN_RATINGS`` ratings."""

    this_week: WeekSummary
    week_before: WeekSummary
    change: Change | None
    points: int | None

    @property
    def offers_screening(self) -> bool:
        """Worse by ``OFFER_SCREENING_POINTS`` or more: the screening is offered again."""
        return self.points is not None and self.points >= OFFER_SCREENING_POINTS


def whole(value: float) -> int:
    """``value`` rounded to a whole number, halves up (4.5 is 5)."""
    return math.floor(value + 0.5)


def week_summary(ratings: Sequence[Rating], end: date, measure: Measure = "back_pain") -> WeekSummary:
    """The week of 7 days ending on ``end``, from ``ratings`` of ``measure`` (one a day)."""
    start = end - timedelta(days=6)
    inside = [r for r in ratings if r.measure == measure and start <= r.on <= end]
    if not inside:
        return WeekSummary(start, end, 0, None, None)
    average = whole(sum(r.rating for r in inside) / len(inside))
    worst = max(inside, key=lambda r: (r.rating, r.on))
    return WeekSummary(start, end, len(inside), average, worst)


def compare(before: int, now: int) -> Change:
    """``now`` against ``before`` (weekly averages, 0 to 10): 2 points or 30% is better or worse, 1 point
    a little, less about the same."""
    difference = now - before
    if difference == 0:
        return Change.ABOUT_THE_SAME
    clear = abs(difference) >= MCID_POINTS or (before > 0 and abs(difference) / before >= MCID_FRACTION)
    if difference < 0:
        return Change.BETTER if clear else Change.A_LITTLE_BETTER
    return Change.WORSE if clear else Change.A_LITTLE_WORSE


def trend(ratings: Sequence[Rating], today: date, measure: Measure = "back_pain") -> Trend:
    """The week to ``today`` against the week before, from ``ratings`` (one a day per measure)."""
    this_week = week_summary(ratings, today, measure)
    before = week_summary(ratings, today - WEEK, measure)
    if (
        this_week.count < MIN_RATINGS
        or before.count < MIN_RATINGS
        or this_week.average is None
        or before.average is None
    ):
        return Trend(this_week, before, None, None)
    return Trend(
        this_week, before, compare(before.average, this_week.average), this_week.average - before.average
    )


def weekly_table(
    ratings: Sequence[Rating], first: date, last: date, measure: Measure = "back_pain"
) -> list[WeekSummary]:
    """Weeks of 7 days ending on ``last``, going back to the week holding ``first``, oldest first; weeks
    with no rating included (count 0)."""
    weeks = []
    end = last
    while end >= first:
        weeks.append(week_summary(ratings, end, measure))
        end -= WEEK
    return weeks[::-1]
