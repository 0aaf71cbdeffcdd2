"""Tier 2: people and the day that stands for today on the command line: ``--person``, ``--date`` and
``VOICECARE_TODAY`` on the dialogue commands (in-process through ``main()``, stdin and stdout replaced),
the visits and histories they store, ``--no-save`` keeping and using nothing, and a stored history that is
corrupt or another person's ignored with one line on stderr while the screening runs as a first visit."""

import io
import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from tests.dialogues.test_screen_cli import screened
from voicecare.cli.main import main
from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.event_sinks import NullSink
from voicecare.records import DATABASE_NAME, Person, PersonHistory, RecordStore, Remembered, Visit
from voicecare.session.builder import Session
from voicecare.session.io import SessionIO
from voicecare.settings import Settings, settings_without_config

MARCH_1 = date(2026, 3, 1)
MARCH_31 = date(2026, 3, 31)
IGNORED = "voicecare: ignoring the stored history of {name} because "


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


class Voicecare:
    """The CLI in-process in ``--text`` mode (stderr holds only notes), with a config naming a data folder
    under ``tmp_path`` and no ``VOICECARE_*`` variables but those a test sets."""

    def __init__(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        self.data = tmp_path / "data"
        self.config = tmp_path / "config.toml"
        self.config.write_text(f'data_dir = "{self.data}"\n')
        self._monkeypatch, self._capsys = monkeypatch, capsys
        for name in os.environ:
            if name.startswith("VOICECARE_"):
                monkeypatch.delenv(name)

    def __call__(self, *args: str, replies: list[str] | None = None) -> Done:
        typed = "".join(reply + "\n" for reply in replies or [])
        self._monkeypatch.setattr("sys.stdin", io.StringIO(typed))
        self._capsys.readouterr()
        code = main([*args, "--text", "--config", str(self.config)])
        out, err = self._capsys.readouterr()
        return Done(code, out, err)

    def screen(self, who: str, *args: str) -> Done:
        """``voicecare screen`` answered as the test person ``who`` of test_screen_cli."""
        done = self("screen", *args, replies=screened(who).replies)
        assert done.returncode == 0, done.stderr
        return done

    def store(self) -> RecordStore:
        return RecordStore(self.data)

    def history(self, name: str, today: date) -> PersonHistory:
        store = self.store()
        try:
            person = store.find_person(name)
            assert person is not None, f"{name} is not in the records"
            return store.history(person, today)
        finally:
            store.close()


@pytest.fixture
def voicecare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Voicecare:
    return Voicecare(tmp_path, monkeypatch, capsys)


def only_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_a_visit_under_a_date_is_read_back_with_that_date(voicecare: Voicecare) -> None:
    voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-01")
    store = voicecare.store()
    (record,) = store.sessions()
    ann = store.find_person("ann")
    assert ann is not None and (ann.name, ann.created) == ("Ann", MARCH_1)
    assert (record.person_id, record.visit_date, record.status) == (ann.id, MARCH_1, "complete")
    history = store.history(ann, MARCH_31)
    assert history.last_screening == Visit(record.id, MARCH_1, "self_care", True)
    expected = {question: Remembered(answer, MARCH_1, record.id) for question, _, answer in record.answers}
    assert history.answers == expected and expected, "every answer remembered, dated the visit's day"


def test_voicecare_today_stands_for_today_and_the_flag_wins(
    voicecare: Voicecare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICECARE_TODAY", "2026-03-01")
    voicecare.screen("self_care", "--person", "Ann")
    voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-31")
    monkeypatch.delenv("VOICECARE_TODAY")
    voicecare.screen("self_care", "--person", "Ann")
    days = [record.visit_date for record in voicecare.store().sessions()]
    assert days == [MARCH_1, MARCH_31, date.today()]


@pytest.mark.parametrize("command", ["screen", "relax", "breathe", "reframe", "session"])
def test_a_bad_date_exits_2_with_one_line_naming_the_fix(voicecare: Voicecare, command: str) -> None:
    done = voicecare(command, "--date", "2026-02-30", "--no-save")
    assert done.returncode == 2
    line = only_line(done.stderr)
    assert line.startswith("voicecare: ") and "2026-02-30" in line and "--date" in line
    assert "YYYY-MM-DD" in line


def test_a_bad_voicecare_today_exits_2_naming_the_variable(
    voicecare: Voicecare, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICECARE_TODAY", "1 March")
    done = voicecare("screen", "--no-save")
    assert done.returncode == 2
    assert "VOICECARE_TODAY" in only_line(done.stderr)


def test_two_people_on_one_device_keep_separate_histories(voicecare: Voicecare) -> None:
    """Ann's second visit is 12 weeks or more after her first, so it is a first visit again (the return
    visits within 12 weeks are in test_return_visits.py)."""
    voicecare.screen("self_care", "--person", "Ann", "--date", "2025-12-01")
    voicecare.screen("urgent", "--person", "Bob", "--date", "2026-03-31")
    voicecare.screen("self_care", "--person", "  ANN ", "--date", "2026-03-31")
    store = voicecare.store()
    assert [person.name for person in store.people()] == ["Ann", "Bob"], "Ann found again, not named twice"
    ann, bob = voicecare.history("ann", MARCH_31), voicecare.history("bob", MARCH_31)
    assert ann.answers["age"].answer == "42" and bob.answers["age"].answer == "70"
    assert {answer.on for answer in ann.answers.values()} == {MARCH_31}, "the later visit's answers"
    assert ann.last_screening is not None and ann.last_screening.disposition == "self_care"
    assert bob.last_screening is not None and bob.last_screening.disposition == "urgent"
    assert bob.last_screening.session_id not in {a.session_id for a in ann.answers.values()}


def test_an_exercise_run_carries_the_person_and_the_day(voicecare: Voicecare) -> None:
    done = voicecare("relax", "--groups", "4", "--person", "Ann", "--date", "2026-03-01")
    assert done.returncode == 0, done.stderr
    store = voicecare.store()
    (run,) = store.sessions()
    ann = store.find_person("Ann")
    assert ann is not None and (run.kind, run.person_id, run.visit_date) == ("relaxation", ann.id, MARCH_1)
    assert store.history(ann, MARCH_1).last_screening is None, "an exercise is not a screening visit"


def test_no_save_keeps_and_reads_nothing(voicecare: Voicecare) -> None:
    voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-01", "--no-save")
    voicecare("relax", "--groups", "4", "--person", "Ann", "--no-save")
    assert not voicecare.data.exists()
    voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-01")
    database = voicecare.data / DATABASE_NAME
    before = database.read_bytes()
    spoil(voicecare.data, "UPDATE remembered SET answer = 'perhaps' WHERE key = 'age'")
    spoiled = database.read_bytes()
    assert spoiled != before
    done = voicecare.screen("self_care", "--person", "Ann", "--no-save")
    assert done.stderr.strip() == "", "the stored history is not even read"
    assert database.read_bytes() == spoiled, "nor anything written"


def spoil(data: Path, statement: str, *values: object) -> list[tuple[object, ...]]:
    """Change the records file as another program might; its remembered rows afterwards."""
    with sqlite3.connect(data / DATABASE_NAME) as db:
        db.execute(statement, values)
        return db.execute("SELECT * FROM remembered ORDER BY id").fetchall()


def test_a_corrupt_history_is_ignored_with_one_line_and_kept(voicecare: Voicecare) -> None:
    voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-01")
    rows = spoil(voicecare.data, "UPDATE remembered SET answer = 'perhaps' WHERE key = 'age'")
    done = voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-31")
    line = only_line(done.stderr)
    assert line.startswith(IGNORED.format(name="Ann")) and line.endswith("; asking everything afresh")
    assert "'perhaps'" in line
    with sqlite3.connect(voicecare.data / DATABASE_NAME) as db:
        kept = db.execute("SELECT * FROM remembered ORDER BY id").fetchall()
    assert kept[: len(rows)] == rows, "the corrupt rows are left as they were"
    assert len(kept) > len(rows), "the new visit is remembered"


def test_another_persons_history_is_ignored_with_one_line(voicecare: Voicecare) -> None:
    voicecare.screen("urgent", "--person", "Ann", "--date", "2026-03-01")
    voicecare.screen("self_care", "--person", "Bob", "--date", "2026-03-01")
    store = voicecare.store()
    ann, bob = store.find_person("Ann"), store.find_person("Bob")
    assert isinstance(ann, Person) and isinstance(bob, Person)
    store.close()
    moved = "UPDATE remembered SET person_id = ? WHERE key = 'age' AND person_id = ?"
    spoil(voicecare.data, moved, bob.id, ann.id)
    done = voicecare.screen("self_care", "--person", "Bob", "--date", "2026-03-31")
    line = only_line(done.stderr)
    assert line.startswith(IGNORED.format(name="Bob")) and "another person's session" in line
    again = voicecare.screen("self_care", "--person", "Ann", "--date", "2026-03-31")
    assert again.stderr == "", "Ann's own history is hers still, her age no longer in it"


def built_session(settings: Settings, typed: str = "") -> tuple[Session, io.StringIO]:
    """A session built by the one builder over typed text; (session, where its notes go)."""
    notes = io.StringIO()
    channel = TextChannel(io.StringIO(typed), io.StringIO())
    return Session(SessionIO(channel, NullSink(), settings, notes), settings), notes


def test_the_builder_gives_a_session_its_person_day_and_history(tmp_path: Path) -> None:
    settings = settings_without_config(data_dir=tmp_path, person="Ann", today="2026-03-01")
    first, notes = built_session(settings, "".join(reply + "\n" for reply in screened("urgent").replies))
    assert first.today == MARCH_1 and first.person is not None and first.person.name == "Ann"
    assert first.history is not None and first.history.empty
    first.screen()
    later, notes = built_session(replace(settings, person="ann", today=MARCH_31))
    assert later.person == first.person and notes.getvalue() == ""
    assert later.history is not None and later.history.answers["age"] == Remembered(
        "70", MARCH_1, later.history.answers["age"].session_id
    )
    assert later.history.last_screening is not None
    assert (later.history.last_screening.on, later.history.last_screening.disposition) == (MARCH_1, "urgent")
    for unsaved in (replace(settings, save=False), replace(settings, person=None)):
        session, _ = built_session(unsaved)
        assert (session.person, session.history) == (None, None)
