"""The real pyttsx3/espeak-ng synthesiser writing real audio (tier 3)."""

import shutil
import subprocess
import wave
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, SAMPLE_WIDTH, duration_s
from voicecare.errors import ConfigError, VoiceNotFound
from voicecare.speech.output import speak_to_wav
from voicecare.speech.ports import SpeechSettings, Synthesizer
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer, wav_is_whole
from voicecare.speech.sentences import split_for_speech

SHORT = "Does the pain go down your leg?"
LONG = (
    "Back pain is very common and usually gets better on its own within a few weeks. "
    "Keep moving as much as you can, and try to carry on with your normal daily activities. "
    "Bed rest for more than a day or two can make the pain last longer, so get up and walk about gently. "
    "If the pain is very bad, or it spreads down both of your legs, call your doctor today."
)
DEFAULT = SpeechSettings()


@pytest.fixture(scope="session")
def synth() -> Iterator[Pyttsx3Synthesizer]:
    with Pyttsx3Synthesizer() as synthesizer:
        yield synthesizer


@cache
def _spoken(text: str, settings: SpeechSettings) -> bytes:
    with Pyttsx3Synthesizer() as synthesizer:
        return synthesizer.synthesize(text, settings)


def spoken(text: str, settings: SpeechSettings = DEFAULT) -> bytes:
    """``text`` synthesised once per test session."""
    return _spoken(text, settings)


def espeak_cli_duration_s(text: str, rate_wpm: int, tmp: Path) -> float:
    """Duration of ``text`` spoken in one go by the espeak-ng command (an independent reference)."""
    path = tmp / "reference.wav"
    subprocess.run(["espeak-ng", "-s", str(rate_wpm), "-w", str(path), text], check=True, capture_output=True)
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def test_it_is_a_synthesizer(synth: Pyttsx3Synthesizer) -> None:
    synthesizer: Synthesizer = synth
    assert synthesizer.voices()


def test_short_and_long_texts_give_complete_audio_that_scales_with_length(tmp_path: Path) -> None:
    assert len(LONG) > 300 and len(split_for_speech(LONG)) >= 4
    short_s, long_s = duration_s(spoken(SHORT)), duration_s(spoken(LONG))
    assert 1.0 < short_s < 4.0
    assert long_s > 8 * short_s * 0.8
    words_ratio = len(LONG.split()) / len(SHORT.split())
    assert 0.6 * words_ratio < long_s / short_s < 1.4 * words_ratio


def test_long_text_is_as_long_as_espeak_speaking_it_in_one_go(tmp_path: Path) -> None:
    assert shutil.which("espeak-ng"), "the espeak-ng command is missing: run scripts/setup"
    ours = duration_s(spoken(LONG))
    reference = espeak_cli_duration_s(LONG, DEFAULT.rate_wpm, tmp_path)
    assert reference * 0.9 < ours < reference * 1.15


def test_long_text_lasts_the_sum_of_its_sentences() -> None:
    pieces = split_for_speech(LONG)
    total = sum(duration_s(spoken(piece)) for piece in pieces)
    assert duration_s(spoken(LONG)) == pytest.approx(total, rel=0.02)


def test_speech_is_not_silent_and_not_clipped() -> None:
    pcm = spoken(SHORT)
    assert audioop.rms(pcm, SAMPLE_WIDTH) > 1000
    assert audioop.max(pcm, SAMPLE_WIDTH) < 32767


def test_wav_file_header_matches_its_data(synth: Pyttsx3Synthesizer, tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    seconds = speak_to_wav(synth, LONG, DEFAULT, path)
    assert wav_is_whole(path)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, SAMPLE_RATE)
        frames = wav.getnframes()
    assert path.stat().st_size == 44 + frames * SAMPLE_WIDTH
    assert frames / SAMPLE_RATE == pytest.approx(seconds)
    assert seconds == pytest.approx(duration_s(spoken(LONG)), rel=0.02)


def test_wav_check_rejects_a_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "whole.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(spoken(SHORT))
    assert wav_is_whole(path)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(path.read_bytes()[:-1000])
    assert not wav_is_whole(cut)
    assert not wav_is_whole(tmp_path / "missing.wav")


def test_faster_rate_gives_shorter_speech() -> None:
    slow = duration_s(spoken(SHORT, SpeechSettings(rate_wpm=120)))
    fast = duration_s(spoken(SHORT, SpeechSettings(rate_wpm=240)))
    assert 1.5 < slow / fast < 2.5


def test_rate_changes_back_and_forth_all_take_effect(synth: Pyttsx3Synthesizer) -> None:
    rates = [200, 100, 300, 200, 160, 160, 120]
    durations = [duration_s(synth.synthesize(SHORT, SpeechSettings(rate_wpm=rate))) for rate in rates]
    for rate, seconds in zip(rates, durations, strict=True):
        assert seconds * rate == pytest.approx(durations[0] * rates[0], rel=0.25)


def test_lower_volume_gives_quieter_speech() -> None:
    loud = audioop.rms(spoken(SHORT, SpeechSettings(volume=1.0)), SAMPLE_WIDTH)
    quiet = audioop.rms(spoken(SHORT, SpeechSettings(volume=0.25)), SAMPLE_WIDTH)
    assert 0.15 < quiet / loud < 0.4


def test_voices_are_listed_and_a_voice_changes_the_speech(synth: Pyttsx3Synthesizer) -> None:
    ids = {voice.id for voice in synth.voices()}
    assert {"gmw/en", "gmw/en-us"} <= ids
    assert synth.find_voice("English (America)").id == "gmw/en-us"
    assert synth.find_voice("EN-US").id == "gmw/en-us"
    assert synth.find_voice("en-gb").id == "gmw/en"
    british = spoken(SHORT, SpeechSettings(voice="gmw/en"))
    scottish = spoken(SHORT, SpeechSettings(voice="gmw/en-gb-scotland"))
    assert abs(duration_s(british) - duration_s(scottish)) > 0.05


def test_unknown_voice_names_the_fix(synth: Pyttsx3Synthesizer) -> None:
    with pytest.raises(VoiceNotFound) as raised:
        synth.speak(SHORT, SpeechSettings(voice="no-such-voice"))
    assert "no-such-voice" in raised.value.problem
    assert "voicecare voices" in raised.value.fix
    assert "\n" not in raised.value.one_line()


@pytest.mark.parametrize(
    "settings",
    [
        SpeechSettings(rate_wpm=0),
        SpeechSettings(rate_wpm=2000),
        SpeechSettings(volume=1.5),
        SpeechSettings(volume=-0.1),
    ],
)
def test_settings_out_of_range_are_refused(synth: Pyttsx3Synthesizer, settings: SpeechSettings) -> None:
    with pytest.raises(ConfigError):
        synth.speak(SHORT, settings)


def test_stdout_stays_clean(synth: Pyttsx3Synthesizer, capfd: pytest.CaptureFixture[str]) -> None:
    synth.synthesize(LONG, SpeechSettings(rate_wpm=170))
    out, err = capfd.readouterr()
    assert out == ""
    assert err == ""


def test_chunks_are_full_except_the_last(synth: Pyttsx3Synthesizer) -> None:
    chunks = list(synth.speak(LONG, DEFAULT))
    assert all(len(chunk) == CHUNK_BYTES for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= CHUNK_BYTES


def test_first_audio_comes_before_later_sentences_are_synthesised(synth: Pyttsx3Synthesizer) -> None:
    before = synth.engine_calls
    chunks = synth.speak(LONG, DEFAULT)
    first = next(chunks)
    assert len(first) == CHUNK_BYTES
    assert synth.engine_calls == before + 1
    rest = list(chunks)
    assert synth.engine_calls == before + len(split_for_speech(LONG))
    assert duration_s(first + b"".join(rest)) == pytest.approx(duration_s(spoken(LONG)), rel=0.02)


def test_empty_text_gives_no_audio(synth: Pyttsx3Synthesizer) -> None:
    before = synth.engine_calls
    assert list(synth.speak("  ", DEFAULT)) == []
    assert synth.engine_calls == before


def test_temporary_files_are_private_and_removed() -> None:
    synthesizer = Pyttsx3Synthesizer()
    folder = synthesizer._folder
    assert folder.stat().st_mode & 0o777 == 0o700
    synthesizer.synthesize(SHORT, DEFAULT)
    assert folder.is_dir() and list(folder.iterdir()) == []
    synthesizer.close()
    assert not folder.exists()
