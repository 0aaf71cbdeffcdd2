"""Tier 2: ``voicecare screen``: --json events, bad input, and the session record.

The same replies given to the dialogue in-process and typed to ``voicecare screen --text --json`` must give
the same questions, read-backs and outcome in the same order. The command runs in-process through
``main()`` (stdin and stdout replaced); only two tests start a real process: one proves the JSON wiring end
to end (events on a pipe, flushed as they happen), one that a killed process leaves its record incomplete.
"""

import functools
import io
import json
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

from tests.dialogues.test_screening_dialogue import CASES, Case
from tests.support.screening_people import Person, Screened, screen, transcript
from voicecare.cli.main import main
from voicecare.content.reader import CONTENT_DIR
from voicecare.dialogue.events import AskEvent, CueEvent, EndEvent, HeardEvent, OutcomeEvent, SayEvent
from voicecare.records import RecordStore

VOICECARE = [sys.executable, "-m", "voicecare.cli.main", "screen"]
EVENT_TYPES = {kind.type for kind in (AskEvent, SayEvent, HeardEvent, OutcomeEvent, CueEvent, EndEvent)}
"""Every ``type`` a JSON event line may have."""
EVENT_DEADLINE_S = 60.0
"""Only a guard against a hung process, never a measure of speed."""

PEOPLE = {
    "emergency": Person({"bladder_change.starting": "yes"}),
    "urgent": Person({"age": "seventy", "night_pain.wakes": "yes"}),
    "soon": Person({"one_leg_sciatica": "yes", "pregnant": "no"}),
    "self_care": Person({}),
}


def typed(replies: list[str]) -> str:
    return "".join(reply + "\n" for reply in replies)


@dataclass(frozen=True)
class Done:
    """How a run of ``voicecare screen`` ended: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


class ScreenCommand:
    """``voicecare screen`` run in-process through ``main()``, stdin, stdout and stderr replaced."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self._monkeypatch, self._capsys = monkeypatch, capsys

    def __call__(
        self, replies: list[str], *options: str, text: bool = True, stdin: TextIO | None = None
    ) -> Done:
        """``voicecare screen --text``, ``replies`` typed one a line then end of input (or ``stdin``)."""
        self._monkeypatch.setattr("sys.stdin", io.StringIO(typed(replies)) if stdin is None else stdin)
        self._capsys.readouterr()
        code = main(["screen", *(["--text"] if text else []), *options])
        out, err = self._capsys.readouterr()
        return Done(code, out, err)


@pytest.fixture
def run_screen(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> ScreenCommand:
    return ScreenCommand(monkeypatch, capsys)


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


@functools.cache
def screened(who: str) -> Screened:
    """The screening of ``PEOPLE[who]`` run in-process, once per test session."""
    return screen(PEOPLE[who])


def assert_the_same_dialogue(done: Done, who: str) -> None:
    """``done`` is ``voicecare screen --text --json`` given the replies of ``PEOPLE[who]``."""
    in_process = screened(who)
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert shared_from_json(events) == transcript(in_process.events)
    assert [e["type"] for e in events].count("outcome") == 1
    assert events[-1] == {"type": "end"}
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] == who
    assert in_process.asks[0].text in done.stderr, "questions are printed on stderr under --json"


@pytest.mark.parametrize("who", list(PEOPLE))
def test_json_gives_the_same_dialogue_as_text_mode(run_screen: ScreenCommand, who: str) -> None:
    done = run_screen(screened(who).replies, "--json", "--no-save")
    assert_the_same_dialogue(done, who)


def test_a_real_process_flushes_each_json_event_as_it_happens_and_gives_the_same_dialogue(
    tmp_path: Path,
) -> None:
    """The one test of the JSON wiring as a separate process: ``voicecare screen --text --json`` on pipes.
    Each question is on stdout before its reply is typed, and the whole run gives the in-process dialogue."""
    replies = screened("urgent").replies
    assert replies[0] == "no"
    errors = tmp_path / "stderr.txt"
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [*VOICECARE, "--text", "--json", "--no-save"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as process,
    ):
        assert process.stdin is not None and process.stdout is not None
        events = EventReader(process)
        first_ask = events.until(lambda e: e["type"] == "ask")
        assert first_ask["id"] == "cancer_history.ever_or_testing", (
            "the question is on stdout before any reply"
        )
        process.stdin.write("no\n")
        process.stdin.flush()
        assert events.until(lambda e: e["type"] == "ask")["id"] == "age"
        process.stdin.write(typed(replies[1:]))
        process.stdin.close()
        assert process.wait(timeout=120) == 0
        stdout = "".join(json.dumps(event) + "\n" for event in events.to_the_end())
    assert_the_same_dialogue(Done(0, stdout, errors.read_text()), "urgent")


def test_json_ask_events_name_their_finding_kind_and_read_back(run_screen: ScreenCommand) -> None:
    done = run_screen(screened("urgent").replies, "--json", "--no-save")
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


def test_the_outcome_comes_as_soon_as_it_is_decided_then_the_advice(run_screen: ScreenCommand) -> None:
    done = run_screen(screened("self_care").replies, "--json", "--no-save")
    events = json_events(done.stdout)
    at = next(i for i, e in enumerate(events) if e["type"] == "outcome")
    assert events[at]["disposition"] == "self_care"
    after = events[at + 1 :]
    assert any(e["type"] == "ask" for e in after), "the context questions follow the outcome"
    assert {"type": "say", "text": "Here are some things that can help."} in after


@pytest.mark.parametrize("replies", [[], ["no", "no"], ["no", "no", "fifty", "yes", "no", "yes"]])
def test_end_of_input_still_gives_an_outcome_then_end(run_screen: ScreenCommand, replies: list[str]) -> None:
    done = run_screen(replies, "--json", "--no-save")
    assert done.returncode == 0
    events = json_events(done.stdout)
    types = [e["type"] for e in events]
    assert types.count("outcome") == 1 and types[-1] == "end"
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] in ("urgent", "emergency")


class EventReader:
    """Reads a running voicecare's stdout on a thread, one JSON event a line, as each is written."""

    def __init__(self, process: "subprocess.Popen[str]") -> None:
        assert process.stdout is not None
        self.events: list[dict[str, Any]] = []
        """Every event read so far, in order."""
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(process.stdout,), daemon=True).start()

    def _pump(self, stdout: TextIO) -> None:
        for line in stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _next(self) -> dict[str, Any] | None:
        try:
            line = self._lines.get(timeout=EVENT_DEADLINE_S)
        except queue.Empty:
            raise AssertionError("no event arrived: stdout is not flushed") from None
        if line is None:
            return None
        event = json.loads(line)
        assert isinstance(event, dict) and "type" in event, line
        self.events.append(event)
        return event

    def until(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The next event for which ``wanted`` is true (earlier ones are passed over)."""
        while (event := self._next()) is not None:
            if wanted(event):
                return event
        raise AssertionError("stdout ended before the event looked for")

    def to_the_end(self) -> list[dict[str, Any]]:
        """Every event, read to the end of stdout."""
        while self._next() is not None:
            pass
        return self.events


def _one_line_error(done: Done) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("voicecare: "), done.stderr
    assert "Traceback" not in done.stderr
    if done.stdout.strip():
        events = json_events(done.stdout)
        assert {event["type"] for event in events} <= EVENT_TYPES, done.stdout
        assert events[-1] == {"type": "end"}, done.stdout
    return lines[0]


@pytest.mark.parametrize("tape_option", ["--audio-in", "--audio-out"])
def test_text_with_a_tape_exits_2_with_one_line(
    run_screen: ScreenCommand, tape_option: str, tmp_path: Path
) -> None:
    line = _one_line_error(run_screen([], tape_option, str(tmp_path / "tape.wav"), "--no-save"))
    assert "--text" in line and tape_option in line


def test_a_missing_tape_exits_2_with_one_line(run_screen: ScreenCommand, tmp_path: Path) -> None:
    line = _one_line_error(run_screen([], "--audio-in", str(tmp_path / "none.wav"), "--no-save", text=False))
    assert "none.wav" in line


def test_an_unreadable_tape_exits_2_with_one_line(run_screen: ScreenCommand, tmp_path: Path) -> None:
    tape = tmp_path / "answers.wav"
    tape.write_text("these are not samples")
    line = _one_line_error(
        run_screen([], "--audio-in", str(tape), "--audio-out", str(tmp_path / "o.wav"), text=False)
    )
    assert "answers.wav" in line


def test_an_unknown_region_exits_2_with_one_line(run_screen: ScreenCommand) -> None:
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
    run_screen: ScreenCommand, tmp_path: Path, name: str, old: str, new: str, key: str
) -> None:
    config = _content_copy(tmp_path, name, old, new)
    line = _one_line_error(run_screen(["no"], "--config", str(config)))
    assert name in line and key in line


def test_an_intact_content_folder_copy_is_used(run_screen: ScreenCommand, tmp_path: Path) -> None:
    config = _content_copy(
        tmp_path,
        "findings.toml",
        "Have you lost weight without trying?",
        "Have you lost weight without meaning to?",
    )
    done = run_screen(screened("self_care").replies, "--config", str(config), "--json", "--no-save")
    assert done.returncode == 0, done.stderr
    asked = [e["text"] for e in json_events(done.stdout) if e["type"] == "ask"]
    assert "Have you lost weight without meaning to?" in asked


def _records_config(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{data}"\n')
    return config, data


def test_a_completed_screening_is_saved_whole(run_screen: ScreenCommand, tmp_path: Path) -> None:
    config, data = _records_config(tmp_path)
    person = screened("urgent")
    done = run_screen(person.replies, "--config", str(config), "--person", "Ann")
    assert done.returncode == 0, done.stderr
    (record,) = RecordStore(data).sessions()
    assert record.status == "complete"
    # at 70, night pain is also the aneurysm's persistent pain, and the age its risk (version 2)
    assert record.disposition == "urgent" and record.reasons == ["night_pain", "aneurysm_risk"]
    answered = [question for question, _, _ in record.answers]
    asked = [a.id for a in person.asks if not a.readback]
    assert answered == list(dict.fromkeys(asked)), "every question answered is recorded, in order"
    assert ("age", "age", "70") in record.answers


def test_no_save_keeps_nothing(run_screen: ScreenCommand, tmp_path: Path) -> None:
    config, data = _records_config(tmp_path)
    done = run_screen(screened("urgent").replies, "--config", str(config), "--no-save")
    assert done.returncode == 0
    assert not data.exists() or not any(data.iterdir())


INTERRUPTED_ANSWERS = [("cancer_history.ever_or_testing", "cancer_history", "no")]
"""What is kept of a screening stopped at the read-back of the age: the answers given before it."""


def test_a_killed_screening_process_is_marked_incomplete(tmp_path: Path) -> None:
    """A real process killed outright (none of its code runs on): its record is found unfinished later."""
    config, data = _records_config(tmp_path)
    with subprocess.Popen(
        [*VOICECARE, "--text", "--json", "--config", str(config), "--person", "Ann"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdin is not None
        events = EventReader(process)
        for reply in ("no", "forty"):
            events.until(lambda e: e["type"] == "ask")
            process.stdin.write(reply + "\n")
            process.stdin.flush()
        events.until(lambda e: e["type"] == "ask" and e["id"] == "age.readback")
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=60)
    assert code == -signal.SIGKILL
    (record,) = RecordStore(data).sessions()
    assert record.status == "incomplete"
    assert record.disposition is None
    assert record.answers == INTERRUPTED_ANSWERS


class CtrlCAfterTyping(io.StringIO):
    """Typed lines, then Ctrl-C (``KeyboardInterrupt``, as Python turns SIGINT) while the next is awaited."""

    def readline(self, size: int | None = -1) -> str:
        line = super().readline(size)
        if line == "":
            raise KeyboardInterrupt
        return line


def test_ctrl_c_marks_the_screening_incomplete_and_still_ends_with_end(
    run_screen: ScreenCommand, tmp_path: Path
) -> None:
    config, data = _records_config(tmp_path)
    replies = ["no", "forty"]
    done = run_screen(
        [], "--json", "--config", str(config), "--person", "Ann", stdin=CtrlCAfterTyping(typed(replies))
    )
    assert done.returncode == 130
    assert done.stderr.strip().splitlines()[-1] == "voicecare: stopped."
    events = json_events(done.stdout)
    asks = [e["id"] for e in events if e["type"] == "ask"]
    assert len(asks) == len(replies) + 1 and asks[-1] == "age.readback", "stopped at the read-back"
    last_ask = max(i for i, e in enumerate(events) if e["type"] == "ask")
    assert events[last_ask + 1 :] == [{"type": "end"}], "Ctrl-C still ends with end"
    (record,) = RecordStore(data).sessions()
    assert record.status == "incomplete"
    assert record.disposition is None
    assert record.answers == INTERRUPTED_ANSWERS


EMERGENCIES = [case for case in CASES if case.disposition == "emergency"]


@pytest.mark.parametrize("case", EMERGENCIES, ids=[case.name for case in EMERGENCIES])
def test_every_emergency_case_is_an_emergency_under_json_too(run_screen: ScreenCommand, case: Case) -> None:
    in_process = screen(Person(case.replies))
    done = run_screen(in_process.replies, "--json", "--no-save")
    assert done.returncode == 0, done.stderr
    events = json_events(done.stdout)
    assert shared_from_json(events) == transcript(in_process.events)
    assert next(e for e in events if e["type"] == "outcome")["disposition"] == "emergency"


def test_the_startback_questions_follow_the_advice_under_json(run_screen: ScreenCommand) -> None:
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
