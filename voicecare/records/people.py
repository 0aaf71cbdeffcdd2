"""The people of a shared device: each has a name, kept as said and compared without regard to case or
spacing ("Ann  Lee" is "ann lee"), so two people never share a name and a name is found however it is
typed or heard."""

import sqlite3
from dataclasses import dataclass
from datetime import date

from voicecare.errors import ConfigError

NAME_LIMIT = 80
"""The longest name kept, in characters."""


@dataclass(frozen=True)
class Person:
    """One person on the device: ``name`` as said, ``created`` the day they were first named."""

    id: int
    name: str
    created: date

    @property
    def key(self) -> str:
        """The name as compared (``normalise_name``)."""
        return normalise_name(self.name)


def normalise_name(name: str) -> str:
    """``name`` as compared: case folded, runs of spaces made one, outer spaces dropped."""
    return " ".join(name.split()).casefold()


def checked_name(name: str) -> str:
    """``name`` as it is kept (outer spaces dropped); raises ConfigError for an empty or overlong name,
    or one with control characters."""
    kept = name.strip()
    if not kept:
        raise ConfigError("the person's name is empty", "give a name, such as --person Ann")
    if len(kept) > NAME_LIMIT:
        raise ConfigError(
            f"the person's name is longer than {NAME_LIMIT} characters", "give a shorter name"
        )
    if any(not character.isprintable() for character in kept):
        raise ConfigError(
            "the person's name contains control characters", "give the name in letters and spaces"
        )
    return kept


def list_people(db: sqlite3.Connection) -> list[Person]:
    """Everyone on the device, in the order they were first named."""
    return [_person(row) for row in db.execute("SELECT id, name, created FROM people ORDER BY id")]


def find_person(db: sqlite3.Connection, name: str) -> Person | None:
    """The person called ``name`` (compared normalised), or None."""
    row = db.execute(
        "SELECT id, name, created FROM people WHERE name_key = ?", (normalise_name(name),)
    ).fetchone()
    return None if row is None else _person(row)


def person_by_id(db: sqlite3.Connection, person_id: int) -> Person | None:
    """The person with ``person_id``, or None."""
    row = db.execute("SELECT id, name, created FROM people WHERE id = ?", (person_id,)).fetchone()
    return None if row is None else _person(row)


def add_person(db: sqlite3.Connection, name: str, on: date) -> Person:
    """Name a new person on day ``on``; raises ConfigError if the name is taken (compared normalised)
    or unusable."""
    kept = checked_name(name)
    if find_person(db, kept) is not None:
        raise ConfigError(f"someone called '{kept}' is already known", "use another name")
    with db:
        cursor = db.execute(
            "INSERT INTO people (name, name_key, created) VALUES (?, ?, ?)",
            (kept, normalise_name(kept), on.isoformat()),
        )
    assert cursor.lastrowid is not None
    return Person(cursor.lastrowid, kept, on)


def rename_person(db: sqlite3.Connection, person_id: int, name: str) -> Person:
    """Give person ``person_id`` the name ``name`` (their history stays theirs); raises ConfigError if
    there is no such person, or another person has the name."""
    person = person_by_id(db, person_id)
    if person is None:
        raise ConfigError(f"there is no person {person_id} in the records", "list the people first")
    kept = checked_name(name)
    other = find_person(db, kept)
    if other is not None and other.id != person_id:
        raise ConfigError(f"someone else is already called '{kept}'", "use another name")
    with db:
        db.execute(
            "UPDATE people SET name = ?, name_key = ? WHERE id = ?",
            (kept, normalise_name(kept), person_id),
        )
    return Person(person_id, kept, person.created)


def _person(row: tuple[int, str, str]) -> Person:
    try:
        created = date.fromisoformat(row[2])
    except (TypeError, ValueError):
        created = date.min
    return Person(row[0], row[1], created)
