"""Session records: the outcome, reasons and answers of each screening, and how each exercise went,
kept locally in SQLite.

The database lives in the user's data directory with owner-only permissions. Each answer is committed
as it is given; a session that never reaches ``finish`` (Ctrl-C, a kill, a power cut) stays marked
``in_progress`` and is marked ``incomplete`` the next time the store is opened. SQLite's journal makes
every write all-or-nothing, so no record is ever half-written. No audio is kept, nor the words of a
self-harm disclosure, nor anything said during an exercise: only its options, how it ended, how long it
ran and, for reframing, the two feeling ratings.

A shared device may hold several people (``people``); a session names the person it was with (NULL for
none) and the day it counts as (``visit_date``: today, or ``--date``), while its timestamps keep the real
time. Each answer of a screening with a person is also remembered in their dated history
(``remembered``), which ``history`` reads back defensively. The store has a schema version and is
upgraded in place when opened (``voicecare.records.schema``): tables and columns are only ever added, so
a records file written by an older voicecare opens with its rows.
"""

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, Protocol, get_args

from voicecare.errors import ConfigError
from voicecare.records import diary
from voicecare.records.diary import (
    ChangeAnswer,
    ChangeRecord,
    CheckinRecord,
    ExerciseRunRecord,
    Measure,
    Rating,
    ScreeningRecord,
)
from voicecare.records.history import PersonHistory, Visit, last_visit, load_history, valid_answer
from voicecare.records.people import Person, add_person, find_person, list_people, rename_person
from voicecare.records.schema import NewerSchema, upgrade

DATABASE_NAME = "records.sqlite3"


ExerciseEnding = Literal["finished", "stopped", "warning_sign", "self_harm_stop", "input_ended"]
"""How an exercise ended: played to the end; the person said stop; a warning sign was mentioned; the
self-harm check gave its crisis message; the input ended while the exercise waited for the person."""
EXERCISE_ENDINGS: tuple[ExerciseEnding, ...] = get_args(ExerciseEnding)


@dataclass(frozen=True)
class ExerciseRecord:
    """How one exercise went (the session's ``kind`` says which exercise).

    ``groups``: relaxation muscle groups; ``minutes``: breathing length (None for the other exercises);
    ``ending``: one of ``EXERCISE_ENDINGS``, None when the run never ended (killed, Ctrl-C);
    ``session_s``: seconds of session time it ran; ``rating_before``/``rating_after``: the feeling's
    strength (0 to 10) before and after reframing, when given.
    """

    groups: int | None
    minutes: int | None
    ending: ExerciseEnding | None = None
    session_s: float | None = None
    rating_before: int | None = None
    rating_after: int | None = None


@dataclass(frozen=True)
class SessionSummary:
    """One stored session, for speaking a history later."""

    id: int
    kind: str
    started_at: str
    status: str
    disposition: str | None
    reasons: list[str]
    possible: list[str]
    answers: list[tuple[str, str | None, str]]
    """(question id, finding id or None, answer) in the order given."""
    exercise: ExerciseRecord | None = None
    """How the exercise went, for an exercise session (``kind`` relaxation, breathing or reframing)."""
    person_id: int | None = None
    """The person the session was with; None for no one (and for sessions of older stores)."""
    visit_date: date | None = None
    """The day the session counts as (today, or ``--date``); None for sessions of older stores."""


class Disposition(Protocol):
    """A screening's disposition (``voicecare.screening.findings.Tier``); stored as its ``value``."""

    @property
    def value(self) -> str: ...


class SessionRecorder(Protocol):
    """What a dialogue writes as it goes; ``NoRecorder`` under ``--no-save``."""

    def answer(self, question_id: str, finding: str | None, answer: str) -> None:
        """Keep one answer (its kind or value, e.g. ``yes`` or ``52``; never free speech)."""
        ...

    def finish(
        self, disposition: Disposition | None, reasons: Sequence[str], possible: Sequence[str]
    ) -> None:
        """Mark the session complete with its outcome."""
        ...

    def abandon(self) -> None:
        """Mark the session incomplete (stopped by Ctrl-C or an error)."""
        ...

    def forget_person(self) -> None:
        """The session is not with the person it was started for (a return visit's "Am I speaking with
        ...?" was not a clear yes): it is kept with no person, and nothing more is remembered in their
        history. Called before any answer is kept."""
        ...


class NoRecorder:
    """Keeps nothing (``--no-save``)."""

    def answer(self, question_id: str, finding: str | None, answer: str) -> None:
        return None

    def finish(
        self, disposition: Disposition | None, reasons: Sequence[str], possible: Sequence[str]
    ) -> None:
        return None

    def abandon(self) -> None:
        return None

    def forget_person(self) -> None:
        return None

    def finish_exercise(
        self, ending: ExerciseEnding, session_s: float, ratings: tuple[int | None, int | None] = (None, None)
    ) -> None:
        return None


class ExerciseRecorder(Protocol):
    """What an exercise run writes when it ends; ``NoRecorder`` under ``--no-save``."""

    def finish_exercise(
        self, ending: ExerciseEnding, session_s: float, ratings: tuple[int | None, int | None] = (None, None)
    ) -> None:
        """Keep how the exercise ended, how long it ran (session seconds) and the (before, after) ratings."""
        ...

    def abandon(self) -> None:
        """Mark the run incomplete with no ending (Ctrl-C or an error)."""
        ...


class RecordStore:
    """The SQLite file of session records in ``data_dir``.

    A data folder voicecare makes is owner-only (0700); a folder that already exists keeps its permissions
    (it may be one the person named, such as their home). The records file is created owner-only (0600)
    before SQLite opens it, so it is never readable by others, even for a moment.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / DATABASE_NAME
        try:
            if not data_dir.is_dir():
                data_dir.mkdir(parents=True, mode=0o700)
                os.chmod(data_dir, 0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(self.path, isolation_level=None)
            upgrade(self._db)
        except NewerSchema as newer:
            self._db.close()
            raise ConfigError(
                f"the records file {self.path} was written by a newer voicecare ({newer})",
                "update voicecare, or use --no-save",
            ) from None
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the records file {self.path} ({error})",
                "check the data directory in your config, or use --no-save",
            ) from None
        self._mark_abandoned()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def check(self) -> None:
        """Raise ConfigError, naming the file, when it fails SQLite's integrity check (nothing is written
        to it): the diary, the report and forgetting refuse a damaged store rather than add to it."""
        try:
            result = [tuple(row) for row in self._db.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as error:
            result = [(str(error),)]
        if result != [("ok",)]:
            first = str(result[0][0]) if result and result[0] else "no answer"
            raise ConfigError(
                f"the records file {self.path} is damaged ({first})",
                "keep a copy of it for someone to look at; voicecare will not write to it",
            )

    def add_rating(self, person: Person | None, on: date, measure: Measure, rating: int) -> None:
        """Keep a diary rating (0 to 10) of ``measure`` for day ``on``; committed when this returns."""
        diary.add_rating(self._db, _id(person), on, measure, rating)

    def add_change(self, person: Person | None, on: date, answer: ChangeAnswer) -> None:
        """Keep a weekly better-or-worse answer; committed when this returns."""
        diary.add_change(self._db, _id(person), on, answer)

    def add_checkin(self, person: Person | None, record: CheckinRecord) -> None:
        """Keep how an offered check-in went; committed when this returns."""
        diary.add_checkin(self._db, _id(person), record)

    def ratings(self, person: Person | None, since: date | None = None) -> list[Rating]:
        """The person's diary ratings (the latest of each day and measure) from ``since`` on."""
        return diary.ratings(self._db, _id(person), since)

    def changes(self, person: Person | None, since: date | None = None) -> list[ChangeRecord]:
        """The person's weekly better-or-worse answers from ``since`` on."""
        return diary.changes(self._db, _id(person), since)

    def checkins(self, person: Person | None) -> list[CheckinRecord]:
        """Every check-in offered to the person."""
        return diary.checkins(self._db, _id(person))

    def screenings(self, person: Person | None, since: date | None = None) -> list[ScreeningRecord]:
        """The person's screenings from ``since`` on, with their answers."""
        return diary.screenings(self._db, _id(person), since)

    def exercise_runs(self, person: Person | None, since: date | None = None) -> list[ExerciseRunRecord]:
        """The person's exercise runs from ``since`` on."""
        return diary.exercise_runs(self._db, _id(person), since)

    def forget(self, person: Person | None) -> int:
        """Delete everything kept about ``person`` (None: every record kept with no name), their name
        included, in one transaction; the number of rows deleted."""
        return diary.forget(self._db, _id(person))

    def start(self, kind: str, person: Person | None = None, on: date | None = None) -> "StoredSession":
        """Begin a record of a session of ``kind`` (e.g. ``screening``) with ``person`` (None for no one)
        on day ``on`` (None: the real today). With a person, each answer is also remembered in their
        history under its question id, dated ``on``."""
        day = on or date.today()
        with _transaction(self._db):
            session_id = self._insert_session(kind, person, day)
        return StoredSession(self._db, session_id, None if person is None else person.id, day)

    def start_exercise(
        self,
        exercise: str,
        groups: int | None,
        minutes: int | None,
        person: Person | None = None,
        on: date | None = None,
    ) -> "StoredSession":
        """Begin a record of ``exercise`` (relaxation, breathing, reframing) with its options, the person
        (None for no one) and the day (None: the real today), in one transaction."""
        day = on or date.today()
        with _transaction(self._db):
            session_id = self._insert_session(exercise, person, day)
            self._db.execute(
                "INSERT INTO exercise_runs (session_id, groups, minutes) VALUES (?, ?, ?)",
                (session_id, groups, minutes),
            )
        return StoredSession(self._db, session_id, None, day)

    def _insert_session(self, kind: str, person: Person | None, on: date) -> int:
        cursor = self._db.execute(
            "INSERT INTO sessions (kind, started_at, status, pid, person_id, visit_date)"
            " VALUES (?, ?, 'in_progress', ?, ?, ?)",
            (kind, _now(), os.getpid(), None if person is None else person.id, on.isoformat()),
        )
        if cursor.lastrowid is None:
            raise ConfigError(f"cannot write to {self.path}", "check the disk, or use --no-save")
        return cursor.lastrowid

    def people(self) -> list[Person]:
        """Everyone on the device, in the order they were first named."""
        return list_people(self._db)

    def find_person(self, name: str) -> Person | None:
        """The person called ``name`` (case and spacing aside), or None."""
        return find_person(self._db, name)

    def add_person(self, name: str, on: date | None = None) -> Person:
        """Name a new person (first named on ``on``, None: the real today). Raises ConfigError when the
        name is empty, too long, or taken (case and spacing aside)."""
        return add_person(self._db, name, on or date.today())

    def person(self, name: str, on: date | None = None) -> Person:
        """The person called ``name``, named now (on ``on``) if they are new."""
        return self.find_person(name) or self.add_person(name, on)

    def rename_person(self, person_id: int, name: str) -> Person:
        """Give a person a new name; their history stays theirs. Raises ConfigError when there is no such
        person or someone else has the name."""
        return rename_person(self._db, person_id, name)

    def person_history(self, name: str, today: date | None = None) -> tuple[Person | None, PersonHistory]:
        """The person called ``name`` (named now if new, on ``today``) and their history as of ``today``
        (``history``). When the people cannot even be read, (None, an empty history saying why)."""
        day = today or date.today()
        try:
            person = self.person(name, day)
        except sqlite3.Error as error:
            stand_in = Person(0, name, day)
            return None, PersonHistory(stand_in, ignored_because=f"the records file cannot be read ({error})")
        return person, self.history(person, day)

    def remember(
        self, person_id: int, key: str, answer: str, on: date, session_id: int | None = None
    ) -> None:
        """Remember ``answer`` (yes, no, unsure, unanswered or a whole number) to ``key`` (a finding,
        question or gate id) for the person, said on ``on`` in ``session_id``. Earlier answers are kept;
        ``history`` gives the latest. Raises ValueError for an answer voicecare never remembers."""
        _remember(self._db, person_id, key, answer, on, session_id)

    def history(self, person: Person, today: date | None = None) -> PersonHistory:
        """``person``'s latest answer per key and last screening visit, as of ``today`` (None: the real
        today). A history that is corrupt (bad values or dates, unreadable rows, a file that fails its
        integrity check) or another person's is ignored: the history is empty and ``ignored_because``
        and ``notice`` say why. Nothing stored is changed."""
        return load_history(self._db, person, today or date.today())

    def last_visit(self, person_id: int) -> Visit | None:
        """The person's latest screening (day, outcome tier, completed), or None."""
        return last_visit(self._db, person_id)

    def sessions(self) -> list[SessionSummary]:
        """Every stored session, oldest first."""
        rows = self._db.execute(
            "SELECT id, kind, started_at, status, disposition, reasons, possible, person_id, visit_date"
            " FROM sessions ORDER BY id"
        ).fetchall()
        summaries = []
        for row in rows:
            answers = self._db.execute(
                "SELECT question_id, finding, answer FROM answers WHERE session_id = ? ORDER BY seq",
                (row[0],),
            ).fetchall()
            summaries.append(
                SessionSummary(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    json.loads(row[5]),
                    json.loads(row[6]),
                    answers,
                    self._exercise(row[0]),
                    row[7],
                    _stored_day(row[8]),
                )
            )
        return summaries

    def _exercise(self, session_id: int) -> ExerciseRecord | None:
        row = self._db.execute(
            "SELECT groups, minutes, ending, session_s, rating_before, rating_after FROM exercise_runs"
            " WHERE session_id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            return None
        ending = row[2] if row[2] in EXERCISE_ENDINGS else None
        return ExerciseRecord(row[0], row[1], ending, row[3], row[4], row[5])

    def _mark_abandoned(self) -> None:
        rows = self._db.execute("SELECT id, pid FROM sessions WHERE status = 'in_progress'").fetchall()
        abandoned = [(session_id,) for session_id, pid in rows if not _alive(pid)]
        if abandoned:
            with self._db:
                self._db.executemany("UPDATE sessions SET status = 'incomplete' WHERE id = ?", abandoned)


class StoredSession:
    """The record of one session being written; each call is one atomic transaction."""

    def __init__(
        self, db: sqlite3.Connection, session_id: int, person_id: int | None = None, on: date | None = None
    ) -> None:
        self._db = db
        self.id = session_id
        self.person_id = person_id
        """Whose history each answer is remembered in; None: no one's."""
        self.on = on or date.today()
        """The day the session counts as."""
        self._seq = 0

    def answer(self, question_id: str, finding: str | None, answer: str) -> None:
        """Keep the answer and, with a person, remember it in their history under ``question_id``, dated
        the session's day (one transaction). An answer voicecare never remembers (free words) is kept in
        the session only."""
        self._seq += 1
        with _transaction(self._db):
            self._db.execute(
                "INSERT INTO answers (session_id, seq, question_id, finding, answer) VALUES (?, ?, ?, ?, ?)",
                (self.id, self._seq, question_id, finding, answer),
            )
            if self.person_id is not None and valid_answer(answer):
                _remember(self._db, self.person_id, question_id, answer, self.on, self.id)

    def finish(
        self, disposition: Disposition | None, reasons: Sequence[str], possible: Sequence[str]
    ) -> None:
        stored = None if disposition is None else disposition.value
        with self._db:
            self._db.execute(
                "UPDATE sessions SET status = 'complete', finished_at = ?, disposition = ?, reasons = ?,"
                " possible = ? WHERE id = ?",
                (_now(), stored, json.dumps(list(reasons)), json.dumps(list(possible)), self.id),
            )

    def abandon(self) -> None:
        """Mark the session incomplete now (the person stopped, or Ctrl-C)."""
        with self._db:
            self._db.execute("UPDATE sessions SET status = 'incomplete' WHERE id = ?", (self.id,))

    def forget_person(self) -> None:
        """Keep the session with no person from now on: it is not their visit, and no later answer is
        remembered in their history."""
        with self._db:
            self._db.execute("UPDATE sessions SET person_id = NULL WHERE id = ?", (self.id,))
        self.person_id = None

    def finish_exercise(
        self, ending: ExerciseEnding, session_s: float, ratings: tuple[int | None, int | None] = (None, None)
    ) -> None:
        """Keep how the exercise ended; the session is ``complete`` only when it was played to the end."""
        status = "complete" if ending == "finished" else "incomplete"
        with _transaction(self._db):
            self._db.execute(
                "UPDATE exercise_runs SET ending = ?, session_s = ?, rating_before = ?, rating_after = ?"
                " WHERE session_id = ?",
                (ending, round(session_s, 3), ratings[0], ratings[1], self.id),
            )
            self._db.execute(
                "UPDATE sessions SET status = ?, finished_at = ? WHERE id = ?", (status, _now(), self.id)
            )


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """Several statements as one all-or-nothing write (the connection is in autocommit mode)."""
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _remember(
    db: sqlite3.Connection, person_id: int, key: str, answer: str, on: date, session_id: int | None
) -> None:
    if not key or not valid_answer(answer):
        raise ValueError(f"cannot remember {answer!r} for {key!r}: not an answer voicecare keeps")
    db.execute(
        "INSERT INTO remembered (person_id, key, answer, answered_on, session_id) VALUES (?, ?, ?, ?, ?)",
        (person_id, key, answer, on.isoformat(), session_id),
    )


def _id(person: Person | None) -> int | None:
    return None if person is None else person.id


def _stored_day(stored: object) -> date | None:
    try:
        return date.fromisoformat(stored) if isinstance(stored, str) else None
    except ValueError:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
