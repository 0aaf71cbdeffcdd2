"""A person's dated history: the latest answer they gave to each remembered key (a finding, question or
gate id of the screening), with its day, and their last screening visit.

The history is read defensively. It is only ever used whole: a history with a value voicecare never
writes, a date that cannot be read or lies after today, a row of another person's, or a records file
that fails its integrity check is ignored entirely (``PersonHistory.ignored_because`` says why) and an
empty history is given, so the first-visit route asks everything afresh. Nothing is deleted or
overwritten: the rows stay in the file for someone to look at.
"""

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from voicecare.records.people import Person, normalise_name, person_by_id

ANSWER_WORDS = ("yes", "no", "unsure", "unanswered")
"""The answers remembered besides whole numbers (an age, weeks of pain)."""
DISPOSITIONS = ("emergency", "urgent", "soon", "self_care")
"""The screening outcome tiers a visit may end with (``voicecare.screening.findings.Tier`` values)."""
COMPLETE = "complete"


def valid_answer(answer: str) -> bool:
    """``answer`` is one voicecare remembers: yes, no, unsure, unanswered or a whole number (up to six
    digits)."""
    if answer in ANSWER_WORDS:
        return True
    return answer.isascii() and answer.isdigit() and len(answer) <= 6


@dataclass(frozen=True)
class Remembered:
    """One remembered answer: what was said (``ANSWER_WORDS`` or a whole number as text), the day it
    was said, and the session it was said in (None when remembered outside a session)."""

    answer: str
    on: date
    session_id: int | None

    @property
    def number(self) -> int | None:
        """The answer as a whole number, or None for a word."""
        return int(self.answer) if self.answer.isdigit() else None


@dataclass(frozen=True)
class Visit:
    """A person's screening: its session, the day it counts as, its outcome tier (None if it never
    reached one) and whether it was completed."""

    session_id: int
    on: date
    disposition: str | None
    completed: bool


@dataclass(frozen=True)
class PersonHistory:
    """What is remembered of ``person``: the latest answer per key and their last screening visit.

    Empty (no answers, no last visit) for someone new, and when the stored history was ignored; then
    ``ignored_because`` says why, and ``notice`` is the line to show."""

    person: Person
    answers: Mapping[str, Remembered] = field(default_factory=dict)
    last_screening: Visit | None = None
    ignored_because: str | None = None

    @property
    def empty(self) -> bool:
        return not self.answers and self.last_screening is None

    @property
    def notice(self) -> str | None:
        """The one line said when the history was ignored (None when it was not)."""
        if self.ignored_because is None:
            return None
        return ignored_notice(self.person.name, self.ignored_because)


def ignored_notice(name: str, because: str) -> str:
    """The one line said when ``name``'s stored history is not used."""
    return f"voicecare: ignoring the stored history of {name} because {because}; asking everything afresh"


class UnusableHistory(Exception):
    """Why a stored history cannot be trusted (the message ends the notice's "because ...")."""


def load_history(db: sqlite3.Connection, person: Person, today: date) -> PersonHistory:
    """``person``'s history as of ``today``; an empty one, with the reason, when it cannot be trusted."""
    try:
        answers, last = _read(db, person, today)
    except UnusableHistory as reason:
        return PersonHistory(person, ignored_because=str(reason))
    except sqlite3.Error as error:
        return PersonHistory(person, ignored_because=f"the records file cannot be read ({error})")
    return PersonHistory(person, answers, last)


def last_visit(db: sqlite3.Connection, person_id: int) -> Visit | None:
    """The person's latest screening by visit day (then by when it started); None if they have had none
    or it cannot be read."""
    try:
        return _last_visit(db, person_id, date.max)
    except (UnusableHistory, sqlite3.Error):
        return None


def _read(db: sqlite3.Connection, person: Person, today: date) -> tuple[dict[str, Remembered], Visit | None]:
    try:
        check = [tuple(row) for row in db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        check = [(str(error),)]
    if check != [("ok",)]:
        raise UnusableHistory("the records file fails its integrity check")
    stored = person_by_id(db, person.id)
    if stored is None or normalise_name(stored.name) != normalise_name(person.name):
        raise UnusableHistory("it is kept under another person's name")
    answers: dict[str, Remembered] = {}
    rows = db.execute(
        "SELECT r.key, r.answer, r.answered_on, r.session_id, s.person_id, s.id IS NULL"
        " FROM remembered AS r LEFT JOIN sessions AS s ON s.id = r.session_id"
        " WHERE r.person_id = ? ORDER BY r.answered_on, r.id",
        (person.id,),
    ).fetchall()
    for key, answer, answered_on, session_id, session_person, no_session in rows:
        if not isinstance(key, str) or not key or not isinstance(answer, str) or not valid_answer(answer):
            raise UnusableHistory(f"an answer it holds is not one voicecare keeps ({key!r}: {answer!r})")
        on = _day(answered_on, today)
        if session_id is not None and (no_session or session_person != person.id):
            raise UnusableHistory(f"the answer to {key} comes from another person's session")
        answers[key] = Remembered(answer, on, session_id)
    return answers, _last_visit(db, person.id, today)


def _last_visit(db: sqlite3.Connection, person_id: int, today: date) -> Visit | None:
    row = db.execute(
        "SELECT id, visit_date, disposition, status FROM sessions"
        " WHERE person_id = ? AND kind = 'screening' ORDER BY visit_date DESC, id DESC LIMIT 1",
        (person_id,),
    ).fetchone()
    if row is None:
        return None
    session_id, visit_date, disposition, status = row
    if disposition is not None and disposition not in DISPOSITIONS:
        raise UnusableHistory(f"its last screening has an unknown outcome ({disposition!r})")
    return Visit(session_id, _day(visit_date, today), disposition, status == COMPLETE)


def _day(stored: object, today: date) -> date:
    """A stored ISO day, checked: not unreadable, and not after ``today``."""
    try:
        day = date.fromisoformat(stored) if isinstance(stored, str) else None
    except ValueError:
        day = None
    if day is None:
        raise UnusableHistory(f"a date it holds cannot be read ({stored!r})")
    if day > today:
        raise UnusableHistory(f"a date it holds ({day.isoformat()}) is after today ({today.isoformat()})")
    return day
