"""Exercise runs are kept in the session records: CLI runs in ``--text`` mode (in-process through ``main()``,
stdin replaced by a pipe's text or a terminal) writing a real SQLite file under ``tmp_path``, and the records
file read back with ``RecordStore``."""

import io
import os
import pty
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest

from tests.engines.test_exercise_cli import WALK_THROUGH
from voicecare.cli.main import main
from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.event_sinks import NullSink
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import build_timeline, default_scripts, words_estimator
from voicecare.records import DATABASE_NAME, ExerciseRecord, RecordStore, SessionSummary
from voicecare.session.builder import Session
from voicecare.session.hands_free import HandsFree
from voicecare.session.io import SessionIO
from voicecare.settings import settings_without_config


def config_for(tmp_path: Path) -> tuple[Path, Path]:
    """A config file naming a data directory under ``tmp_path``: (config, data directory)."""
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{data}"\n')
    return config, data


class Voicecare:
    """The CLI run in-process through ``main()`` with no ``VOICECARE_*`` settings from the environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self._monkeypatch, self._capsys = monkeypatch, capsys
        for name in os.environ:
            if name.startswith("VOICECARE_"):
                monkeypatch.delenv(name)

    def __call__(self, config: Path, *args: str, typed: str = "", terminal: bool = False) -> None:
        """Run the CLI in text mode with ``typed`` on a pipe, or on a terminal when ``terminal``."""
        command = [*args, "--text", "--json", "--config", str(config)]
        if not terminal:
            self._run(command, io.StringIO(typed))
            return
        main_fd, terminal_fd = pty.openpty()
        try:
            os.write(main_fd, typed.encode())
            with open(terminal_fd, encoding="utf-8", closefd=False) as stdin:
                assert stdin.isatty()
                self._run(command, stdin)
        finally:
            os.close(main_fd)
            os.close(terminal_fd)

    def _run(self, command: list[str], stdin: io.TextIOBase) -> None:
        self._monkeypatch.setattr("sys.stdin", stdin)
        self._capsys.readouterr()
        code = main(command)
        assert code == 0, self._capsys.readouterr().err


@pytest.fixture
def voicecare(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Voicecare:
    return Voicecare(monkeypatch, capsys)


def only_record(data: Path) -> SessionSummary:
    store = RecordStore(data)
    try:
        (record,) = store.sessions()
    finally:
        store.close()
    return record


def test_a_finished_relaxation_is_kept_with_its_groups_and_length_in_an_owner_only_file(
    voicecare: Voicecare, tmp_path: Path
) -> None:
    config, data = config_for(tmp_path)
    voicecare(config, "relax", "--groups", "4")
    record = only_record(data)
    assert (record.kind, record.status) == ("relaxation", "complete")
    assert record.exercise is not None
    assert (record.exercise.groups, record.exercise.minutes) == (4, None)
    assert record.exercise.ending == "finished"
    total_s = build_timeline("relaxation", ExerciseOptions(groups=4), words_estimator(160)).total_s
    assert record.exercise.session_s == pytest.approx(total_s, abs=0.01)
    assert (record.exercise.rating_before, record.exercise.rating_after) == (None, None)
    assert datetime.fromisoformat(record.started_at).tzinfo is not None
    assert record.answers == []
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data / DATABASE_NAME).st_mode) == 0o600


def test_a_relaxation_stopped_by_the_person_is_kept_as_stopped(voicecare: Voicecare, tmp_path: Path) -> None:
    """On a terminal the narration runs in real time; at the fastest rate (400 words a minute) the opening
    that comes before anything is listened for takes the least time."""
    config, data = config_for(tmp_path)
    voicecare(config, "relax", "--groups", "7", "--rate", "400", typed="stop\n", terminal=True)
    record = only_record(data)
    assert (record.kind, record.status) == ("relaxation", "incomplete")
    assert record.exercise is not None
    assert (record.exercise.groups, record.exercise.ending) == (7, "stopped")
    total_s = build_timeline("relaxation", ExerciseOptions(groups=7), words_estimator(400)).total_s
    assert record.exercise.session_s is not None and 0 < record.exercise.session_s < total_s


def test_no_save_keeps_nothing(voicecare: Voicecare, tmp_path: Path) -> None:
    config, data = config_for(tmp_path)
    voicecare(config, "relax", "--groups", "4", "--no-save")
    voicecare(config, "reframe", "--no-save", typed="\n".join(WALK_THROUGH) + "\n")
    assert not data.exists()


def test_a_reframing_keeps_the_two_feeling_ratings_and_no_words(voicecare: Voicecare, tmp_path: Path) -> None:
    config, data = config_for(tmp_path)
    voicecare(config, "reframe", typed="\n".join(WALK_THROUGH) + "\n")
    record = only_record(data)
    assert (record.kind, record.status) == ("reframing", "complete")
    assert record.exercise == ExerciseRecord(None, None, "finished", record.exercise.session_s, 7, 4)
    dump = "\n".join(sqlite3.connect(data / DATABASE_NAME).iterdump())
    for words in ("twinged", "never get better", "Worried", "friend"):
        assert words not in dump


@pytest.mark.parametrize(
    ("typed", "ending"),
    [
        ("My back hurts when I sit.\nstop\n", "stopped"),
        ("My legs are numb\nno\n", "warning_sign"),
        ("I want to end it\nyes\n", "self_harm_stop"),
        ("pause\n", "input_ended"),
    ],
)
def test_each_way_a_reframing_can_end_is_kept(
    voicecare: Voicecare, tmp_path: Path, typed: str, ending: str
) -> None:
    config, data = config_for(tmp_path)
    voicecare(config, "reframe", typed=typed)
    record = only_record(data)
    assert (record.kind, record.status) == ("reframing", "incomplete")
    assert record.exercise is not None and record.exercise.ending == ending
    assert (record.exercise.rating_before, record.exercise.rating_after) == (None, None)
    dump = "\n".join(sqlite3.connect(data / DATABASE_NAME).iterdump())
    assert "end it" not in dump and "numb" not in dump


def test_breathing_keeps_its_minutes_and_the_default_when_none_are_given(
    voicecare: Voicecare, tmp_path: Path
) -> None:
    config, data = config_for(tmp_path)
    voicecare(config, "breathe", "--minutes", "1")
    voicecare(config, "breathe")
    store = RecordStore(data)
    runs = [(s.kind, s.exercise) for s in store.sessions()]
    store.close()
    default = default_scripts().breathing.default_minutes
    assert [(kind, e.groups, e.minutes, e.ending) for kind, e in runs if e is not None] == [
        ("breathing", None, 1, "finished"),
        ("breathing", None, default, "finished"),
    ]


def test_an_exercise_chosen_in_the_hands_free_session_is_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config, data = config_for(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("relax my muscles\ngoodbye\n"))
    assert main(["session", "--text", "--json", "--groups", "4", "--config", str(config)]) == 0
    capsys.readouterr()
    record = only_record(data)
    assert (record.kind, record.status) == ("relaxation", "complete")
    assert record.exercise is not None and (record.exercise.groups, record.exercise.ending) == (4, "finished")


def test_the_demo_path_keeps_nothing_even_when_saving_is_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = settings_without_config(data_dir=data, save=True)
    channel = TextChannel(io.StringIO("relax my muscles\ngoodbye\n"), io.StringIO())
    session = Session(SessionIO(channel, NullSink(), settings, io.StringIO()), settings, True, keep=False)
    HandsFree(session, relax_groups=4).run()
    assert not data.exists()


def test_a_killed_exercise_is_incomplete_with_no_ending_and_old_files_open_as_they_are(
    tmp_path: Path,
) -> None:
    old = sqlite3.connect(tmp_path / DATABASE_NAME)
    old.executescript(
        """
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL,
            finished_at TEXT, status TEXT NOT NULL, disposition TEXT, reasons TEXT NOT NULL DEFAULT '[]',
            possible TEXT NOT NULL DEFAULT '[]', pid INTEGER NOT NULL);
        INSERT INTO sessions (kind, started_at, status, disposition, pid)
            VALUES ('screening', '2026-01-01T00:00:00+00:00', 'complete', 'self_care', 1);
        """
    )
    old.close()
    store = RecordStore(tmp_path)
    store.start_exercise("breathing", None, 5).abandon()
    screening, breathing = store.sessions()
    assert (screening.kind, screening.disposition, screening.exercise) == ("screening", "self_care", None)
    assert (breathing.kind, breathing.status) == ("breathing", "incomplete")
    assert breathing.exercise == ExerciseRecord(None, 5)
