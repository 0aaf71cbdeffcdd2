"""The pain diary in the records file: daily 0-10 ratings, the weekly better-or-worse answers and the
check-ins offered and done, per person (``person_id`` None: the records kept with no name); what a report
reads (screenings, exercise runs); and forgetting one person entirely.

Every write is its own transaction, committed before the caller tells the person it is saved, so a process
killed at any moment loses no entry the person was told was kept. Earlier ratings of a day are kept: the
latest one of each day counts. Nothing the person said in their own words is written here.
"""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, get_args

Measure = Literal["back_pain", "leg_pain"]
MEASURES: tuple[Measure, ...] = get_args(Measure)
ChangeAnswer = Literal["much_better", "a_little_better", "about_the_same", "a_little_worse", "much_worse"]
"""The weekly answer to "Compared with when you started, is your back pain ...", best first."""
CHANGE_ANSWERS: tuple[ChangeAnswer, ...] = get_args(ChangeAnswer)
CheckinOutcome = Literal["done", "not_now", "tomorrow", "no_answer", "stopped"]
"""How an offered check-in went: done; "not now" (not offered again); "remind me tomorrow"; no answer
(offered again the next day); started and stopped before the end (offered again the next day)."""
CHECKIN_OUTCOMES: tuple[CheckinOutcome, ...] = get_args(CheckinOutcome)
RATING_RANGE = (0, 10)


@dataclass(frozen=True)
class Rating:
    """One day's rating of ``measure`` (0 no pain, 10 the worst imaginable)."""

    on: date
    measure: Measure
    rating: int


@dataclass(frozen=True)
class ChangeRecord:
    """A weekly better-or-worse answer and its day."""

    on: date
    answer: ChangeAnswer


@dataclass(frozen=True)
class CheckinRecord:
    """A check-in offered on ``offered_on``: the ``week`` (2, 4, 6, 12) after ``episode_start``, how it
    went, and the screening it ran (``session_id``, when it got that far)."""

    episode_start: date
    week: int
    offered_on: date
    outcome: CheckinOutcome
    session_id: int | None = None


@dataclass(frozen=True)
class ScreeningRecord:
    """A screening as a report needs it. ``answers``: (question id, finding, answer) in order;
    ``checkin``: it was run by a check-in."""

    session_id: int
    on: date
    status: str
    disposition: str | None
    reasons: tuple[str, ...]
    possible: tuple[str, ...]
    answers: tuple[tuple[str, str | None, str], ...]
    checkin: bool = False


@dataclass(frozen=True)
class ExerciseRunRecord:
    """An exercise run: which (``kind``), its day, how it ended and the two ratings it kept."""

    on: date
    kind: str
    ending: str | None
    rating_before: int | None
    rating_after: int | None


def add_rating(
    db: sqlite3.Connection, person_id: int | None, on: date, measure: Measure, rating: int
) -> None:
    """Keep ``rating`` of ``measure`` for day ``on``, committed before returning. ValueError for a rating
    outside 0 to 10 or an unknown measure."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if isinstance(rating, bool) or not RATING_RANGE[0] <= rating <= RATING_RANGE[1]:
        raise ValueError(f"a rating is 0 to 10, not {rating!r}")
    with _transaction(db):
        db.execute(
            "INSERT INTO diary_ratings (person_id, rated_on, measure, rating, recorded_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (person_id, on.isoformat(), measure, rating, _now()),
        )


def add_change(db: sqlite3.Connection, person_id: int | None, on: date, answer: ChangeAnswer) -> None:
    """Keep a weekly better-or-worse answer, committed before returning."""
    if answer not in CHANGE_ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    with _transaction(db):
        db.execute(
            "INSERT INTO change_answers (person_id, answered_on, answer, recorded_at) VALUES (?, ?, ?, ?)",
            (person_id, on.isoformat(), answer, _now()),
        )


def add_checkin(db: sqlite3.Connection, person_id: int | None, record: CheckinRecord) -> None:
    """Keep how an offered check-in went, committed before returning."""
    if record.outcome not in CHECKIN_OUTCOMES:
        raise ValueError(f"unknown check-in outcome {record.outcome!r}")
    with _transaction(db):
        db.execute(
            "INSERT INTO checkins (person_id, episode_start, week, offered_on, outcome, session_id,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                record.episode_start.isoformat(),
                record.week,
                record.offered_on.isoformat(),
                record.outcome,
                record.session_id,
                _now(),
            ),
        )


def ratings(db: sqlite3.Connection, person_id: int | None, since: date | None = None) -> list[Rating]:
    """The person's ratings from ``since`` on (None: all), the latest of each day and measure, by day."""
    rows = db.execute(
        "SELECT rated_on, measure, rating FROM diary_ratings WHERE id IN"
        " (SELECT max(id) FROM diary_ratings WHERE person_id IS ? AND rated_on >= ?"
        " GROUP BY rated_on, measure) ORDER BY rated_on, measure",
        (person_id, _from(since)),
    ).fetchall()
    kept = []
    for rated_on, measure, rating in rows:
        on = _day(rated_on)
        if on is not None and measure in MEASURES and isinstance(rating, int) and 0 <= rating <= 10:
            kept.append(Rating(on, measure, rating))
    return kept


def changes(db: sqlite3.Connection, person_id: int | None, since: date | None = None) -> list[ChangeRecord]:
    """The person's weekly better-or-worse answers from ``since`` on, oldest first."""
    rows = db.execute(
        "SELECT answered_on, answer FROM change_answers WHERE person_id IS ? AND answered_on >= ?"
        " ORDER BY answered_on, id",
        (person_id, _from(since)),
    ).fetchall()
    return [
        ChangeRecord(on, answer)
        for on, answer in ((_day(row[0]), row[1]) for row in rows)
        if on is not None and answer in CHANGE_ANSWERS
    ]


def checkins(db: sqlite3.Connection, person_id: int | None) -> list[CheckinRecord]:
    """Every check-in offered to the person, oldest first."""
    rows = db.execute(
        "SELECT episode_start, week, offered_on, outcome, session_id FROM checkins WHERE person_id IS ?"
        " ORDER BY offered_on, id",
        (person_id,),
    ).fetchall()
    kept = []
    for start, week, offered, outcome, session_id in rows:
        start_day, offered_day = _day(start), _day(offered)
        if start_day and offered_day and outcome in CHECKIN_OUTCOMES and isinstance(week, int):
            kept.append(CheckinRecord(start_day, week, offered_day, outcome, session_id))
    return kept


def screenings(
    db: sqlite3.Connection, person_id: int | None, since: date | None = None
) -> list[ScreeningRecord]:
    """The person's screenings from ``since`` on, by day, with their answers; a session whose day cannot
    be read is left out."""
    checkin_sessions = {
        row[0]
        for row in db.execute(
            "SELECT session_id FROM checkins WHERE person_id IS ? AND session_id IS NOT NULL", (person_id,)
        )
    }
    rows = db.execute(
        "SELECT id, visit_date, started_at, status, disposition, reasons, possible FROM sessions"
        " WHERE person_id IS ? AND kind = 'screening' ORDER BY visit_date, id",
        (person_id,),
    ).fetchall()
    found = []
    for session_id, visit_date, started_at, status, disposition, reasons, possible in rows:
        on = _day(visit_date) or _day(str(started_at)[:10])
        if on is None or (since is not None and on < since):
            continue
        answers = tuple(
            (str(q), f, str(a))
            for q, f, a in db.execute(
                "SELECT question_id, finding, answer FROM answers WHERE session_id = ? ORDER BY seq",
                (session_id,),
            )
        )
        found.append(
            ScreeningRecord(
                session_id,
                on,
                str(status),
                disposition,
                _texts(reasons),
                _texts(possible),
                answers,
                session_id in checkin_sessions,
            )
        )
    return found


def exercise_runs(
    db: sqlite3.Connection, person_id: int | None, since: date | None = None
) -> list[ExerciseRunRecord]:
    """The person's exercise runs from ``since`` on, by day."""
    rows = db.execute(
        "SELECT s.visit_date, s.started_at, s.kind, e.ending, e.rating_before, e.rating_after"
        " FROM sessions AS s JOIN exercise_runs AS e ON e.session_id = s.id"
        " WHERE s.person_id IS ? ORDER BY s.visit_date, s.id",
        (person_id,),
    ).fetchall()
    runs = []
    for visit_date, started_at, kind, ending, before, after in rows:
        on = _day(visit_date) or _day(str(started_at)[:10])
        if on is not None and (since is None or on >= since):
            runs.append(ExerciseRunRecord(on, str(kind), ending, before, after))
    return runs


def forget(db: sqlite3.Connection, person_id: int | None) -> int:
    """Delete everything kept about the person (``None``: every record kept with no name) in one
    transaction, with SQLite's secure delete so the freed pages are overwritten; the number of rows
    deleted."""
    db.execute("PRAGMA secure_delete = ON")
    sessions = "(SELECT id FROM sessions WHERE person_id IS ?)"
    statements = [
        ("DELETE FROM diary_ratings WHERE person_id IS ?", (person_id,)),
        ("DELETE FROM change_answers WHERE person_id IS ?", (person_id,)),
        (f"DELETE FROM checkins WHERE person_id IS ? OR session_id IN {sessions}", (person_id, person_id)),
        (f"DELETE FROM remembered WHERE person_id IS ? OR session_id IN {sessions}", (person_id, person_id)),
        (f"DELETE FROM answers WHERE session_id IN {sessions}", (person_id,)),
        (f"DELETE FROM exercise_runs WHERE session_id IN {sessions}", (person_id,)),
        ("DELETE FROM sessions WHERE person_id IS ?", (person_id,)),
        ("DELETE FROM people WHERE id IS ?", (person_id,)),
    ]
    deleted = 0
    with _transaction(db):
        for statement, parameters in statements:
            deleted += db.execute(statement, parameters).rowcount
    return deleted


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One all-or-nothing write, taking the write lock at once (the connection is in autocommit mode)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _from(since: date | None) -> str:
    return (since or date.min).isoformat()


def _day(stored: object) -> date | None:
    try:
        return date.fromisoformat(stored) if isinstance(stored, str) else None
    except ValueError:
        return None


def _texts(stored: object) -> tuple[str, ...]:
    try:
        values = json.loads(stored) if isinstance(stored, str) else []
    except json.JSONDecodeError:
        return ()
    return tuple(str(value) for value in values) if isinstance(values, list) else ()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
