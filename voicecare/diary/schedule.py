"""When a check-in is due: at 2, 4, 6 and 12 weeks after the first screening of an episode of back pain.

NHS and NICE NG59: most back pain settles within 6 weeks; pain not better after about 4 weeks should be
seen by a GP or physiotherapist; at 12 weeks it is a new presentation. A check-in is due from its day until
the next one's (the 12-week one for 4 weeks). It is offered once a day at most; "not now" or a check-in
done closes it; "remind me tomorrow", no answer, or a check-in stopped half-way offers it again from the
next day. Only the latest check-in due is offered: one missed is not made up. Home mode offers it
unprompted only from the person's chosen time of day and never in their quiet hours; a person who
starts a session is offered it at any time.

An episode begins with a person's first screening; a screening more than 12 weeks after the episode began
(and not run by a check-in) begins a new one.

Everything here is a pure function of dates, times and what was already offered.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from voicecare.records import CheckinRecord

CHECKIN_WEEKS = (2, 4, 6, 12)
NEW_EPISODE_AFTER = timedelta(weeks=12)
LAST_CHECKIN_OPEN = timedelta(weeks=4)
"""How long the 12-week check-in stays due."""
CLOSED = ("done", "not_now")
"""Outcomes after which a check-in is not offered again."""


@dataclass(frozen=True)
class ScreeningDay:
    """A screening's day, and whether a check-in ran it."""

    on: date
    checkin: bool = False


def episode_start(screenings: Iterable[ScreeningDay], today: date) -> date | None:
    """The first day of the episode under way on ``today``: the first screening, or the latest screening
    more than 12 weeks after the episode before began that a check-in did not run; None with none."""
    start: date | None = None
    for screening in sorted(screenings, key=lambda s: s.on):
        if screening.on > today:
            break
        if start is None or (not screening.checkin and screening.on - start > NEW_EPISODE_AFTER):
            start = screening.on
    return start


def due_date(start: date, week: int) -> date:
    """The day the check-in ``week`` weeks into the episode falls due."""
    return start + timedelta(weeks=week)


def due_checkin(start: date | None, today: date, offered: Sequence[CheckinRecord]) -> int | None:
    """The week (2, 4, 6 or 12) of the check-in to offer on ``today`` for the episode begun on ``start``,
    given the check-ins ``offered`` so far; None when none is."""
    if start is None:
        return None
    due = [week for week in CHECKIN_WEEKS if due_date(start, week) <= today]
    if not due:
        return None
    week = due[-1]
    later = [w for w in CHECKIN_WEEKS if w > week]
    closes = due_date(start, later[0]) if later else due_date(start, week) + LAST_CHECKIN_OPEN
    if today >= closes:
        return None
    records = [r for r in offered if r.episode_start == start and r.week == week]
    if any(r.outcome in CLOSED for r in records) or any(r.offered_on >= today for r in records):
        return None
    return week


def in_quiet_hours(now: time, quiet_hours: tuple[time, time] | None) -> bool:
    """``now`` falls in the quiet hours (from, until; a span past midnight wraps)."""
    if quiet_hours is None:
        return False
    start, end = quiet_hours
    if start < end:
        return start <= now < end
    return now >= start or now < end


def home_offer(
    start: date | None,
    today: date,
    now: time,
    checkin_time: time,
    quiet_hours: tuple[time, time] | None,
    offered: Sequence[CheckinRecord],
) -> int | None:
    """The check-in home mode offers unprompted at ``now`` on ``today``: one due, from ``checkin_time``
    on, never in the quiet hours; None otherwise."""
    if now < checkin_time or in_quiet_hours(now, quiet_hours):
        return None
    return due_checkin(start, today, offered)


def change_question_due(started: date | None, last_answer: date | None, today: date) -> bool:
    """The weekly "compared with when you started" question is asked once a week: from 7 days after the
    person started (their first screening or rating), when the last answer is 7 days old or more."""
    week = timedelta(weeks=1)
    if started is None or today - started < week:
        return False
    return last_answer is None or today - last_answer >= week
