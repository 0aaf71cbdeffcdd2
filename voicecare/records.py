"""Session records: the outcome, reasons and answers of each screening, kept locally in SQLite.

The database lives in the user's data directory with owner-only permissions. Each answer is committed
as it is given; a session that never reaches ``finish`` (Ctrl-C, a kill, a power cut) stays marked
``in_progress`` and is marked ``incomplete`` the next time the store is opened. SQLite's journal makes
every write all-or-nothing, so no record is ever half-written. No audio is kept, nor the words of a
self-harm disclosure.
"""

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from voicecare.errors import ConfigError

DATABASE_NAME = "records.sqlite3"

_SCHEMA = """
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
"""


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


class SessionRecorder(Protocol):
    """What a dialogue writes as it goes; ``NoRecorder`` under ``--no-save``."""

    def answer(self, question_id: str, finding: str | None, answer: str) -> None:
        """Keep one answer (its kind or value, e.g. ``yes`` or ``52``; never free speech)."""
        ...

    def finish(self, disposition: str | None, reasons: Sequence[str], possible: Sequence[str]) -> None:
        """Mark the session complete with its outcome."""
        ...

    def abandon(self) -> None:
        """Mark the session incomplete (stopped by Ctrl-C or an error)."""
        ...


class NoRecorder:
    """Keeps nothing (``--no-save``)."""

    def answer(self, question_id: str, finding: str | None, answer: str) -> None:
        return None

    def finish(self, disposition: str | None, reasons: Sequence[str], possible: Sequence[str]) -> None:
        return None

    def abandon(self) -> None:
        return None


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
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"cannot open the records file {self.path} ({error})",
                "check the data directory in your config, or use --no-save",
            ) from None
        self._mark_abandoned()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def start(self, kind: str) -> "StoredSession":
        """Begin a record of a session of ``kind`` (e.g. ``screening``)."""
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO sessions (kind, started_at, status, pid) VALUES (?, ?, 'in_progress', ?)",
                (kind, _now(), os.getpid()),
            )
        if cursor.lastrowid is None:
            raise ConfigError(f"cannot write to {self.path}", "check the disk, or use --no-save")
        return StoredSession(self._db, cursor.lastrowid)

    def sessions(self) -> list[SessionSummary]:
        """Every stored session, oldest first."""
        rows = self._db.execute(
            "SELECT id, kind, started_at, status, disposition, reasons, possible FROM sessions ORDER BY id"
        ).fetchall()
        summaries = []
        for row in rows:
            answers = self._db.execute(
                "SELECT question_id, finding, answer FROM answers WHERE session_id = ? ORDER BY seq",
                (row[0],),
            ).fetchall()
            summaries.append(
                SessionSummary(
                    row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), json.loads(row[6]), answers
                )
            )
        return summaries

    def _mark_abandoned(self) -> None:
        rows = self._db.execute("SELECT id, pid FROM sessions WHERE status = 'in_progress'").fetchall()
        abandoned = [(session_id,) for session_id, pid in rows if not _alive(pid)]
        if abandoned:
            with self._db:
                self._db.executemany("UPDATE sessions SET status = 'incomplete' WHERE id = ?", abandoned)


class StoredSession:
    """The record of one session being written; each call is one atomic transaction."""

    def __init__(self, db: sqlite3.Connection, session_id: int) -> None:
        self._db = db
        self.id = session_id
        self._seq = 0

    def answer(self, question_id: str, finding: str | None, answer: str) -> None:
        self._seq += 1
        with self._db:
            self._db.execute(
                "INSERT INTO answers (session_id, seq, question_id, finding, answer) VALUES (?, ?, ?, ?, ?)",
                (self.id, self._seq, question_id, finding, answer),
            )

    def finish(self, disposition: str | None, reasons: Sequence[str], possible: Sequence[str]) -> None:
        with self._db:
            self._db.execute(
                "UPDATE sessions SET status = 'complete', finished_at = ?, disposition = ?, reasons = ?,"
                " possible = ? WHERE id = ?",
                (_now(), disposition, json.dumps(list(reasons)), json.dumps(list(possible)), self.id),
            )

    def abandon(self) -> None:
        """Mark the session incomplete now (the person stopped, or Ctrl-C)."""
        with self._db:
            self._db.execute("UPDATE sessions SET status = 'incomplete' WHERE id = ?", (self.id,))


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
