"""Tier 3 in real time: speech through the virtual microphone and speaker, the embedded recogniser, and
"stop" said to the exercise player mid-sentence (how fast it stops is scripts/bench_session.py's job)."""

import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import IO

import pytest

from voicecare.audio.devices import Microphone, Speaker
from voicecare.audio.pcm import silence, split_chunks
from voicecare.narration.player import PlayEnd
from voicecare.recognition.engines import load_recognizer
from voicecare.recognition.listening import listen
from voicecare.recognition.ports import Recognizer
from voicecare.simulation.stop_trial import ExercisePieces, real_time_stop
from voicecare.simulation.virtual_audio import VirtualAudio, record_until_heard
from voicecare.simulation.virtual_room import VirtualRoom
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

PHRASES = ["yes", "no", "not sure", "stop", "help", "repeat", "pause", "resume"]
PERSON = SpeechSettings(rate_wpm=150, voice="gmw/en-us")
"""The person's voice: another voice and rate than voicecare's own."""
WAIT_S = 60.0
"""Longest wait for a subprocess line (seconds); a test fails then rather than hanging."""


@pytest.fixture(scope="module")
def synthesizer() -> Iterator[Pyttsx3Synthesizer]:
    with Pyttsx3Synthesizer() as engine:
        yield engine


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    loaded, _ = load_recognizer("pocketsphinx")
    return loaded


def said(synthesizer: Pyttsx3Synthesizer, text: str) -> bytes:
    """``text`` in the person's voice, with room to breathe around it."""
    return silence(0.3) + b"".join(synthesizer.speak(text, PERSON)) + silence(1.0)


def test_a_phrase_said_into_the_microphone_is_recognised(
    virtual_audio: VirtualAudio, synthesizer: Pyttsx3Synthesizer, recognizer: Recognizer
) -> None:
    with Microphone(virtual_audio.device) as microphone:
        player = virtual_audio.feed_microphone(said(synthesizer, "stop"))
        heard = listen(recognizer, microphone.chunks(), PHRASES)
        player.wait(timeout=WAIT_S)
    assert not heard.timed_out
    assert heard.text == "stop"


def lines_of(stream: IO[str]) -> "queue.Queue[str]":
    """Lines of ``stream`` as they come, read on a thread ("" once it ends)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def next_line(lines: "queue.Queue[str]", containing: str) -> str:
    """The next line holding ``containing``; fails after WAIT_S or at the end of the stream."""
    while True:
        line = lines.get(timeout=WAIT_S)
        if not line or containing in line:
            return line


def test_listen_command_prints_what_the_virtual_microphone_heard(
    virtual_audio: VirtualAudio, synthesizer: Pyttsx3Synthesizer
) -> None:
    command = [
        sys.executable,
        "-m",
        "voicecare",
        "listen",
        "--engine",
        "pocketsphinx",
        "--json",
        "--device",
        virtual_audio.device,
        "--phrases",
        ",".join(PHRASES),
    ]
    process = subprocess.Popen(
        command, env=virtual_audio.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        out, err = lines_of(process.stdout), lines_of(process.stderr)
        assert "listening" in next_line(err, "listening")
        player = virtual_audio.feed_microphone(said(synthesizer, "stop"))
        printed = next_line(out, "text")
        player.wait(timeout=WAIT_S)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT_S)
    assert '"text": "stop"' in printed
    assert '"rejected": false' in printed


def test_speech_played_on_the_speaker_lands_in_the_sink_and_is_recognised(
    virtual_audio: VirtualAudio, synthesizer: Pyttsx3Synthesizer, recognizer: Recognizer
) -> None:
    speech = b"".join(synthesizer.speak("stop", PERSON))
    virtual_audio.use_source(virtual_audio.speaker_monitor)
    with Microphone(virtual_audio.device) as microphone, Speaker(virtual_audio.device) as speaker:
        speaker.write(silence(0.3) + speech + silence(1.0))
        recording = record_until_heard(microphone, speech)
    assert recording.find(speech) >= 0
    assert listen(recognizer, iter(split_chunks(recording + silence(1.0))), PHRASES).text == "stop"


def test_stop_said_mid_sentence_silences_the_exercise_in_real_time(
    virtual_room: VirtualRoom,
    synthesizer: Pyttsx3Synthesizer,
    recognizer: Recognizer,
) -> None:
    pieces = ExercisePieces(CachedSynthesizer(synthesizer), recognizer)
    trial = real_time_stop(virtual_room, pieces, said(synthesizer, "stop"))
    assert trial.end is PlayEnd.STOPPED
    assert trial.stop_end_s is not None
    assert trial.message_at_s is not None, "the 'stopping here' line was not heard"
    assert trial.silent_from_s is not None
    assert trial.stop_end_s < trial.message_at_s
    assert not trial.first_line_whole, "the first sentence played to its end: the stop did not cut it"
