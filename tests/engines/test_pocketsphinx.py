"""Tier 3: the pocketsphinx recogniser on real recordings and espeak-ng speech."""

from pathlib import Path

import pytest

from tests.conftest import DATA
from voicecare.audio.pcm import silence, split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.dialogue.prompt import Prompt
from voicecare.errors import EngineError
from voicecare.recognition.grammar import GrammarSpec, accent_variants, build_jsgf, normalise_phrase
from voicecare.recognition.listening import listen
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak
from voicecare.understanding.turn_understanding import TurnUnderstanding

YES_NO = ["yes", "no", "not sure", "help", "repeat", "stop"]


@pytest.fixture(scope="module")
def recognizer() -> PocketsphinxRecognizer:
    return PocketsphinxRecognizer.load()


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> EspeakSpeech:
    require_espeak()
    return EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")


def decode(recognizer: PocketsphinxRecognizer, pcm: bytes, phrases: list[str]) -> Heard:
    session = recognizer.open(phrases)
    for chunk in split_chunks(pcm):
        session.feed(chunk)
    return session.finish()


def recording(name: str) -> bytes:
    return read_wav(Path(DATA) / name)


def test_load_is_shared_and_named(recognizer: PocketsphinxRecognizer) -> None:
    assert PocketsphinxRecognizer.load() is recognizer
    assert recognizer.name == "pocketsphinx"


@pytest.mark.parametrize(("name", "expected"), [("yes_1000ms.wav", "yes"), ("no_1000ms.wav", "no")])
def test_real_yes_and_no_recordings(recognizer: PocketsphinxRecognizer, name: str, expected: str) -> None:
    heard = decode(recognizer, recording(name), YES_NO)
    assert heard.accepted and heard.text == expected
    assert 0.0 < heard.confidence <= 1.0


@pytest.mark.parametrize("name", ["noise_1000ms.wav", "silence_1000ms.wav"])
def test_noise_and_silence_are_never_yes_or_no(recognizer: PocketsphinxRecognizer, name: str) -> None:
    heard = decode(recognizer, recording(name), YES_NO)
    assert heard.text not in {"yes", "no"}
    assert not heard.accepted


@pytest.mark.parametrize("name", ["noise_1000ms.wav", "silence_1000ms.wav"])
def test_listen_on_noise_and_silence_hears_nothing(recognizer: PocketsphinxRecognizer, name: str) -> None:
    pcm = silence(0.5) + recording(name) + silence(1.0)
    heard = listen(recognizer, split_chunks(pcm), YES_NO)
    assert not heard.accepted


def test_listen_finds_the_answer_between_silences(recognizer: PocketsphinxRecognizer) -> None:
    pcm = silence(1.0) + recording("yes_1000ms.wav") + silence(1.5)
    heard = listen(recognizer, split_chunks(pcm), YES_NO)
    assert heard.accepted and heard.text == "yes"
    assert heard.start_s >= 0.9


@pytest.mark.parametrize(
    "sentence", ["the weather is lovely today", "my back hurts a lot", "what time is it"]
)
def test_out_of_grammar_speech_is_never_heard_surely(
    recognizer: PocketsphinxRecognizer, speech: EspeakSpeech, sentence: str
) -> None:
    """Rejected, or accepted below ``SURE_CONFIDENCE``: never enough to be believed as a no or a command."""
    heard = decode(recognizer, speech.pcm(sentence, "en-us", 150), YES_NO)
    assert heard.rejected or heard.confidence < SURE_CONFIDENCE


def test_the_first_answer_after_loading_is_heard_like_the_next(speech: EspeakSpeech) -> None:
    """A cold pocketsphinx judged the first answer on other terms than the rest (this "no" at 0.40, then
    0.99); the recogniser warms its decoders up when it loads."""
    fresh = PocketsphinxRecognizer()
    said = silence(1.2) + speech.pcm("no", "en-us", 150) + silence(1.2)
    turn = TurnUnderstanding().phrases(Prompt("fever", "Have you felt feverish?"))
    first, second = (listen(fresh, split_chunks(said), turn) for _ in range(2))
    assert first.text == second.text == "no"
    assert first.confidence >= SURE_CONFIDENCE
    assert abs(first.confidence - second.confidence) < 0.1


def test_partial_results_appear_while_feeding(
    recognizer: PocketsphinxRecognizer, speech: EspeakSpeech
) -> None:
    pcm = speech.pcm("no i don't", "en-us", 140)
    session = recognizer.open(["yes", "no", "no i don't", "yes i do"])
    partials = [session.feed(chunk) for chunk in split_chunks(pcm)]
    heard = session.finish()
    assert any(partials[: len(partials) - 3]), partials
    assert heard.text == "no i don't"


def test_a_cancelled_session_gives_nothing(recognizer: PocketsphinxRecognizer) -> None:
    session = recognizer.open(YES_NO)
    for chunk in split_chunks(recording("yes_1000ms.wav")):
        session.feed(chunk)
    session.cancel()
    assert session.feed(bytes(3200)) == ""
    assert session.finish() == Heard("", 0.0)
    assert decode(recognizer, recording("no_1000ms.wav"), YES_NO).text == "no"


def test_opening_a_new_session_abandons_the_old_one(recognizer: PocketsphinxRecognizer) -> None:
    first = recognizer.open(YES_NO)
    first.feed(recording("yes_1000ms.wav")[:6400])
    assert decode(recognizer, recording("no_1000ms.wav"), YES_NO).text == "no"
    assert first.finish() == Heard("", 0.0)


def test_an_unknown_word_names_itself(recognizer: PocketsphinxRecognizer) -> None:
    with pytest.raises(EngineError, match="zzyzxq"):
        recognizer.open(["yes", "zzyzxq"])


def test_phrases_are_normalised() -> None:
    assert normalise_phrase("  No, I Don\u2019t! ") == "no i don't"
    with pytest.raises(EngineError):
        normalise_phrase(" ?! ")


def test_accent_variants_cover_non_rhotic_and_bath_vowels() -> None:
    assert "F AA S T AH" in accent_variants("F AE S T ER")
    assert "F AO" in accent_variants("F AO R")
    assert accent_variants("Y EH S") == []


def test_jsgf_holds_every_phrase_and_the_garbage_loop() -> None:
    text = build_jsgf(GrammarSpec(("yes", "no i don't"), garbage_weight=1e-5))
    assert "( no i don't )" in text and "( yes )" in text
    assert "garbage_s" in text and "/1e-05/" in text


def test_ending_early_does_not_change_what_is_heard(speech: EspeakSpeech) -> None:
    """The final pass runs once ``Tuning.tail_s`` of silence has followed the speech, so an utterance
    ended early (a complete phrase) and one that waits out the hangover give the very same result."""
    pcm = silence(0.5) + speech.pcm("not sure", "en-us", 150) + silence(1.0)
    results = []
    for early_end_s in (0.2, None):
        recognizer = PocketsphinxRecognizer()
        heard = listen(recognizer, split_chunks(pcm), YES_NO, early_end_s=early_end_s)
        results.append((heard.text, heard.confidence, heard.end_s))
    assert results[0][:2] == results[1][:2]
    assert results[0][0] == "not sure"


def test_speech_after_a_pause_is_decoded_with_what_came_before(speech: EspeakSpeech) -> None:
    """A final pass done in a short pause is dropped when speech follows: "no", a pause, "i haven't"."""
    phrases = [*YES_NO, "no i haven't"]
    pcm = silence(0.5) + speech.pcm("no", "en-us", 150) + silence(0.15)
    pcm += speech.pcm("i haven't", "en-us", 150) + silence(1.0)
    heard = listen(PocketsphinxRecognizer(), split_chunks(pcm), phrases, early_end_s=None)
    assert heard.text == "no i haven't"
