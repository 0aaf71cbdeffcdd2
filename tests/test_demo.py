"""Tier 3: ``voicecare demo`` runs a whole session to the end through the real recogniser and synthesiser,
and its WAV holds the session."""

import subprocess
import sys
from pathlib import Path

import pytest

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, duration_s
from voicecare.audio.wav_files import read_wav
from voicecare.narration.wording import load_player_wording


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


def test_the_check_finds_no_warning_sign_and_gives_advice(demo: tuple[list[str], Path]) -> None:
    lines, _ = demo
    assert not any(line.startswith("Call 911") for line in lines)
    assert any(line.startswith("Here are some things that can help") for line in lines)


def test_slower_is_obeyed_during_the_relaxation(demo: tuple[list[str], Path]) -> None:
    lines, _ = demo
    said_after_slower = lines[lines.index("> slower") + 1]
    assert said_after_slower == load_player_wording()["slower"]
    assert lines[-1].startswith("Goodbye")


def sounds_in(recording: bytes, speech: bytes, within_s: float) -> bool:
    """True when the middle of ``speech`` is in the first ``within_s`` seconds of ``recording``
    (best fit by audioop.findfit, residual under a fifth of the speech's level)."""
    middle = len(speech) // 2 // SAMPLE_WIDTH * SAMPLE_WIDTH
    fragment = speech[middle : middle + SAMPLE_RATE // 4 * SAMPLE_WIDTH]
    window = recording[: int(within_s * SAMPLE_RATE) * SAMPLE_WIDTH]
    offset, factor = audioop.findfit(window, fragment)
    segment = window[offset * SAMPLE_WIDTH : offset * SAMPLE_WIDTH + len(fragment)]
    residual = audioop.add(segment, audioop.mul(fragment, SAMPLE_WIDTH, -factor), SAMPLE_WIDTH)
    return audioop.rms(residual, SAMPLE_WIDTH) < 0.2 * audioop.rms(fragment, SAMPLE_WIDTH)


FRESH_SPEECH = """
import sys
from voicecare.audio.wav_files import write_wav
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer
with Pyttsx3Synthesizer() as synthesizer:
    write_wav(sys.argv[1], b"".join(synthesizer.speak("Hello, I'm voicecare.", SpeechSettings())))
"""


def fresh_narrator(folder: Path) -> bytes:
    """The narrator's first words, made in a new process as in the demo: espeak-ng through pyttsx3 speaks
    the same sentence slightly differently once a process has spoken at other settings."""
    narrator = folder / "narrator.wav"
    subprocess.run([sys.executable, "-c", FRESH_SPEECH, str(narrator)], check=True, timeout=120)
    return read_wav(narrator)


def test_the_wav_holds_the_whole_session_in_the_narrators_voice(
    demo: tuple[list[str], Path], tmp_path: Path
) -> None:
    _, out = demo
    recording = read_wav(out)
    assert duration_s(recording) > 5 * 60
    assert sounds_in(recording, fresh_narrator(tmp_path), within_s=10)
