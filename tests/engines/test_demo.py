"""Tier 3: ``voicecare demo`` runs a whole session to the end through the real recogniser and synthesiser,
and its WAV holds the session."""

import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.question_order import assert_printed_in_order
from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, duration_s
from voicecare.audio.wav_files import read_wav
from voicecare.narration.wording import load_player_wording
from voicecare.simulation.person import load_person_script
from voicecare.speech.ports import SpeechSettings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """The demo's printed dialogue and its WAV."""
    out = tmp_path_factory.mktemp("demo") / "demo.wav"
    done = subprocess.run(
        [sys.executable, "-m", "voicecare", "demo", "--audio-out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines(), out


def test_the_person_is_heard_choosing_a_check_then_the_relaxation(demo: tuple[list[str], Path]) -> None:
    lines, _ = demo
    heard = [line[2:] for line in lines if line.startswith("> ")]
    assert heard[0] == "check my back"
    assert "relax my muscles" in heard
    assert heard[-1] == "goodbye"


def test_the_questions_stay_in_order(demo: tuple[list[str], Path]) -> None:
    """Issue 12 item 2: no re-ask of a question after a later one was asked and answered."""
    lines, _ = demo
    assert_printed_in_order(lines)


def test_the_check_finds_no_warning_sign_and_gives_advice(demo: tuple[list[str], Path]) -> None:
    lines, _ = demo
    assert not any(line.startswith("Call 911") for line in lines)
    assert any(line.startswith("Here are some things that can help") for line in lines)


def test_slower_is_obeyed_during_the_relaxation(demo: tuple[list[str], Path]) -> None:
    lines, _ = demo
    said_after_slower = lines[lines.index("> slower") + 1]
    assert said_after_slower == load_player_wording()["slower"]
    assert lines[-1].startswith("Goodbye")


FRAME_BYTES = SAMPLE_RATE // 100 * SAMPLE_WIDTH
"""One frame of the loudness envelope: 10 ms."""


def loudness(pcm: bytes) -> list[float]:
    """The log loudness of ``pcm`` in 10 ms frames."""
    return [
        math.log1p(audioop.rms(pcm[start : start + FRAME_BYTES], SAMPLE_WIDTH))
        for start in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)
    ]


def correlation(a: list[float], b: list[float]) -> float:
    """Pearson correlation of two equally long series (0 when either is flat)."""
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    da, db = [x - mean_a for x in a], [y - mean_b for y in b]
    norm = math.sqrt(sum(x * x for x in da) * sum(y * y for y in db))
    return sum(x * y for x, y in zip(da, db, strict=True)) / norm if norm else 0.0


def sounds_in(recording: bytes, speech: bytes, within_s: float) -> bool:
    """True when ``speech`` is in the first ``within_s`` seconds of ``recording``: the loudness envelope of
    its sounding part (digital silence trimmed off both ends) correlates at 0.95 or more with some
    stretch of the recording's.

    espeak-ng never says a sentence twice sample for sample (its noise source runs on across
    utterances), but its envelope stays put: the same sentence in the same voice correlates at 0.98 or
    more, in another espeak voice at about 0.85, and another sentence at about 0.65. Only the first four
    fifths of the sentence are compared: a reply taken as soon as the sentence is complete may begin over
    its last release (about 0.1 s of "back" in the menu's "check my back").
    """
    envelope = loudness(speech)
    sounding = [index for index, level in enumerate(envelope) if level > 0]
    needle = envelope[sounding[0] : sounding[-1] + 1]
    needle = needle[: max(1, len(needle) * 4 // 5)]
    haystack = loudness(recording[: int(within_s * SAMPLE_RATE) * SAMPLE_WIDTH])
    return any(
        correlation(haystack[start : start + len(needle)], needle) >= 0.95
        for start in range(len(haystack) - len(needle) + 1)
    )


def said_by_a_fresh_synthesiser(text: str, folder: Path, speech: SpeechSettings) -> bytes:
    """``text`` as ``voicecare say`` makes it in a process of its own, as the demo's first sentences are:
    espeak-ng's noise source runs on across utterances in one process, so a sentence made after many
    others in the test process no longer matches the demo's envelope closely."""
    out = folder / "said.wav"
    voice = ["--voice", speech.voice] if speech.voice else []
    command = [sys.executable, "-m", "voicecare", "say", "--audio-out", str(out)]
    rate = ["--rate", str(speech.rate_wpm)]
    subprocess.run([*command, *rate, *voice, text], check=True, capture_output=True, timeout=60)
    return read_wav(out)


def test_the_wav_holds_the_whole_session_in_both_voices(demo: tuple[list[str], Path], tmp_path: Path) -> None:
    _, out = demo
    recording = read_wav(out)
    person = load_person_script()
    narrator_says = said_by_a_fresh_synthesiser("Hello, I'm voicecare.", tmp_path, SpeechSettings())
    person_speech = SpeechSettings(rate_wpm=person.rate_wpm, voice=person.voice)
    person_says = said_by_a_fresh_synthesiser(person.menu[0], tmp_path, person_speech)
    assert duration_s(recording) > 5 * 60
    assert sounds_in(recording, narrator_says, within_s=10)
    assert sounds_in(recording, person_says, within_s=60)
    assert not sounds_in(recording, person_says, within_s=10)
