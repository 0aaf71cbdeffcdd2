"""Tier 1: the pain diary in the records store (schema version 2; the upgrade in place of a store made by
today's release, version 1, and by the release before people; a newer store refused untouched; a damaged one
refused), forgetting one person, and the report built from a store: its summary, tables, the HTML page's
structure, the text, and the FHIR bundle validated with ``fhir.resources`` (R4B models) and with the
project's own checks of codes and ranges."""

import json
import os
import re
import sqlite3
import stat
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.logic.test_people_history import RELEASE_SCHEMA
from voicecare.diary.fhir import LOINC, PAIN_SEVERITY_0_10, bundle, check_bundle
from voicecare.diary.render import as_html, as_text
from voicecare.diary.report import Report, gather, report_tables, summary_lines
from voicecare.diary.wording import load_diary_wording
from voicecare.errors import ConfigError
from voicecare.records import DATABASE_NAME, SCHEMA_VERSION, CheckinRecord, Person, Rating, RecordStore
from voicecare.screening.content_files import load_screening_content
from voicecare.screening.findings import Tier

MARCH_1 = date(2026, 3, 1)
TODAY = date(2026, 3, 30)
STARTBACK = ["agree", "disagree", "agree", "disagree", "agree", "disagree", "disagree", "agree", "very_much"]


@pytest.fixture
def store(tmp_path: Path) -> RecordStore:
    return RecordStore(tmp_path)


def lay_down(store: RecordStore, person: Person | None, start: date = MARCH_1) -> None:
    """A screening with STarT Back, four weeks of ratings easing, a weekly answer, a check-in and an
    exercise."""
    screening = store.start("screening", person, start)
    screening.answer("one_leg_sciatica", "one_leg_sciatica", "yes")
    screening.answer("age", "age", "45")
    screening.finish(Tier.SOON, ["one_leg_sciatica"], ["night_pain"])
    for number, answer in enumerate(STARTBACK, start=1):
        finding = "startback.counted_unclear" if number == 3 else "startback"
        screening.answer(f"startback.{number}", finding, answer)
    for day in range(1, 28):
        store.add_rating(person, start + timedelta(days=day), "back_pain", max(0, 7 - day // 4))
        store.add_rating(person, start + timedelta(days=day), "leg_pain", 3)
    store.add_change(person, start + timedelta(days=8), "a_little_better")
    store.add_checkin(person, CheckinRecord(start, 2, start + timedelta(days=14), "tomorrow"))
    run = store.start_exercise("reframing", None, None, person, start + timedelta(days=3))
    run.finish_exercise("finished", 600.0, (7, 4))


def report_of(store: RecordStore, person: Person | None, since: date | None = None) -> Report:
    return gather(store, person, TODAY, since)


def test_ratings_are_kept_per_day_the_latest_counting_and_0_to_10_only(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    store.add_rating(ann, MARCH_1, "back_pain", 4)
    store.add_rating(ann, MARCH_1, "back_pain", 6)
    store.add_rating(ann, MARCH_1, "leg_pain", 0)
    assert store.ratings(ann) == [Rating(MARCH_1, "back_pain", 6), Rating(MARCH_1, "leg_pain", 0)]
    for bad in (-1, 11, True):
        with pytest.raises(ValueError, match="0 to 10"):
            store.add_rating(ann, MARCH_1, "back_pain", bad)
    with sqlite3.connect(store.path) as db, pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO diary_ratings (person_id, rated_on, measure, rating, recorded_at)"
            " VALUES (?, '2026-03-01', 'back_pain', 11, 'x')",
            (ann.id,),
        )
    assert store.ratings(None) == [], "the unnamed records are apart"


def test_forgetting_one_person_deletes_all_of_theirs_and_nothing_of_anyone_else(store: RecordStore) -> None:
    ann, bob = store.add_person("Ann", MARCH_1), store.add_person("Bob", MARCH_1)
    lay_down(store, ann)
    lay_down(store, bob)
    lay_down(store, None)
    before_bob = report_of(store, bob)
    deleted = store.forget(ann)
    assert deleted > 50
    assert store.find_person("Ann") is None
    assert report_of(store, ann).empty
    assert report_of(store, bob) == before_bob
    assert not report_of(store, None).empty
    with sqlite3.connect(store.path) as db:
        for table in ("diary_ratings", "change_answers", "checkins", "remembered", "sessions"):
            assert db.execute(f"SELECT count(*) FROM {table} WHERE person_id = ?", (ann.id,)).fetchone() == (
                0,
            )
        orphans = db.execute("SELECT count(*) FROM answers WHERE session_id NOT IN (SELECT id FROM sessions)")
        assert orphans.fetchone() == (0,)
    store.forget(None)
    assert report_of(store, None).empty and not report_of(store, bob).empty


def test_the_words_of_a_forgotten_person_are_not_left_in_the_file(tmp_path: Path) -> None:
    store = RecordStore(tmp_path)
    ann = store.add_person("Zebedee Quartermaine", MARCH_1)
    lay_down(store, ann)
    store.forget(ann)
    store.close()
    assert b"Zebedee" not in (tmp_path / DATABASE_NAME).read_bytes(), "secure delete overwrote the name"


def test_the_records_file_is_owner_only(tmp_path: Path) -> None:
    RecordStore(tmp_path / "new").close()
    assert stat.S_IMODE(os.stat(tmp_path / "new" / DATABASE_NAME).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "new").st_mode) == 0o700


RELEASE_1_SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'complete', 'incomplete')), disposition TEXT,
    reasons TEXT NOT NULL DEFAULT '[]', possible TEXT NOT NULL DEFAULT '[]', pid INTEGER NOT NULL,
    person_id INTEGER REFERENCES people(id), visit_date TEXT
);
CREATE TABLE answers (
    session_id INTEGER NOT NULL REFERENCES sessions(id), seq INTEGER NOT NULL, question_id TEXT NOT NULL,
    finding TEXT, answer TEXT NOT NULL, PRIMARY KEY (session_id, seq)
);
CREATE TABLE exercise_runs (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id), groups INTEGER, minutes INTEGER, ending TEXT,
    session_s REAL, rating_before INTEGER, rating_after INTEGER
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, created TEXT NOT NULL
);
CREATE TABLE remembered (
    id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), key TEXT NOT NULL,
    answer TEXT NOT NULL, answered_on TEXT NOT NULL, session_id INTEGER REFERENCES sessions(id)
);
CREATE INDEX remembered_by_person ON remembered (person_id, key);
INSERT INTO people VALUES (1, 'Ann', 'ann', '2026-01-05');
INSERT INTO sessions (kind, started_at, finished_at, status, disposition, reasons, pid, person_id, visit_date)
    VALUES ('screening', '2026-01-05T09:00:00+00:00', '2026-01-05T09:09:00+00:00', 'complete', 'soon',
            '["one_leg_sciatica"]', 1, 1, '2026-01-05');
INSERT INTO answers VALUES (1, 1, 'one_leg_sciatica', 'one_leg_sciatica', 'yes');
INSERT INTO remembered (person_id, key, answer, answered_on, session_id)
    VALUES (1, 'one_leg_sciatica', 'yes', '2026-01-05', 1);
PRAGMA user_version = 1;
"""
"""The store as today's release (schema version 1, people and their histories) makes it, with rows."""


def test_a_store_made_by_todays_release_is_upgraded_in_place_with_its_rows(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DATABASE_NAME) as old:
        old.executescript(RELEASE_1_SCHEMA)
    store = RecordStore(tmp_path)
    ann = store.find_person("ann")
    assert ann is not None
    assert store.history(ann, TODAY).answers["one_leg_sciatica"].answer == "yes"
    (screening,) = store.screenings(ann)
    assert (screening.on, screening.disposition, screening.reasons) == (
        date(2026, 1, 5),
        "soon",
        ("one_leg_sciatica",),
    )
    store.add_rating(ann, TODAY, "back_pain", 3)
    store.close()
    again = RecordStore(tmp_path)
    assert again.ratings(ann) == [Rating(TODAY, "back_pain", 3)]
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (2,)


def test_a_store_from_before_people_is_upgraded_to_version_2(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / DATABASE_NAME) as old:
        old.executescript(RELEASE_SCHEMA)
    store = RecordStore(tmp_path)
    assert len(store.sessions()) == 2
    store.add_rating(None, TODAY, "back_pain", 5)
    assert store.ratings(None) == [Rating(TODAY, "back_pain", 5)]
    assert [s.disposition for s in store.screenings(None)] == ["urgent"]


def test_a_damaged_store_is_refused_by_check_naming_it_and_left_as_it_is(tmp_path: Path) -> None:
    store = RecordStore(tmp_path)
    ann = store.add_person("Ann", MARCH_1)
    lay_down(store, ann)
    store.close()
    path = tmp_path / DATABASE_NAME
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    spoiled = RecordStore(tmp_path)
    with pytest.raises(ConfigError, match="damaged") as error:
        spoiled.check()
    assert str(path) in str(error.value)
    assert path.read_bytes() == bytes(data)


def test_a_file_that_is_not_a_store_is_refused_naming_it_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ConfigError, match=str(path)):
        RecordStore(tmp_path)
    assert path.read_bytes() == b"not a database at all" * 100


def test_the_report_holds_each_part_from_the_records(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    lay_down(store, ann)
    report = report_of(store, ann)
    assert (report.first, report.last) == (MARCH_1, date(2026, 3, 28))
    (startback,) = report.startbacks
    assert (startback.total, startback.psychosocial, startback.risk, startback.counted_unclear) == (
        5,
        3,
        "medium",
        (3,),
    )
    assert len(report.ratings) == 54 and len(report.weeks()) == 4
    wording = load_diary_wording()
    summary = summary_lines(report, wording)
    assert summary[0] == "Records from 1 March 2026 to 28 March 2026."
    assert "Back pain averaged 1 out of 10 in the 7 days to 28 March 2026." in summary
    assert "Compared with the week before, it is better." in summary
    later = report_of(store, ann, since=date(2026, 3, 20))
    assert not later.screenings and all(r.on >= date(2026, 3, 20) for r in later.ratings)


def test_an_empty_report_says_so(store: RecordStore) -> None:
    report = report_of(store, store.add_person("Ann", MARCH_1))
    assert report.empty
    assert summary_lines(report, load_diary_wording()) == ["There is nothing in the records for Ann yet."]


class Page(HTMLParser):
    """The elements of an HTML page, with their attributes and the text inside."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def rendered(store: RecordStore, person: Person | None) -> tuple[str, str]:
    report = report_of(store, person)
    content = load_screening_content("uk")
    wording = load_diary_wording()
    tables = report_tables(report, wording, content.screening, content.startback.notice)
    return as_html(report, tables, wording), as_text(report, tables, wording)


def test_the_html_page_is_structured_for_assistive_technology(store: RecordStore) -> None:
    ann = store.add_person("Ann <b>", MARCH_1)
    lay_down(store, ann)
    html, _ = rendered(store, ann)
    page = Page()
    page.feed(html)
    assert page.all("html") == [{"lang": "en"}]
    assert len(page.all("h1")) == 1 and len(page.all("h2")) == 7
    tables = page.all("table")
    assert len(tables) == 6 == len(page.all("caption"))
    assert all(th.get("scope") in ("col", "row") for th in page.all("th"))
    assert not page.all("script") and not page.all("img")
    assert "<b>" not in html.split("<body>")[1].split("</h1>")[0].replace("&lt;b&gt;", ""), (
        "the name is escaped"
    )
    summary_at = html.index("Records from")
    assert summary_at < html.index("<table>"), "the summary sentence comes first"
    assert "Keele University" in html


def test_colour_carries_nothing_in_the_page(store: RecordStore) -> None:
    lay_down(store, None)
    html, _ = rendered(store, None)
    style = html.split("<style>")[1].split("</style>")[0]
    colours = set(re.findall(r"#[0-9a-f]{3,6}", style))
    assert colours == {"#111", "#fff", "#444"}, "black on white, grey borders"
    assert "red" not in style and "green" not in style
    assert "style=" not in html and "class=" not in html


def test_the_text_report_says_each_value_with_its_header(store: RecordStore) -> None:
    lay_down(store, None)
    _, text = rendered(store, None)
    assert text.startswith("Back pain report\n================\n")
    assert (
        "Date: 4 March 2026; Exercise: A worrying thought; How it ended: finished; Rating before: 7; "
        "Rating after: 4" in text
    )
    assert "Offered on: 15 March 2026; Week: 2; Outcome: remind me tomorrow; Screening outcome: none" in text
    assert "Total (0 to 9): 5; Psychosocial (0 to 5): 3; Risk: medium; Answers not clear: 3" in text


def fhir_of(store: RecordStore, person: Person | None) -> dict[str, object]:
    return bundle(report_of(store, person), load_screening_content("uk").screening)


def test_the_fhir_bundle_is_valid_r4b_and_passes_the_projects_own_checks(store: RecordStore) -> None:
    ann = store.add_person("Ann", MARCH_1)
    lay_down(store, ann)
    resource = fhir_of(store, ann)
    parsed = Bundle.parse_obj(json.loads(json.dumps(resource)))
    kinds = [type(entry.resource).__name__ for entry in parsed.entry]
    assert kinds.count("Patient") == 1
    assert kinds.count("QuestionnaireResponse") == 1 + 1 + 1, "a screening, a STarT Back and a weekly answer"
    assert kinds.count("Observation") == 54
    assert check_bundle(resource, TODAY) == []
    observation = next(e.resource for e in parsed.entry if type(e.resource).__name__ == "Observation")
    assert (observation.code.coding[0].system, observation.code.coding[0].code) == (LOINC, PAIN_SEVERITY_0_10)
    assert fhir_of(store, ann)["entry"] == resource["entry"], "the same records give the same bundle"


def test_the_projects_checks_catch_what_the_schema_allows(store: RecordStore) -> None:
    lay_down(store, None)
    resource = fhir_of(store, None)
    entries = resource["entry"]
    assert isinstance(entries, list)
    observation = next(e["resource"] for e in entries if e["resource"]["resourceType"] == "Observation")
    response = next(
        e["resource"] for e in entries if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    observation["valueInteger"] = 11
    observation["code"]["coding"][0]["code"] = "72514-4"
    response["extension"] = []
    response["authored"] = "2026-04-01"
    Bundle.parse_obj(json.loads(json.dumps(resource)))  # the schema is content
    problems = " | ".join(check_bundle(resource, TODAY))
    for expected in ("not a whole number from 0 to 10", "not LOINC 72514-3", "not verbal", "after today"):
        assert expected in problems
