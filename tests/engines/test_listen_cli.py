"""Tier 3: ``voicecare listen`` on real recordings, and every bad input as one line with exit code 2.

The commands run in-process through ``main()`` (stdout and stderr captured), except where the sound devices
must be another environment's: a real ``python -m voicecare`` process then sees the virtual devices."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import DATA
from voicecare.audio.pcm import silence
from voicecare.audio.wav_files import read_wav, write_wav
from voicecare.cli.main import build_parser, main
from voicecare.simulation.virtual_audio import VirtualAudio


@dataclass(frozen=True)
class Done:
    """How a run of the CLI ended: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


class Voicecare:
    """The CLI run in-process through ``main()``, stdout and stderr captured."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys

    def __call__(self, *args: str) -> Done:
        self._capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        out, err = self._capsys.readouterr()
        return Done(code, out, err)


@pytest.fixture
def voicecare(capsys: pytest.CaptureFixture[str]) -> Voicecare:
    return Voicecare(capsys)


def voicecare_process(*args: str, env: dict[str, str] | None = None) -> Done:
    """``python -m voicecare`` as a real process."""
    done = subprocess.run(
        [sys.executable, "-m", "voicecare", *args], capture_output=True, text=True, timeout=120, env=env
    )
    return Done(done.returncode, done.stdout, done.stderr)


def assert_one_line_error(result: Done, *named: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in named:
        assert word in lines[0], lines[0]


@pytest.fixture(scope="module")
def answers_tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tape of real human answers apart by silence: yes, then no."""
    path = tmp_path_factory.mktemp("tapes") / "yes_no.wav"
    yes, no = read_wav(DATA / "yes_1000ms.wav"), read_wav(DATA / "no_1000ms.wav")
    write_wav(path, silence(0.5) + yes + silence(1.5) + no + silence(1.5))
    return path


def test_each_utterance_on_a_tape_is_printed_in_order_as_json(
    voicecare: Voicecare, answers_tape: Path
) -> None:
    result = voicecare("listen", "--audio-in", str(answers_tape), "--phrases", "yes,no,not sure", "--json")
    assert result.returncode == 0, result.stderr
    heard = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["text"] for h in heard] == ["yes", "no"]
    assert all(not h["rejected"] and 0.0 <= h["confidence"] <= 1.0 for h in heard)
    assert "engine: pocketsphinx" in result.stderr


def test_plain_output_is_one_line_an_utterance(voicecare: Voicecare, answers_tape: Path) -> None:
    result = voicecare("listen", "--audio-in", str(answers_tape), "--phrases", "yes,no")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and "yes" in lines[0] and "no" in lines[1]


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda p: None, "no audio file"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_text("this is not audio\n" * 20), "not a WAV"),
        (lambda p: p.write_bytes((DATA / "yes_1000ms.wav").read_bytes()[:20000]), "truncated"),
    ],
    ids=["missing", "empty", "text", "truncated"],
)
def test_a_bad_tape_is_one_line_with_exit_code_2(
    voicecare: Voicecare, tmp_path: Path, make: object, named: str
) -> None:
    tape = tmp_path / "answers.wav"
    assert callable(make)
    make(tape)
    assert_one_line_error(voicecare("listen", "--audio-in", str(tape)), named)


def test_flac_is_refused_with_how_to_convert(voicecare: Voicecare) -> None:
    result = voicecare("listen", "--audio-in", str(DATA / "formats" / "audio-mono-16-bit-44100Hz.flac"))
    assert_one_line_error(result, "sox")


def test_an_unknown_engine_is_named(voicecare: Voicecare) -> None:
    result = voicecare("listen", "--audio-in", str(DATA / "yes_1000ms.wav"), "--engine", "whisper")
    assert_one_line_error(result, "whisper", "pocketsphinx")


def test_a_folder_that_is_not_a_model_is_named(voicecare: Voicecare, tmp_path: Path) -> None:
    (tmp_path / "README").write_text("not a model")
    result = voicecare("listen", "--audio-in", str(DATA / "yes_1000ms.wav"), "--model", str(tmp_path))
    assert_one_line_error(result, "not a Vosk model")


def test_an_unknown_voice_is_named(voicecare: Voicecare, tmp_path: Path) -> None:
    assert_one_line_error(
        voicecare("say", "hi", "--audio-out", str(tmp_path / "x.wav"), "--voice", "no-such-voice"),
        "no-such-voice",
    )


@pytest.mark.usefixtures("no_sound_devices")
def test_no_sound_device_is_one_line_naming_the_fix(voicecare: Voicecare) -> None:
    assert_one_line_error(voicecare("listen"), "no sound devices", "--audio-in")


def test_an_unknown_region_is_one_line(voicecare: Voicecare) -> None:
    assert_one_line_error(voicecare("screen", "--text", "--region", "mars"), "mars")


def test_a_broken_config_is_one_line(voicecare: Voicecare, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("rate_wpm = = 3\n")
    assert_one_line_error(voicecare("screen", "--text", "--config", str(config)), "not valid TOML")


def test_listen_takes_the_input_device_flag_of_the_dialogue_commands() -> None:
    parser = build_parser()
    assert parser.parse_args(["listen", "--input-device", "vc_mic"]).input_device == "vc_mic"
    assert parser.parse_args(["listen", "--device", "3"]).input_device == "3"
    assert parser.parse_args(["listen"]).input_device is None


def test_an_unknown_input_device_is_one_line_naming_it_and_the_fix(virtual_audio: VirtualAudio) -> None:
    result = voicecare_process("listen", "--input-device", "no-such-microphone", env=virtual_audio.env)
    assert_one_line_error(result, "no input device is called 'no-such-microphone'", "voicecare devices")
