"""Tier 2: the hands-free session's menu in text mode, through the real CLI entry point."""

import io
import json
from pathlib import Path

import pytest

from voicecare.cli.main import main


def run_session(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: list[str], *flags: str
) -> list[dict[str, object]]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in typed)))
    assert main(["session", "--text", "--json", "--groups", "4", *flags]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def said(events: list[dict[str, object]]) -> list[str]:
    return [str(e["text"]) for e in events if e["type"] in ("say", "ask")]


def no_warning_signs(age: str = "42") -> list[str]:
    """Answers for a person with no warning signs: no to everything, the age read back as right."""
    return ["no", "no", age, "yes", *["no"] * 80]


def test_the_menu_offers_each_activity_and_goodbye_ends_with_end(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = run_session(monkeypatch, capsys, ["goodbye"], "--config", str(tmp_path / "c.toml"))
    texts = said(events)
    assert texts[0].startswith("Hello, I'm voicecare")
    assert "check my back" in texts[1] and "relax my muscles" in texts[1] and "breathing" in texts[1]
    assert texts[-1].startswith("Goodbye")
    assert events[-1] == {"type": "end"}


def test_voicecare_with_options_and_no_command_is_the_session(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("goodbye\n"))
    assert main(["--text", "--json", "--no-save", "--config", str(tmp_path / "c.toml")]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert said(events)[0].startswith("Hello, I'm voicecare")
    assert events[-1] == {"type": "end"}


def test_a_relaxation_chosen_from_the_menu_is_narrated_with_its_cues(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = run_session(
        monkeypatch,
        capsys,
        ["relax my muscles", "goodbye"],
        "--config",
        str(tmp_path / "c.toml"),
        "--no-save",
    )
    cues = [e for e in events if e["type"] == "cue"]
    assert [c["cue"] for c in cues[:2]] == ["tense", "release"]
    assert len({c["group"] for c in cues}) == 4


def test_after_a_self_care_outcome_exercises_are_offered(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typed = ["check my back", "no", "no", "42", "yes", "no", "no", "no"]
    events = run_session(
        monkeypatch, capsys, typed + ["no"] * 80, "--config", str(tmp_path / "c.toml"), "--no-save"
    )
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] in ("self_care", "soon")
    assert any("guide you through an exercise now" in t for t in said(events))


def replies_used_by_screening(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: list[str]
) -> list[str]:
    """The prefix of ``typed`` that a screening consumes (one heard event per line read)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in typed)))
    assert main(["screen", "--text", "--json", "--no-save"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return typed[: sum(1 for e in events if e["type"] == "heard")]


def test_exercises_are_refused_after_an_urgent_outcome(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cancer_history = replies_used_by_screening(
        monkeypatch, capsys, ["yes", "yes", "52", "yes"] + ["no"] * 100
    )
    typed = ["check my back", *cancer_history, "relax my muscles", "goodbye"]
    events = run_session(monkeypatch, capsys, typed, "--config", str(tmp_path / "c.toml"), "--no-save")
    assert next(e for e in events if e["type"] == "outcome")["disposition"] == "urgent"
    texts = said(events)
    assert not any("guide you through an exercise now" in t for t in texts)
    assert any(t.startswith("Because of what you told me, please get medical help first") for t in texts)
    assert not any(e["type"] == "cue" for e in events)
    assert texts[-1].startswith("Goodbye")


def test_a_screening_started_by_a_warning_sign_in_an_exercise_counts_like_one_from_the_menu(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cancer_history = replies_used_by_screening(
        monkeypatch, capsys, ["yes", "yes", "52", "yes"] + ["no"] * 100
    )
    typed = ["work on a worrying thought", "my legs are numb", "yes", *cancer_history, "relax my muscles"]
    events = run_session(monkeypatch, capsys, typed, "--config", str(tmp_path / "c.toml"), "--no-save")
    assert next(e for e in events if e["type"] == "outcome")["disposition"] == "urgent"
    texts = said(events)
    assert any(t.startswith("Because of what you told me, please get medical help first") for t in texts)
    assert not any(e["type"] == "cue" for e in events)


def test_an_emergency_found_after_a_warning_sign_in_an_exercise_ends_the_session(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saddle = replies_used_by_screening(
        monkeypatch, capsys, ["no", "no", "42", "yes", "yes", "yes"] + ["no"] * 10
    )
    typed = ["work on a worrying thought", "my legs are numb", "yes", *saddle, "relax my muscles"]
    events = run_session(monkeypatch, capsys, typed, "--config", str(tmp_path / "c.toml"), "--no-save")
    assert next(e for e in events if e["type"] == "outcome")["disposition"] == "emergency"
    texts = said(events)
    assert len([t for t in texts if t.startswith("Call 911 now")]) == 2
    assert not any(t.startswith("What would you like to do next") for t in texts)
    assert not any(e["type"] == "cue" for e in events)


def test_after_the_crisis_message_in_an_exercise_the_session_does_not_go_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typed = ["work on a worrying thought", "I want to kill myself", "yes", "relax my muscles"]
    events = run_session(monkeypatch, capsys, typed, "--config", str(tmp_path / "c.toml"), "--no-save")
    texts = said(events)
    crisis = [t for t in texts if t.startswith("If you are in immediate danger")]
    assert len(crisis) == 2
    assert texts[-1] == crisis[-1]
    assert not any(e["type"] == "cue" for e in events)
    assert events[-1] == {"type": "end"}


def test_a_content_folder_that_does_not_exist_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'content_dir = "{tmp_path / "absent"}"\n')
    monkeypatch.setattr("sys.stdin", io.StringIO("goodbye\n"))
    assert main(["session", "--text", "--config", str(config)]) == 2
    assert capsys.readouterr().err.strip().startswith("voicecare: content folder")


def test_a_preferences_file_that_cannot_be_written_is_said_once_and_the_session_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    monkeypatch.setattr("sys.stdin", io.StringIO("speak slower\nspeak slower\ngoodbye\n"))
    assert main(["session", "--text", "--json", "--config", str(a_file / "config.toml")]) == 0
    out, err = capsys.readouterr()
    assert err.count("cannot write the config file") == 1
    assert json.loads(out.splitlines()[-1]) == {"type": "end"}


def test_an_emergency_ends_the_session_after_its_message_twice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saddle = replies_used_by_screening(
        monkeypatch, capsys, ["no", "no", "42", "yes", "yes", "yes"] + ["no"] * 10
    )
    typed = ["check my back", *saddle, "relax my muscles", "goodbye"]
    events = run_session(monkeypatch, capsys, typed, "--config", str(tmp_path / "c.toml"), "--no-save")
    assert next(e for e in events if e["type"] == "outcome")["disposition"] == "emergency"
    texts = said(events)
    call_now = [t for t in texts if t.startswith("Call 911 now")]
    assert len(call_now) == 2
    assert not any(e["type"] == "cue" for e in events)
    assert events[-1] == {"type": "end"}


def test_speak_slower_is_remembered_in_the_config_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("rate_wpm = 160\n")
    run_session(monkeypatch, capsys, ["speak slower", "goodbye"], "--config", str(config))
    assert "rate_wpm = 133" in config.read_text()


def test_no_save_remembers_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    run_session(monkeypatch, capsys, ["speak slower", "goodbye"], "--config", str(config), "--no-save")
    assert not config.exists()
