"""Tier 1: the people of a shared device and their dated history in the records store: names compared
without regard to case or spacing, separate histories, the latest answer per key with its day, the last
screening visit; a corrupt history or another person's ignored (empty, saying why) and never changed; the
store's schema version and the upgrade of a store made by the release before people were known."""

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.records import (
    DATABASE_NAME,
    DISPOSITIONS,
    SCHEMA_VERSION,
    Person,
    PersonHistory,
    RecordStore,
    Remembered,
    Visit,
    normalise_name,
)
from voicecare.screening.findings import Tier

MARCH_1 = date(2026, 3, 1)
MARCH_31 = date(2026, 3, 31)


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    return RecordStore(tmp_path)


def raw(store: RecordStore) -> sqlite3.Connection:
    """A second connection to the store's file, for looking at or spoiling it as another program might."""
    return sqlite3.connect(store.path, isolation_level=None)


def visit(
    store: RecordStore,
    person: Person,
    on: date,
    answers: dict[str, str],
    tier: Tier | None = Tier.SELF_CARE,
) -> int:
    """A screening of ``person`` on day ``on`` giving ``answers``, finished with ``tier`` (None:
    abandoned)."""
    session = store.start("screening", person, on)
    for question, answer in answers.items():
        session.answer(question, question.split(".")[0], answer)
    if tier is None:
        session.abandon()
    else:
        session.finish(tier, [], [])
    return session.id


def test_names_are_compared_without_case_or_spacing_but_kept_as_said(store: RecordStore) -> None:
    ann = store.add_person("  Ann  Lee ", MARCH_1)
    assert ann.name == "Ann  Lee" and ann.created == MARCH_1
    assert normalise_name(" ANN   lee") == "ann lee"
    assert store.find_person("ann lee") == ann
    assert store.find_person("Bob") is None
    with pytest.raises(ConfigError, match="already known"):
        store.add_person("ANN LEE")
    assert store.person("ann  LEE") == ann, "found, not named twice"
    bob = store.person("Bob", MARCH_1)
    assert store.people() == [ann, bob]


@pytest.mark.parametrize("name", ["", "   ", "a\tb\x07", "x" * 81])
def test_an_unusable_name_is_refused(store: RecordStore, name: str) -> None:
    with pytest.raises(ConfigError, match="name"):
        store.add_person(name)


def test_a_person_renamed_keeps_their_history(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    visit(store, ann, MARCH_1, {"cancer_history.ever": "no"})
    bob = store.add_person("Bob", MARCH_1)
    with pytest.raises(ConfigError, match="someone else"):
        store.rename_person(ann.id, "bob")
    anne = store.rename_person(ann.id, "Anne")
    assert (anne.id, anne.name) == (ann.id, "Anne")
    assert store.find_person("ann") is None and store.find_person("ANNE") == anne
    assert store.history(anne, MARCH_31).answers["cancer_history.ever"].answer == "no"
    assert store.rename_person(bob.id, "BOB").name == "BOB", "a new spelling of one's own name"


def test_two_people_on_one_device_have_separate_histories(store: RecordStore) -> None:
    ann, bob = store.add_person("Ann", MARCH_1), store.add_person("Bob", MARCH_1)
    ann_visit = visit(store, ann, MARCH_1, {"cancer_history.ever": "no", "age": "45"})
    bob_visit = visit(store, bob, MARCH_31, {"cancer_history.ever": "yes", "age": "70"}, Tier.URGENT)
    ann_history, bob_history = store.history(ann, MARCH_31), store.history(bob, MARCH_31)
    assert ann_history.answers == {
        "cancer_history.ever": Remembered("no", MARCH_1, ann_visit),
        "age": Remembered("45", MARCH_1, ann_visit),
    }
    assert bob_history.answers["age"] == Remembered("70", MARCH_31, bob_visit)
    assert bob_history.answers["age"].number == 70
    assert ann_history.last_screening == Visit(ann_visit, MARCH_1, "self_care", True)
    assert bob_history.last_screening == Visit(bob_visit, MARCH_31, "urgent", True)
    assert ann_history.ignored_because is None and ann_history.notice is None


def test_the_latest_answer_per_key_counts_and_earlier_ones_are_kept(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    first = visit(store, ann, MARCH_1, {"cancer_history.ever": "no", "age": "45"})
    second = visit(store, ann, MARCH_31, {"cancer_history.ever": "yes"}, tier=None)
    store.remember(ann.id, "steroids", "unsure", MARCH_31)
    history = store.history(ann, MARCH_31)
    assert history.answers == {
        "cancer_history.ever": Remembered("yes", MARCH_31, second),
        "age": Remembered("45", MARCH_1, first),
        "steroids": Remembered("unsure", MARCH_31, None),
    }
    assert history.last_screening == Visit(second, MARCH_31, None, False), "abandoned: not completed"
    assert store.last_visit(ann.id) == history.last_screening
    with raw(store) as db:
        assert db.execute("SELECT count(*) FROM remembered").fetchone() == (4,)


def test_visits_carry_the_person_and_their_day_while_timestamps_keep_the_real_time(
    store: RecordStore,
) -> None:
    ann = store.add_person("Ann", MARCH_1)
    visit(store, ann, MARCH_1, {"age": "45"})
    store.start_exercise("breathing", None, 5, ann, MARCH_31).finish_exercise("finished", 300.0)
    store.start("screening").finish(Tier.SOON, [], [])
    screening, breathing, anonymous = store.sessions()
    assert (screening.person_id, screening.visit_date) == (ann.id, MARCH_1)
    assert (breathing.person_id, breathing.visit_date) == (ann.id, MARCH_31)
    assert anonymous.person_id is None and anonymous.visit_date == date.today()
    assert screening.started_at[:10] == datetime.now(UTC).date().isoformat(), "the real time"


def test_answers_without_a_person_are_not_remembered(store: RecordStore) -> None:
    session = store.start("screening", None, MARCH_1)
    session.answer("age", "age", "45")
    with raw(store) as db:
        assert db.execute("SELECT count(*) FROM remembered").fetchone() == (0,)


def test_someone_new_has_an_empty_history(store: RecordStore) -> None:
    history = store.history(store.add_person("Ann", MARCH_1), MARCH_1)
    assert history == PersonHistory(history.person) and history.empty
    assert store.last_visit(history.person.id) is None


@pytest.mark.parametrize("answer", ["maybe", "-1", "4.5", "", "1000000", "٣", " 45"])
def test_remembering_an_answer_voicecare_never_keeps_is_refused(store: RecordStore, answer: str) -> None:
    ann = store.add_person("Ann", MARCH_1)
    with pytest.raises(ValueError, match="cannot remember"):
        store.remember(ann.id, "age", answer, MARCH_1)


def test_a_free_answer_is_kept_in_the_session_only(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    visit(store, ann, MARCH_1, {"advice_context": "gardening"})
    assert store.history(ann, MARCH_1).answers == {}
    assert store.sessions()[0].answers == [("advice_context", "advice_context", "gardening")]


SPOILED = {
    "an answer voicecare never writes": "UPDATE remembered SET answer = 'maybe' WHERE key = 'age'",
    "a date that cannot be read": "UPDATE remembered SET answered_on = 'last week' WHERE key = 'age'",
    "a date after today": "UPDATE remembered SET answered_on = '2026-04-01' WHERE key = 'age'",
    "a key that is empty": "UPDATE remembered SET key = '' WHERE key = 'age'",
    "an answer of another type": "UPDATE remembered SET answer = 45.5 WHERE key = 'age'",
    "an unknown outcome": "UPDATE sessions SET disposition = 'sometime'",
    "a visit date that cannot be read": "UPDATE sessions SET visit_date = NULL",
}


@pytest.mark.parametrize("spoil", list(SPOILED))
def test_a_corrupt_history_is_ignored_whole_and_left_as_it_is(store: RecordStore, spoil: str) -> None:
    ann = store.add_person("Ann", MARCH_1)
    visit(store, ann, MARCH_1, {"cancer_history.ever": "no", "age": "45"})
    with raw(store) as db:
        db.execute(SPOILED[spoil])
        before = db.execute("SELECT * FROM remembered ORDER BY id").fetchall()
    history = store.history(ann, MARCH_31)
    assert history.empty and history.ignored_because
    assert history.notice is not None and "\n" not in history.notice
    assert history.notice.startswith("voicecare: ignoring the stored history of Ann because ")
    assert history.notice.endswith("; asking everything afresh")
    with raw(store) as db:
        assert db.execute("SELECT * FROM remembered ORDER BY id").fetchall() == before, "nothing changed"


def test_another_persons_answers_are_not_taken_for_ones_own(store: RecordStore) -> None:
    ann, bob = store.add_person("Ann", MARCH_1), store.add_person("Bob", MARCH_1)
    visit(store, ann, MARCH_1, {"cancer_history.ever": "yes"})
    visit(store, bob, MARCH_1, {"cancer_history.ever": "no"})
    with raw(store) as db:  # Ann's answer filed under Bob, though it came from Ann's screening
        db.execute("UPDATE remembered SET person_id = ? WHERE answer = 'yes'", (bob.id,))
    history = store.history(bob, MARCH_31)
    assert history.empty
    assert "another person's session" in (history.ignored_because or "")
    assert store.history(ann, MARCH_31).answers == {}, "Ann has no answers left, nothing else changed"


def test_a_history_asked_for_under_a_name_that_is_not_its_own_is_ignored(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    visit(store, ann, MARCH_1, {"cancer_history.ever": "no"})
    stale = Person(ann.id, "Carol", MARCH_1)
    history = store.history(stale, MARCH_31)
    assert history.empty and "another person's name" in (history.ignored_because or "")
    assert "history of Carol" in (history.notice or "")


def test_a_records_file_that_fails_its_integrity_check_gives_no_history(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    for day in range(1, 29):
        visit(store, ann, date(2026, 2, day), {f"q{n}": "no" for n in range(40)})
    with raw(store) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'remembered'").fetchone()
    store.close()
    with store.path.open("r+b") as file:  # the remembered table's first page overwritten
        file.seek((root - 1) * page_size + 8)
        file.write(b"\xff" * 64)
    spoiled = RecordStore(store.path.parent)
    history = spoiled.history(ann, MARCH_31)
    assert history.empty
    assert history.ignored_because == "the records file fails its integrity check"
    assert spoiled.sessions(), "the rest of the file is still read"


def test_a_stored_outcome_is_one_of_the_screening_tiers() -> None:
    assert set(DISPOSITIONS) == {tier.value for tier in Tier}


RELEASE_SCHEMA = """
CREATE TABLE sessions (
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
CREATE TABLE answers (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    finding TEXT,
    answer TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE TABLE exercise_runs (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    groups INTEGER,
    minutes INTEGER,
    ending TEXT,
    session_s REAL,
    rating_before INTEGER,
    rating_after INTEGER
);
INSERT INTO sessions (kind, started_at, finished_at, status, disposition, reasons, pid)
    VALUES ('screening', '2026-01-05T09:00:00+00:00', '2026-01-05T09:09:00+00:00', 'complete', 'urgent',
            '["night_pain"]', 1);
INSERT INTO answers VALUES (1, 1, 'cancer_history.ever', 'cancer_history', 'no');
INSERT INTO answers VALUES (1, 2, 'age', 'age', '70');
INSERT INTO sessions (kind, started_at, finished_at, status, pid)
    VALUES ('breathing', '2026-01-06T09:00:00+00:00', '2026-01-06T09:05:00+00:00', 'complete', 1);
INSERT INTO exercise_runs VALUES (2, NULL, 5, 'finished', 300.0, NULL, NULL);
"""
"""The store as the release before people were known made it (``user_version`` never set), with rows."""


def test_a_store_made_by_the_release_before_people_opens_keeps_its_rows_and_gains_the_new_tables(
    tmp_path: Path,
) -> None:
    with sqlite3.connect(tmp_path / DATABASE_NAME) as old:
        old.executescript(RELEASE_SCHEMA)
    store = RecordStore(tmp_path)
    screening, breathing = store.sessions()
    assert (screening.disposition, screening.reasons) == ("urgent", ["night_pain"])
    assert screening.answers == [("cancer_history.ever", "cancer_history", "no"), ("age", "age", "70")]
    assert (screening.person_id, screening.visit_date) == (None, None)
    assert breathing.exercise is not None and breathing.exercise.minutes == 5
    with raw(store) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"people", "remembered"} <= tables
    ann = store.add_person("Ann", MARCH_1)
    visit(store, ann, MARCH_1, {"age": "45"})
    store.close()
    again = RecordStore(tmp_path)
    assert len(again.sessions()) == 3
    assert again.history(ann, MARCH_1).answers["age"].answer == "45"


def test_a_store_written_by_a_newer_voicecare_is_refused_untouched(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DATABASE_NAME) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ConfigError, match="newer voicecare"):
        RecordStore(tmp_path)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION + 1,)
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
