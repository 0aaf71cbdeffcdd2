"""The records file's tables, its schema version (``PRAGMA user_version``) and the upgrade in place.

Version 0 is every store written before people were known (its ``user_version`` was never set): sessions,
answers and exercise runs. Version 1 adds the people of a shared device, the person and visit date of each
session, and the dated answers remembered per person. Version 2 adds the pain diary: daily ratings, the
weekly better-or-worse answers and the check-ins offered and done. An upgrade only adds tables and
columns, in one transaction, so no row is ever lost and a store stopped half-way through an upgrade is
left as it was.
"""

import sqlite3

SCHEMA_VERSION = 2
"""The version this voicecare writes; a store with a higher one was written by a newer voicecare."""

_TABLES = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'complete', 'incomplete')),
    disposition TEXT,
    reasons TEXT NOT NULL DEFAULT '[]',
    possible TEXT NOT NULL DEFAULT '[]',
    pid INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    finding TEXT,
    answer TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE IF NOT EXISTS exercise_runs (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    groups INTEGER,
    minutes INTEGER,
    ending TEXT,
    session_s REAL,
    rating_before INTEGER,
    rating_after INTEGER
);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS remembered (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    key TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_on TEXT NOT NULL,
    session_id INTEGER REFERENCES sessions(id)
);
CREATE INDEX IF NOT EXISTS remembered_by_person ON remembered (person_id, key);
CREATE TABLE IF NOT EXISTS diary_ratings (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES people(id),
    rated_on TEXT NOT NULL,
    measure TEXT NOT NULL CHECK (measure IN ('back_pain', 'leg_pain')),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS diary_ratings_by_person ON diary_ratings (person_id, rated_on);
CREATE TABLE IF NOT EXISTS change_answers (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES people(id),
    answered_on TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN
        ('much_better', 'a_little_better', 'about_the_same', 'a_little_worse', 'much_worse')),
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkins (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES people(id),
    episode_start TEXT NOT NULL,
    week INTEGER NOT NULL,
    offered_on TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('done', 'not_now', 'tomorrow', 'no_answer', 'stopped')),
    session_id INTEGER REFERENCES sessions(id),
    recorded_at TEXT NOT NULL
);
"""
"""Every table at the current version (``CREATE ... IF NOT EXISTS``: a fresh store, or the tables an
older store lacks)."""

_SESSION_COLUMNS = {
    "person_id": "INTEGER REFERENCES people(id)",
    "visit_date": "TEXT",
}
"""Columns version 1 adds to ``sessions``: who the session was with and the day it counts as (today, or
``--date``). Both stay NULL on the rows of older stores."""


class NewerSchema(Exception):
    """The store was written by a newer voicecare (its schema version is higher than ``SCHEMA_VERSION``)."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema version {version}")
        self.version = version


def schema_version(db: sqlite3.Connection) -> int:
    """The store's schema version (0 for a store older than versions, or a new empty file)."""
    row = db.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def upgrade(db: sqlite3.Connection) -> None:
    """Bring the store on ``db`` (in autocommit mode) to ``SCHEMA_VERSION``, in one transaction.

    Raises ``NewerSchema`` for a store written by a newer voicecare (it is left untouched), and
    ``sqlite3.Error`` when the file cannot be read or written."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise NewerSchema(version)
    if version == SCHEMA_VERSION:
        db.executescript(_TABLES)  # a no-op unless a table was dropped by hand
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in _TABLES.split(";"):
            if statement.strip():
                db.execute(statement)
        present = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
        for column, declaration in _SESSION_COLUMNS.items():
            if column not in present:
                db.execute(f"ALTER TABLE sessions ADD COLUMN {column} {declaration}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
