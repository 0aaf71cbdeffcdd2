"""Tier 2: ``voicecare home`` typed (``--text``, the wake phrase typed) through the real CLI entry point:
waking, the menu, back to waiting, settings by voice remembered, muting, people, the phrases listed,
bad configuration, and the service's unit written and removed."""

import io
import json
from pathlib import Path

import pytest

from voicecare.cli.main import main
from voicecare.home import service
from voicecare.settings import load_settings


def run_home(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: list[str], *flags: str
) -> list[dict[str, object]]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in typed)))
    assert main(["home", "--text", "--json", "--groups", "4", *flags]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def said(events: list[dict[str, object]]) -> list[str]:
    return [str(e["text"]) for e in events if e["type"] in ("say", "ask")]


def test_the_typed_wake_phrase_wakes_it_and_goodbye_goes_back_to_waiting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = str(tmp_path / "c.toml")
    events = run_home(
        monkeypatch, capsys, ["hello", "alexa", "goodbye", "alexa", "goodbye"], "--config", config
    )
    wakes = [e for e in events if e["type"] == "wake"]
    assert [w["phrase"] for w in wakes] == ["alexa", "alexa"]
    assert list(wakes[0]) == ["type", "t", "phrase"]
    texts = said(events)
    assert texts[0] == "Yes?"
    assert "louder" in texts[1] and "check my back" in texts[1].lower()
    assert texts[2].startswith("Goodbye")
    kinds = [str(e["type"]) for e in events]
    assert kinds[0] == "wake" and kinds.index("wake", 1) > kinds.index("end")


def test_no_wake_starts_at_once_and_the_wake_phrase_can_be_chosen(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    flags = ("--config", str(tmp_path / "c.toml"), "--wake-phrase", "hey jarvis")
    events = run_home(monkeypatch, capsys, ["goodbye", "alexa", "hey jarvis", "goodbye"], "--no-wake", *flags)
    assert said(events)[0] == "Yes?"
    assert [e["phrase"] for e in events if e["type"] == "wake"] == ["hey jarvis"]


def test_louder_quieter_and_volume_are_said_back_and_remembered(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    typed = [
        "alexa",
        "volume five",
        "alexa",
        "louder",
        "alexa",
        "quieter",
        "alexa",
        "quieter",
        "alexa",
        "slower",
    ]
    events = run_home(monkeypatch, capsys, [*typed, "goodbye"], "--config", str(config))
    texts = said(events)
    assert "Volume 5." in texts and "Louder, volume 6." in texts and "Quieter, volume 4." in texts
    settings = load_settings(config, environ={})
    assert settings.volume == pytest.approx(0.4)
    assert settings.rate_wpm < 160


def test_the_loudest_is_said_as_such(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = run_home(monkeypatch, capsys, ["alexa", "louder"], "--config", str(tmp_path / "c.toml"))
    assert "That is as loud as I go, volume 10." in said(events)


def test_stop_listening_mutes_for_the_time_chosen_and_says_how_to_undo_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = run_home(
        monkeypatch, capsys, ["alexa", "stop listening", "half an hour"], "--config", str(tmp_path / "c.toml")
    )
    texts = said(events)
    muted = next(t for t in texts if t.startswith("I'll stop listening"))
    assert "30 minutes" in muted and "switch me off and on again" in muted
    assert texts[-1].startswith("I'm listening again. Say alexa")


def test_nothing_is_said_unprompted_in_quiet_hours(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = run_home(
        monkeypatch,
        capsys,
        ["alexa", "stop listening", "ten minutes"],
        "--config",
        str(tmp_path / "c.toml"),
        "--quiet-hours",
        "00:00-23:59",
    )
    assert not any(t.startswith("I'm listening again") for t in said(events))


def test_this_is_sam_chooses_whose_records_and_who_am_i_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n')
    typed = ["alexa", "who am i", "alexa", "this is sam", "alexa", "who am i", "alexa", "i'm new", "ruth"]
    events = run_home(monkeypatch, capsys, [*typed, "alexa", "this is sam"], "--config", str(config))
    texts = said(events)
    assert texts[2].startswith("I don't know who you are yet")
    assert "Hello Sam. I've added you, and I'll keep your records separately." in texts
    assert "Yes, Sam?" in texts
    assert any(t.startswith("I'm speaking with Sam") for t in texts)
    assert "Hello Ruth. I've added you, and I'll keep your records separately." in texts
    assert texts[-1] == "Hello Sam. I'll use your records."
    from voicecare.records import RecordStore

    store = RecordStore(tmp_path / "data")
    try:
        assert [p.name for p in store.people()] == ["Sam", "Ruth"]
    finally:
        store.close()


def test_the_phrases_are_listed_one_a_line_default_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["home", "--list-phrases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "alexa" and "hey jarvis" in lines and "hey voice care" in lines


@pytest.mark.parametrize(
    ("config_text", "flags", "named"),
    [
        ('wake_phrase = "hey 2000"\n', [], "unknown wake phrase 'hey 2000'"),
        ("", ["--wake-model", "/nowhere/model.json"], "no wake model at /nowhere/model.json"),
        ('quiet_hours = "late"\n', [], "quiet_hours 'late'"),
    ],
)
def test_an_unknown_wake_phrase_or_model_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, config_text: str, flags: list[str], named: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(config_text)
    assert main(["home", "--text", "--config", str(config), *flags]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and named in err[0] and err[0].startswith("voicecare: ")


def test_install_writes_the_unit_and_uninstall_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = service.install(service.home_command(), enable=False)
    assert path == tmp_path / "systemd" / "user" / "voicecare-home.service"
    assert service.status().installed
    service.uninstall(disable=False)
    assert not path.exists()
    assert service.status().describe().startswith("voicecare home is not installed")


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here (Debian: apt-get install systemd)")
    unit = tmp_path / service.UNIT_NAME
    unit.write_text(service.unit_text(service.home_command(["--wake-phrase=alexa"])))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    done = subprocess.run(
        ["systemd-analyze", "verify", "--user", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""
