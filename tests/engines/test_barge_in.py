"""Tier 3: answers over the question (barge-in, issue 12 item 3), on the simulated clock.

A scripted person speaks at given moments of a tape that runs along the clock (as a microphone does):
voicecare stops the question within 200 ms of the end of the answer's first word and takes the whole
answer. The real recogniser and synthesiser; the person in flite's voices, made from real speakers.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.question_order import assert_in_order
from voicecare.audio.bus import AudioBus
from voicecare.audio.echo_gate import EchoGate
from voicecare.audio.pcm import bytes_of, duration_s, silence, split_chunks
from voicecare.audio.wav_files import WavFileSink
from voicecare.dialogue.channels.voice import VoiceChannel
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.event_sinks import FanOutSink, RecordingSink
from voicecare.dialogue.events import AskEvent, HeardEvent
from voicecare.dialogue.port import Answering, Turn
from voicecare.dialogue.prompt import Prompt
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from voicecare.simulation.flite_speech import FliteSpeech, require_flite
from voicecare.simulation.virtual_room import last_sound_end_s
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer
from voicecare.understanding.answers import Command, No, Silence, Unsure, Yes
from voicecare.understanding.turn_understanding import TurnUnderstanding

UNDERSTANDING = TurnUnderstanding()
PROMPT = Prompt(
    "fever",
    "Do you feel hot and shivery, or have you had a high temperature in the last few days?",
    revisable=True,
)
INTO_QUESTION_S = 1.0
"""When the person starts answering, from the start of the question (seconds)."""
STOP_WITHIN_S = 0.2
"""Issue 12 item 3: the question stops within 200 ms of the end of the answer's first word."""


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> FliteSpeech:
    require_flite()
    return FliteSpeech(tmp_path_factory.getbasetemp() / "flite-cache")


@pytest.fixture(scope="module")
def synthesizer() -> Iterator[CachedSynthesizer]:
    with Pyttsx3Synthesizer() as engine:
        yield CachedSynthesizer(engine)


def word(speech: FliteSpeech, text: str, voice: str) -> bytes:
    """``text`` as flite says it, trimmed to its sound: the tape places it exactly."""
    pcm = speech.pcm(text, voice, 160)
    return pcm[: bytes_of(last_sound_end_s(pcm) or duration_s(pcm))]


def tape_with(at_s: float, said: bytes, after_s: float = 2.5) -> Iterator[bytes]:
    """A tape of silence with ``said`` starting at ``at_s`` seconds."""
    return iter(list(split_chunks(silence(at_s) + said + silence(after_s))))


def channel_on(tape: Iterator[bytes], sink: WavFileSink, synthesizer: CachedSynthesizer) -> VoiceChannel:
    """A voice channel whose tape runs along the clock, as a microphone does (``live_input``)."""
    return VoiceChannel(AudioBus(sink, tape, live_input=True), synthesizer, PocketsphinxRecognizer())


def turn_for(prompt: Prompt) -> Turn:
    return Turn(UNDERSTANDING.phrases(prompt))


CASES = [
    ("no", "slt", No),
    ("yes", "slt", Yes),
    ("no", "rms", No),
    ("yes", "rms", Yes),
    ("no", "awb", No),
    ("yes", "kal16", Yes),
    ("repeat", "slt", Command),
]


@pytest.mark.parametrize(("said", "voice", "meaning"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_one_word_answer_stops_the_question_within_200_ms(
    speech: FliteSpeech,
    synthesizer: CachedSynthesizer,
    tmp_path: Path,
    said: str,
    voice: str,
    meaning: type,
) -> None:
    pcm = word(speech, said, voice)
    sink = WavFileSink(tmp_path / "out.wav")
    channel = channel_on(tape_with(INTO_QUESTION_S, pcm), sink, synthesizer)
    turn = turn_for(PROMPT)
    with sink:
        interruption = channel.say(PROMPT.text, SpeechSettings(), question=turn)
        assert interruption is not None and isinstance(interruption.found, Answering)
        heard = channel.hear(turn, 8.0)
        channel.settle()
    word_end_s = INTO_QUESTION_S + duration_s(pcm)
    assert INTO_QUESTION_S < interruption.at_s <= word_end_s + STOP_WITHIN_S, (interruption.at_s, word_end_s)
    assert isinstance(UNDERSTANDING.parse(heard.text, PROMPT), meaning), heard


def test_the_rest_of_the_answer_is_heard_after_the_question_stops(
    speech: FliteSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """The question stops at the first word ("not"); the reply is the whole utterance."""
    pcm = speech.pcm("not sure", "slt", 150)
    sink = WavFileSink(tmp_path / "out.wav")
    channel = channel_on(tape_with(INTO_QUESTION_S, pcm), sink, synthesizer)
    turn = turn_for(PROMPT)
    with sink:
        interruption = channel.say(PROMPT.text, SpeechSettings(), question=turn)
        heard = channel.hear(turn, 8.0)
    assert interruption is not None and isinstance(interruption.found, Answering)
    assert interruption.at_s < INTO_QUESTION_S + duration_s(pcm)
    assert isinstance(UNDERSTANDING.parse(heard.text, PROMPT), Unsure), heard


def test_a_person_who_waits_hears_the_whole_question(
    speech: FliteSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    question_s = synthesizer.seconds(PROMPT.text, SpeechSettings())
    pcm = word(speech, "no", "awb")
    sink = WavFileSink(tmp_path / "out.wav")
    channel = channel_on(tape_with(question_s + 0.6, pcm), sink, synthesizer)
    turn = turn_for(PROMPT)
    with sink:
        assert channel.say(PROMPT.text, SpeechSettings(), question=turn) is None
        heard = channel.hear(turn, 8.0)
    assert heard.text == "no"


def test_a_tape_that_does_not_run_along_the_clock_is_not_listened_under(
    speech: FliteSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """The default tape advances only while voicecare listens: its answers meet the questions in turn."""
    chunks = list(split_chunks(silence(INTO_QUESTION_S) + word(speech, "no", "slt") + silence(2.0)))
    tape = iter(chunks)
    sink = WavFileSink(tmp_path / "out.wav")
    channel = VoiceChannel(AudioBus(sink, tape), synthesizer, PocketsphinxRecognizer())
    turn = turn_for(PROMPT)
    with sink:
        assert channel.say(PROMPT.text, SpeechSettings(), question=turn) is None
        assert len(list(tape)) == len(chunks)


class OverThePerson:
    """A person on a tape that runs along the clock: each question's answer starts ``into_s`` seconds
    after the question is asked (the tape's own clock: chunks read). An event sink and a chunk source."""

    def __init__(self, answers: list[bytes], into_s: float) -> None:
        self.answers = answers
        self.into_s = into_s
        self.read = 0
        self.due: list[tuple[int, bytes]] = []

    def emit(self, event: object) -> None:
        if isinstance(event, AskEvent) and self.answers:
            self.due.append((self.read + round(self.into_s / 0.1), self.answers.pop(0)))

    def chunks(self) -> Iterator[bytes]:
        while True:
            if self.due and self.read >= self.due[0][0]:
                _, said = self.due.pop(0)
                for chunk in split_chunks(said + silence(0.1)):
                    self.read += 1
                    yield chunk
                continue
            self.read += 1
            yield silence(0.1)


def test_a_conversation_takes_answers_over_its_questions_in_order(
    speech: FliteSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """Three questions, each answered 1 s into it: each answer is taken for its own question, in order."""
    prompts = [
        PROMPT,
        Prompt(
            "numb", "Have you noticed any numbness between your legs or around your bottom?", revisable=True
        ),
        Prompt(
            "weak", "Have your legs become weak, so that you trip or cannot lift your foot?", revisable=True
        ),
    ]
    person = OverThePerson([word(speech, text, "rms") for text in ("no", "yes", "no")], INTO_QUESTION_S)
    sink = WavFileSink(tmp_path / "out.wav")
    channel = VoiceChannel(
        AudioBus(sink, person.chunks(), live_input=True), synthesizer, PocketsphinxRecognizer()
    )
    recording = RecordingSink()
    conversation = Conversation(channel, FanOutSink([recording, person]), UNDERSTANDING)
    with sink:
        got = [conversation.ask(prompt) for prompt in prompts]
        conversation.settle()
    assert [type(a) for a in got] == [No, Yes, No]
    heard = [e for e in recording.events if isinstance(e, HeardEvent)]
    assert [e.id for e in heard] == [p.id for p in prompts]
    assert_in_order(recording.events)


def test_a_person_who_talks_over_every_question_unheard_is_never_taken_as_no(
    speech: FliteSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """On a microphone whose echo gate has not yet measured the room, a person talking over every
    question cannot be heard over voicecare's voice: nothing is taken from under the question, the
    question is put again (in order), and the answer is silence (possible), never no."""
    person = OverThePerson([word(speech, "no", "rms") for _ in range(4)], INTO_QUESTION_S)
    sink = WavFileSink(tmp_path / "out.wav")
    bus = AudioBus(sink, person.chunks(), live_input=True, echo_gate=EchoGate())
    channel = VoiceChannel(bus, synthesizer, PocketsphinxRecognizer())
    recording = RecordingSink()
    conversation = Conversation(channel, FanOutSink([recording, person]), UNDERSTANDING, timeout_s=3.0)
    with sink:
        answer = conversation.ask(PROMPT)
    assert isinstance(answer, Silence)
    assert [e.id for e in recording.events if isinstance(e, AskEvent)] == [PROMPT.id, PROMPT.id]
    assert_in_order(recording.events)
