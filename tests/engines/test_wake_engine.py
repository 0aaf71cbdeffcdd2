"""Tier 3: the wake phrase engines on real speech: the pymicro-wakeword adapter gives the package's own
probabilities, hears its phrase once in clean speech (refractory period), and not in other words; the
pocketsphinx keyphrase adapter refuses words it does not know."""

from pathlib import Path

import pytest

from voicecare.audio.pcm import silence, split_chunks
from voicecare.errors import ConfigError
from voicecare.recognition.wake import (
    FRAME_BYTES,
    KeyphraseDetector,
    MicroWakeDetector,
    WakePhrase,
    load_wake_catalogue,
    open_detector,
    wake_phrase_for,
)
from voicecare.simulation.flite_speech import FliteSpeech


@pytest.fixture(scope="module")
def flite(tmp_path_factory: pytest.TempPathFactory) -> FliteSpeech:
    return FliteSpeech(tmp_path_factory.mktemp("flite"))


def test_the_adapter_gives_the_packages_own_probabilities(flite: FliteSpeech) -> None:
    from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures, Model

    pcm = silence(0.5) + flite.pcm("alexa", "rms") + silence(1.0)
    theirs, features = MicroWakeWord.from_builtin(Model.ALEXA), MicroWakeWordFeatures()
    expected = []
    for start in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES):
        for feature in features.process_streaming(pcm[start : start + FRAME_BYTES]):
            expected.append(theirs.process_streaming_prob(feature))
    ours = MicroWakeDetector(WakePhrase("alexa", "micro", 2.0, "alexa"))
    got = []
    for feature in ours._features.process_streaming(pcm):
        ours._pending.append(feature)
        if len(ours._pending) == ours._model.stride:
            got.append(ours._window_mean(ours._invoke()))
    assert max(got) > 0.9
    assert got == pytest.approx([p for i, p in enumerate(expected) if i % 3 == 2], abs=1e-6)


def test_a_phrase_is_detected_once_and_other_words_are_not(flite: FliteSpeech) -> None:
    catalogue = load_wake_catalogue()
    detector = open_detector(catalogue.default, catalogue.refractory_s)
    said = flite.pcm("alexa", "slt")
    other = flite.pcm("my back hurts when i bend down to tie my shoes in the morning", "slt")
    stream = silence(1.0) + said + silence(2.5) + other + silence(1.0)
    found = [d for d in map(detector.feed, split_chunks(stream)) if d is not None]
    assert len(found) == 1
    assert 1.0 < found[0].at_s < 1.0 + len(said) / 32000 + 0.5


def test_the_keyphrase_engine_hears_a_custom_phrase_and_refuses_unknown_words(flite: FliteSpeech) -> None:
    detector = KeyphraseDetector(wake_phrase_for("hey voice care"))
    stream = silence(1.0) + flite.pcm("hey voice care", "rms") + silence(1.5)
    assert any(detector.feed(chunk) for chunk in split_chunks(stream))
    with pytest.raises(ConfigError, match="pocketsphinx does not know"):
        KeyphraseDetector(wake_phrase_for("hey zorblax"))


def test_a_wake_model_named_by_its_json_file_loads(tmp_path: Path) -> None:
    import pymicro_wakeword

    json_file = Path(pymicro_wakeword.__file__).parent / "models" / "okay_nabu.json"
    phrase = wake_phrase_for(None, str(json_file))
    assert (phrase.engine, phrase.phrase, phrase.threshold) == ("micro", "okay nabu", 0.85)
    MicroWakeDetector(phrase).close()
