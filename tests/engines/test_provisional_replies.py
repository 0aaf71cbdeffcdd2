"""Tier 3: provisional replies, on the real recogniser, synthesiser and espeak-ng speech.

A screening reply is taken from the live partial result after ``PROVISIONAL_END_S`` of silence, so the
next question can begin at once; the final decoding checks it a chunk later, and the rest of the silence
is still listened to. Taking it early never changes what is finally heard; a reply that does not stand
(the final decoding not sure, or more speech) is revised, and the voice channel stops talking and hands
the whole reply over.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.question_order import assert_in_order, assert_json_in_order
from voicecare.audio.bus import AudioBus
from voicecare.audio.compat import audioop
from voicecare.audio.echo_gate import EchoGate
from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import CHUNK_MS, SAMPLE_WIDTH, Chunk, bytes_of, duration_s, silence, split_chunks
from voicecare.audio.wav_files import WavFileSink, read_wav, write_wav
from voicecare.dialogue.channels.voice import VoiceChannel
from voicecare.dialogue.conversation import AnswerRevised, Conversation
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.port import Interruption, Revised, Turn
from voicecare.dialogue.prompt import Prompt
from voicecare.recognition.listening import PROVISIONAL_END_S, UtteranceListener
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak
from voicecare.simulation.virtual_room import last_sound_end_s
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer
from voicecare.understanding.answers import Unsure
from voicecare.understanding.turn_understanding import TurnUnderstanding

UNDERSTANDING = TurnUnderstanding()
PROMPT = Prompt("fever", "Do you have a fever?", revisable=True)
PHRASES = UNDERSTANDING.phrases(PROMPT)
MEANINGS: dict[str, object] = {p: UNDERSTANDING.parse(p, PROMPT) for p in PHRASES}
QUESTION = "Do you feel hot and shivery, or have you had a high temperature?"
LEAD_S = 0.6


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> EspeakSpeech:
    require_espeak()
    return EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")


@pytest.fixture(scope="module")
def synthesizer() -> Iterator[CachedSynthesizer]:
    """Each text is synthesised once, so the question said and the question measured are the same PCM
    (espeak-ng never says a sentence twice sample for sample)."""
    with Pyttsx3Synthesizer() as engine:
        yield CachedSynthesizer(engine)


@dataclass(frozen=True)
class Listened:
    """What a listener made of one utterance: the provisional result and the stream time (s) it came at,
    the final result, and whether the provisional one was revised."""

    provisional: Heard | None
    provisional_at_s: float
    final: Heard
    revised: bool


def listened(pcm: bytes, revisable: dict[str, object] | None) -> Listened:
    """``pcm`` through a listener on a fresh recogniser (so that two runs decode alike)."""
    endpointer = Endpointer(EndpointSettings())
    listener = UtteranceListener(PocketsphinxRecognizer(), PHRASES, endpointer, revisable=revisable)
    provisional, at_s = None, 0.0
    for chunk in split_chunks(pcm):
        heard = listener.push(chunk)
        if heard is not None and heard.provisional:
            provisional, at_s = heard, endpointer.t_s
        elif heard is not None:
            return Listened(provisional, at_s, heard, listener.revised)
    return Listened(provisional, at_s, listener.end_of_stream(), listener.revised)


def answer(speech: EspeakSpeech, text: str, voice: str, rate_wpm: int) -> bytes:
    return silence(LEAD_S) + speech.pcm(text, voice, rate_wpm) + silence(1.5)


SAID = [
    ("no", "en-us+f3", 175),
    ("no", "en-us", 130),
    ("no", "en-us+m3", 130),
    ("know", "en-us", 130),
    ("nope", "en-us", 130),
    ("yes", "en-us+f3", 150),
    ("not sure", "en-us", 150),
    ("no", "en-gb", 175),
]
"""Replies, and sounds near them, said alone: some stand as taken from the live result, some do not."""


def test_taking_a_reply_early_never_changes_what_is_finally_heard(speech: EspeakSpeech) -> None:
    """The final result is the one heard without provisional ends, and the provisional reply is revised
    exactly when the final one is not sure or means something else. Both happen among these replies."""
    stood = revised = 0
    for text, voice, rate_wpm in SAID:
        pcm = answer(speech, text, voice, rate_wpm)
        early, waited = listened(pcm, MEANINGS), listened(pcm, None)
        assert (early.final.text, early.final.confidence) == (waited.final.text, waited.final.confidence)
        assert early.provisional is not None, (text, voice)
        same = MEANINGS.get(early.final.text) == MEANINGS[early.provisional.text]
        assert early.revised is not (
            early.final.accepted and same and early.final.confidence >= SURE_CONFIDENCE
        )
        stood += not early.revised
        revised += early.revised
    assert stood and revised


def test_a_reply_is_taken_within_a_chunk_of_the_provisional_silence(speech: EspeakSpeech) -> None:
    pcm = answer(speech, "no", "en-us+f3", 175)
    early = listened(pcm, MEANINGS)
    assert early.provisional is not None and early.provisional.text == "no"
    assert not early.revised and early.final.text == "no"
    silence_s = early.provisional_at_s - early.provisional.end_s
    assert PROVISIONAL_END_S <= silence_s + 1e-6 <= PROVISIONAL_END_S + CHUNK_MS / 1000 + 0.02


def test_more_speech_after_a_provisional_no_makes_it_a_doubt(speech: EspeakSpeech) -> None:
    """ "no", a pause, "i don't know": the "no" is taken at the pause, then revised to the whole reply."""
    voice, rate_wpm = "en-us+f3", 175
    pcm = silence(LEAD_S) + speech.pcm("no", voice, rate_wpm) + silence(0.3)
    pcm += speech.pcm("i don't know", voice, rate_wpm) + silence(1.5)
    early, waited = listened(pcm, MEANINGS), listened(pcm, None)
    assert early.provisional is not None and early.provisional.text == "no"
    assert early.revised
    assert early.final.text == waited.final.text == "no i don't know"
    assert isinstance(UNDERSTANDING.parse(early.final.text, PROMPT), Unsure)


class CountingTape:
    """A tape of chunks that counts how many were read."""

    def __init__(self, pcm: bytes) -> None:
        self._chunks = iter(list(split_chunks(pcm)))
        self.read = 0

    def __iter__(self) -> Iterator[Chunk]:
        return self

    def __next__(self) -> Chunk:
        chunk = next(self._chunks)
        self.read += 1
        return chunk


def sounding_s(pcm: bytes) -> float:
    """Seconds of ``pcm`` in 100 ms chunks that are not all zero (the bus writes zeros while it listens)."""
    return sum(duration_s(chunk) for chunk in split_chunks(pcm) if audioop.max(chunk, SAMPLE_WIDTH) > 0)


def question_s(synthesizer: CachedSynthesizer) -> float:
    """Seconds of ``QUESTION`` said whole, as ``sounding_s`` counts them."""
    return sounding_s(b"".join(synthesizer.speak(QUESTION, SpeechSettings())))


def revision_of(interruption: Interruption | None) -> Heard:
    """The whole reply that replaced a provisional one, from the channel's interruption."""
    assert interruption is not None and isinstance(interruption.found, Revised)
    return interruption.found.heard


def channel_on(
    tape: CountingTape, out: Path, synthesizer: CachedSynthesizer, live: bool = False
) -> tuple[VoiceChannel, WavFileSink]:
    """A voice channel on ``tape``; ``live``: read as a microphone is, all the time."""
    sink = WavFileSink(out)
    bus = AudioBus(sink, tape, live_input=live)
    return VoiceChannel(bus, synthesizer, PocketsphinxRecognizer()), sink


@pytest.mark.parametrize("live", [False, True], ids=["tape", "microphone"])
def test_the_channel_stops_talking_and_hands_over_the_whole_reply(
    speech: EspeakSpeech, synthesizer: CachedSynthesizer, tmp_path: Path, live: bool
) -> None:
    voice, rate_wpm = "en-us+f3", 175
    pcm = silence(LEAD_S) + speech.pcm("no", voice, rate_wpm) + silence(0.3)
    pcm += speech.pcm("i don't know", voice, rate_wpm) + silence(2.0)
    channel, sink = channel_on(CountingTape(pcm), tmp_path / "out.wav", synthesizer, live)
    with sink:
        heard = channel.hear(Turn(PHRASES, frozenset(), MEANINGS), 8.0)
        assert heard.provisional and heard.text == "no"
        revised = revision_of(channel.say(QUESTION, SpeechSettings()))
    assert revised.text == "no i don't know"
    assert not revised.provisional
    assert 0 < sounding_s(read_wav(sink.path)) < question_s(synthesizer) / 2


def test_a_reply_that_stands_reads_the_tape_as_if_voicecare_had_waited(
    speech: EspeakSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """The rest of the silence is read while the next question is said, so the tape is where it would be
    had voicecare waited out the silence, and the question is said whole."""
    pcm = answer(speech, "no", "en-us+f3", 175)
    reads = []
    for revisable in (MEANINGS, None):
        tape = CountingTape(pcm)
        channel, sink = channel_on(tape, tmp_path / f"out{len(reads)}.wav", synthesizer)
        with sink:
            heard = channel.hear(Turn(PHRASES, frozenset(), revisable), 8.0)
            assert heard.text == "no" and heard.provisional is (revisable is not None)
            channel.say(QUESTION, SpeechSettings())
            channel.settle()
        reads.append(tape.read)
        assert sounding_s(read_wav(sink.path)) == pytest.approx(question_s(synthesizer), abs=0.1)
    assert reads[0] == reads[1]


def test_a_provisional_no_the_final_decoding_doubts_is_revised_when_the_tape_ends(
    speech: EspeakSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """The tape ends after the "no" was taken but before the final decoding checked it: the check is
    still made, and an unsure "no" does not stand."""
    said = speech.pcm("no", "en-us", 130)
    said = said[: bytes_of(last_sound_end_s(said) or 0.0)]
    channel, sink = channel_on(
        CountingTape(silence(LEAD_S) + said + silence(0.09)), tmp_path / "o.wav", synthesizer
    )
    with sink:
        heard = channel.hear(Turn(PHRASES, frozenset(), MEANINGS), 8.0)
        assert heard.provisional and heard.text == "no"
        revised = revision_of(channel.settle())
    assert revised.confidence < SURE_CONFIDENCE


def test_no_reply_is_provisional_where_the_echo_gate_has_not_measured_the_room(
    speech: EspeakSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """On a microphone, more speech could be lost under voicecare's own: until the gate knows the person
    would be heard over it, replies wait out the silence."""
    channel, sink = channel_on(
        CountingTape(answer(speech, "no", "en-us+f3", 175)), tmp_path / "o.wav", synthesizer
    )
    channel.bus.echo_gate = EchoGate()
    with sink:
        heard = channel.hear(Turn(PHRASES, frozenset(), MEANINGS), 8.0)
    assert heard.text == "no" and not heard.provisional


def test_a_spoken_no_that_goes_on_is_a_doubt_in_the_screening(speech: EspeakSpeech, tmp_path: Path) -> None:
    """``voicecare screen --audio-in``: the first answer, "no", a pause, "i don't know", is taken as not
    sure (the JSON marks the reply that replaced the provisional "no"), as when typed."""
    voice, rate_wpm = "en-us+f3", 175
    tape = tmp_path / "tape.wav"
    pcm = silence(1.0) + speech.pcm("no", voice, rate_wpm) + silence(0.3)
    write_wav(tape, pcm + speech.pcm("i don't know", voice, rate_wpm) + silence(1.5))
    command = [sys.executable, "-m", "voicecare.cli.main", "screen", "--json", "--no-save"]
    spoken = subprocess.run(
        [*command, "--audio-in", str(tape), "--audio-out", str(tmp_path / "out.wav")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    typed = subprocess.run(
        [*command, "--text"],
        input="no i don't know\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert spoken.returncode == typed.returncode == 0, spoken.stderr + typed.stderr
    assert_json_in_order(map(json.loads, spoken.stdout.splitlines()))
    spoken_heard = [e for e in map(json.loads, spoken.stdout.splitlines()) if e["type"] == "heard"]
    typed_heard = [e for e in map(json.loads, typed.stdout.splitlines()) if e["type"] == "heard"]
    first = [e for e in spoken_heard if e["id"] == typed_heard[0]["id"]]
    assert [e["answer"] for e in first] == ["no", "unsure"]
    assert first[-1]["revised"] is True and first[-1]["text"] == "no i don't know"
    assert typed_heard[0]["answer"] == "unsure"


def test_a_reply_the_final_decoding_doubts_is_asked_again_before_the_next_question(
    speech: EspeakSpeech, synthesizer: CachedSynthesizer, tmp_path: Path
) -> None:
    """Issue 12 item 2: the check comes before the next question's audio, so the reply that did not
    stand is taken again while its own question is still the last one asked (no going back)."""
    said = speech.pcm("no", "en-us", 130)
    said = said[: bytes_of(last_sound_end_s(said) or 0.0)]
    tape = CountingTape(silence(LEAD_S) + said + silence(3.0))
    channel, sink = channel_on(tape, tmp_path / "o.wav", synthesizer)
    recording = RecordingSink()
    conversation = Conversation(channel, recording, UNDERSTANDING, timeout_s=1.0)
    following = Prompt("numb", "Is the skin between your legs numb?", revisable=True)
    with sink:
        for prompt in (PROMPT, following):
            try:
                conversation.ask(prompt)
            except AnswerRevised:
                conversation.ask(PROMPT)
    kinds = [(e.type, e.id, getattr(e, "revised", False)) for e in recording.events]
    assert ("heard", PROMPT.id, True) in kinds
    assert ("ask", following.id, False) not in kinds[: kinds.index(("heard", PROMPT.id, True))]
    assert_in_order(recording.events)
