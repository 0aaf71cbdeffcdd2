"""Test helper: an exercise played on the simulated clock with a scripted person on the input tape.

The person's words are espeak-ng speech (a different voice from the narrator) placed at chosen session
times in silence; the tape runs along the narration (``live_input``), so a word placed at 12.0 s is heard
exactly when the session clock reaches 12.0 s. Events are recorded with the session time they happened.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.compat import audioop
from voicecare.audio.echo_gate import EchoGate
from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, SAMPLE_WIDTH, Chunk, silence, split_chunks
from voicecare.audio.ports import AudioSink
from voicecare.audio.wav_files import WavFileSink, read_wav
from voicecare.dialogue.channels.voice import VoiceChannel
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.events import Event
from voicecare.dialogue.safety_check import self_harm_check
from voicecare.exercises.script import Cue, Pause, Say, Step
from voicecare.narration.player import PlayEnd, Player
from voicecare.narration.warning_signs import SignAwareUnderstanding
from voicecare.recognition.ports import Recognizer
from voicecare.screening.regions import region
from voicecare.simulation.espeak_speech import EspeakSpeech
from voicecare.simulation.sink_taps import ForwardingSink
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings

ARMS_ATTEND = "Let's begin with your arms. Notice how they feel, resting beside you, heavy and warm."
ARMS_TENSE = "When I say now, make a fist with both hands and tense your arms, gently, and keep breathing."
FACE_ATTEND = "Now bring your attention to your face, your forehead, your eyes and your jaw, and notice them."
FACE_TENSE = "When I say now, scrunch up your face gently, and keep breathing."
CLOSING = "That is the end of this practice. Lie still for a moment and notice how your body feels."
RELEASE_S = 12.0
STEPS: list[Step] = [
    Say(ARMS_ATTEND, "attend"),
    Say(ARMS_TENSE, "tense"),
    Cue("tense", "arms", "Now."),
    Pause(6.0, paced=False),
    Cue("release", "arms", "Relax."),
    Pause(RELEASE_S),
    Say(FACE_ATTEND, "attend"),
    Say(FACE_TENSE, "tense"),
    Cue("tense", "face", "Now."),
    Pause(6.0, paced=False),
    Cue("release", "face", "Relax."),
    Pause(RELEASE_S),
    Say(CLOSING, "closing"),
]
"""A short relaxation script: two groups, each attend, tense, cue, hold, release and rest."""

PERSON_VOICE = "en-us+m3"
PERSON_RATE_WPM = 150
LOUD = 300
"""Peak (16-bit units) above which audio counts as sound."""
SPEECH_RMS = 300
"""RMS (16-bit units) of a 20 ms frame of speech: the endpointer's default floor and frame."""


@dataclass
class TimedEvents:
    """Every event with the session time (seconds) it was emitted at."""

    bus: AudioBus | None = None
    events: list[tuple[float, Event]] = field(default_factory=list)

    def emit(self, event: Event) -> None:
        assert self.bus is not None
        self.events.append((self.bus.t_s, event))

    def said(self) -> list[tuple[float, str]]:
        return [(t, e.text) for t, e in self.events if e.type in ("say", "ask")]

    def cues(self) -> list[tuple[float, str, str]]:
        return [(e.t, e.cue, e.group) for _, e in self.events if e.type == "cue"]

    def time_of(self, text: str, occurrence: int = 0) -> float:
        return [t for t, said in self.said() if said == text][occurrence]


@dataclass
class Played:
    """The outcome of one played session."""

    end: PlayEnd
    player: Player
    events: TimedEvents
    output: bytes
    word_ends: list[float]
    """Session time (seconds) at which each placed utterance's last sound ends."""
    heard_back: bytes
    """The output as a microphone beside the speaker hears it, chunk for chunk: each chunk played is
    heard in the 100 ms the bus reads at the same time (an utterance's short last chunk is followed
    by silence up to 100 ms). ``output`` has no such gaps, so as an echo it would run ahead."""


class HeardBack(ForwardingSink):
    """A sink that passes everything to ``inner`` and keeps what a microphone reading in lockstep
    hears of it: every chunk, padded with silence to a whole chunk."""

    def __init__(self, inner: AudioSink) -> None:
        super().__init__(inner)
        self.heard = bytearray()

    def write(self, chunk: Chunk) -> None:
        super().write(chunk)
        self.heard += chunk.ljust(CHUNK_BYTES, b"\0")


def sound_end_s(pcm: bytes) -> float:
    """Seconds from the start of ``pcm`` to the end of its last 20 ms frame with speech energy (RMS at
    least ``SPEECH_RMS``, the endpointer's speech floor): where a word audibly ends."""
    frame = SAMPLE_RATE // 50 * SAMPLE_WIDTH
    last = 0
    for start in range(0, len(pcm), frame):
        if audioop.rms(pcm[start : start + frame], SAMPLE_WIDTH) >= SPEECH_RMS:
            last = min(len(pcm), start + frame)
    return last / (SAMPLE_RATE * SAMPLE_WIDTH)


def has_sound(pcm: bytes) -> bool:
    return bool(pcm) and audioop.max(pcm, SAMPLE_WIDTH) > LOUD


@dataclass
class PlayerSession:
    """Plays steps with the real synthesiser and recogniser; ``person`` speaks on the tape."""

    synthesizer: CachedSynthesizer
    recognizer: Recognizer
    understanding: SignAwareUnderstanding
    espeak: EspeakSpeech
    folder: Path

    def play(
        self,
        steps: Sequence[Step],
        person: Sequence[tuple[str, float]] = (),
        echo: bytes = b"",
        length_s: float = 120.0,
    ) -> Played:
        """Play ``steps``; each (text, session seconds) of ``person`` is spoken on the tape, and ``echo``
        (the narration as a microphone would hear it) is mixed in from time 0."""
        tape, ends = self._tape(person, echo, length_s)
        events = TimedEvents()
        return self._run(steps, split_chunks(tape), events, ends)

    def answer(self, steps: Sequence[Step], answers: Sequence[str], delay_s: float = 0.8) -> Played:
        """Play ``steps`` while a person answers each question in turn: ``delay_s`` after the question
        has been said, the next of ``answers`` is spoken (questions asked again take answers too)."""
        events = TimedEvents()
        return self._run(steps, self._answering(events, list(answers), delay_s), events, [])

    def _answering(self, events: TimedEvents, answers: list[str], delay_s: float) -> Iterator[Chunk]:
        asked = 0
        pending = b""
        due_s = None
        t_s = 0.0
        while answers or pending or due_s is not None:
            new = [e for _, e in events.events if e.type == "ask"][asked:]
            for ask in new:
                asked += 1
                said_s = self.synthesizer.seconds(ask.text, SpeechSettings())
                due_s = t_s + said_s + delay_s
            if not pending and due_s is not None and t_s >= due_s and answers:
                pending = self.espeak.pcm(answers.pop(0), PERSON_VOICE, PERSON_RATE_WPM)
                due_s = None
            chunk, pending = pending[:CHUNK_BYTES], pending[CHUNK_BYTES:]
            t_s += CHUNK_S
            yield chunk.ljust(CHUNK_BYTES, b"\0")
        yield from split_chunks(silence(30.0))

    def _tape(
        self, person: Sequence[tuple[str, float]], echo: bytes, length_s: float
    ) -> tuple[bytes, list[float]]:
        tape = bytearray(silence(length_s))
        if echo:
            mixed = audioop.add(bytes(tape[: len(echo)]), echo[: len(tape)], SAMPLE_WIDTH)
            tape[: len(mixed)] = mixed
        ends = []
        for text, at_s in person:
            pcm = self.espeak.pcm(text, PERSON_VOICE, PERSON_RATE_WPM)
            offset = int(at_s * SAMPLE_RATE) * SAMPLE_WIDTH
            tape[offset : offset + len(pcm)] = audioop.add(
                bytes(tape[offset : offset + len(pcm)]), pcm, SAMPLE_WIDTH
            )
            ends.append(at_s + sound_end_s(pcm))
        return bytes(tape), ends

    def _run(
        self, steps: Sequence[Step], tape: Iterator[Chunk], events: TimedEvents, ends: list[float]
    ) -> Played:
        out = self.folder / "out.wav"
        with WavFileSink(out) as file:
            sink = HeardBack(file)
            bus = AudioBus(sink, tape, live_input=True, echo_gate=EchoGate())
            events.bus = bus
            channel = VoiceChannel(bus, self.synthesizer, self.recognizer)
            conversation = Conversation(
                channel, events, self.understanding, on_self_harm=self_harm_check(region("us"))
            )
            player = Player(conversation, self.understanding)
            end = player.run(steps)
        return Played(end, player, events, read_wav(out), ends, bytes(sink.heard))
