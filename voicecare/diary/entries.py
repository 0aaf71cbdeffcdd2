"""What one diary entry asks, decided from the records: leg pain too when the person has said they have it
(a yes, at their latest screening that asked, to pain, numbness or tingling down one leg or both legs, or
a leg rating already in the diary), and the weekly better-or-worse question once a week."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from voicecare.diary.schedule import ScreeningDay, change_question_due, episode_start
from voicecare.records import ChangeRecord, Rating, ScreeningRecord

LEG_FINDINGS = ("one_leg_sciatica", "both_legs")


@dataclass(frozen=True)
class EntryPlan:
    """What today's entry asks besides the back pain rating, and the ratings before it (for the trend)."""

    today: date
    leg_pain: bool
    change_question: bool
    earlier: tuple[Rating, ...]


def has_leg_pain(screenings: Sequence[ScreeningRecord], ratings: Sequence[Rating]) -> bool:
    """The person has said they have leg pain: a leg rating in the diary, or a yes to a leg finding at the
    latest screening that asked about it."""
    if any(r.measure == "leg_pain" for r in ratings):
        return True
    latest: dict[str, str] = {}
    for screening in sorted(screenings, key=lambda s: (s.on, s.session_id)):
        for _, finding, answer in screening.answers:
            if finding in LEG_FINDINGS:
                latest[finding] = answer
    return any(answer == "yes" for answer in latest.values())


def plan_entry(
    screenings: Sequence[ScreeningRecord],
    ratings: Sequence[Rating],
    changes: Sequence[ChangeRecord],
    today: date,
) -> EntryPlan:
    """Today's entry for a person with these records."""
    days = [ScreeningDay(s.on, s.checkin) for s in screenings]
    starts = [d for d in (episode_start(days, today), min((r.on for r in ratings), default=None)) if d]
    started = min(starts) if starts else None
    last_change = max((c.on for c in changes), default=None)
    return EntryPlan(
        today,
        has_leg_pain(screenings, ratings),
        change_question_due(started, last_change, today),
        tuple(r for r in ratings if r.on < today),
    )
