"""The common screening answers said in the screening's own turns, heard as the dialogue hears them.

Shared by ``scripts/bench_answers.py`` and the tests. Each answer is spoken by a synthetic voice (or taken
from a real recording), put in a room (lead-in and hangover of silence, or of real room noise at a chosen
signal-to-noise ratio), and heard through the session's ``UtteranceListener`` under the turn's grammar
(``TurnUnderstanding.phrases``) with the early and provisional endings the conversation computes
(``Conversation._quick_endings``), as the voice channel hears a tape: a provisional reply is settled by
listening on until the listener's final result, and a revised one is replaced by it. What counts is what
the dialogue would take the first hearing to mean (``understanding.trust.believed``): as meant, something
else, or nothing (asked again).
"""

import hashlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.audio.compat import audioop
from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import SAMPLE_WIDTH, bytes_of, silence, split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.prompt import Prompt
from voicecare.recognition.listening import EARLY_END_S, UtteranceListener
from voicecare.recognition.ports import Heard, Recognizer
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Command, Duration, Number
from voicecare.understanding.trust import believed
from voicecare.understanding.turn_understanding import TurnUnderstanding

UNDERSTANDING = TurnUnderstanding()

TURNS: dict[str, Prompt] = {
    "yes/no": Prompt("fever", "Have you felt feverish?", revisable=True),
    "age": Prompt("age", "How old are you?", kind=AnswerKind.NUMBER, revisable=True),
    "weeks": Prompt(
        "pain_weeks", "How many weeks have you had this back pain?", kind=AnswerKind.DURATION, revisable=True
    ),
}
"""The screening's three kinds of turn, as ``dialogue.screening`` asks them (every one revisable)."""

ANSWERS: dict[str, tuple[str, ...]] = {
    "yes/no": (
        "yes",
        "yeah",
        "yep",
        "yes I do",
        "yes I have",
        "no",
        "nope",
        "no I don't",
        "no I haven't",
        "not really",
        "not sure",
        "I don't know",
        "no, I don't know",
    ),
    "age": ("nineteen", "thirty five", "forty two", "sixty", "seventy eight"),
    "weeks": ("two", "six", "twelve", "three weeks", "eight weeks"),
}
"""The common answers of issue 12, as the voices say them (punctuation is how a voice pauses): the last
yes/no answer is one answer, said with a short pause, and must end as a doubt."""

ROOM_NOISE = ("doing_the_dishes", "running_tap", "exercise_bike", "dude_miaowing")
"""Real room recordings (Google Speech Commands' background noise) in the shared test data."""

LEAD_S, TAIL_S = 0.6, 1.5
"""Room sound before and after each answer (seconds): the tail is longer than the hangover."""


@dataclass(frozen=True)
class Voice:
    """A test voice: ``engine`` ``espeak`` or ``flite``, its ``name`` there, and whether it was kept out
    of all tuning (``held_out``)."""

    engine: str
    name: str
    held_out: bool

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}"


TUNING_VOICES = (
    Voice("espeak", "en-us", False),
    Voice("espeak", "en-gb", False),
    Voice("espeak", "en-gb-scotland", False),
    Voice("espeak", "en-us+f3", False),
    Voice("flite", "slt", False),
    Voice("flite", "rms", False),
)
"""Voices whose results any setting may be chosen on."""
HELD_OUT_VOICES = (
    Voice("flite", "awb", True),
    Voice("flite", "kal16", True),
    Voice("espeak", "en-gb-x-rp", True),
    Voice("espeak", "en-029", True),
    Voice("espeak", "en+m7", True),
)
"""Voices no setting was chosen on: the figures that count for issue 12."""
RATES_WPM = (130, 175)


def normal(text: str) -> str:
    """An answer as a grammar phrase: lower case, punctuation dropped."""
    return " ".join(text.lower().replace(",", " ").replace(".", " ").split())


def meaning(text: str, prompt: Prompt, confidence: float = 1.0) -> str:
    """What the dialogue takes ``text``, heard at ``confidence``, to mean for ``prompt``: yes, no, unsure, a
    number, a duration in weeks, a command, or "(asked again)"."""
    if not text:
        return ASKED_AGAIN
    answer = believed(UNDERSTANDING.parse(text, prompt), confidence)
    if isinstance(answer, Command):
        return f"command {answer.name.value}"
    if isinstance(answer, Number):
        return str(answer.value)
    if isinstance(answer, Duration):
        return f"{answer.weeks:g} weeks {answer.qualifier.value}"
    return ASKED_AGAIN if answer.label == "unclear" else answer.label


ASKED_AGAIN = "(asked again)"


@dataclass(frozen=True)
class TurnGrammar:
    """What the dialogue listens with in one turn: its phrases, and the phrases that end a reply at once
    (``finishing``) or provisionally (``revisable``, with their meanings)."""

    phrases: list[str]
    finishing: frozenset[str]
    revisable: dict[str, object]


def turn_grammar(prompt: Prompt) -> TurnGrammar:
    """The grammar and quick endings ``Conversation.ask`` gives the channel for ``prompt``."""
    phrases = UNDERSTANDING.phrases(prompt)
    conversation = Conversation(channel=None, events=RecordingSink(), understanding=UNDERSTANDING)  # type: ignore[arg-type]
    finishing, revisable = conversation._quick_endings(prompt, phrases)
    return TurnGrammar(phrases, finishing, revisable)


@dataclass
class RoomNoise:
    """Real room noise, mixed under speech at a signal-to-noise ratio (speech level measured on its
    sounding 10 ms frames); the stretch of noise used is chosen from the answer, so runs repeat."""

    folder: Path
    names: tuple[str, ...] = ROOM_NOISE
    """The recordings' file names in ``folder``, without ``.wav``."""
    _noise: list[bytes] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._noise = [read_wav(self.folder / f"{name}.wav") for name in self.names]

    def around(self, speech: bytes, snr_db: float | None, key: str) -> bytes:
        """``speech`` with ``LEAD_S`` before and ``TAIL_S`` after, in silence (``snr_db`` None) or in room
        noise ``snr_db`` below the speech."""
        pcm = silence(LEAD_S) + speech + silence(TAIL_S)
        if snr_db is None:
            return pcm
        digest = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
        noise = self._noise[digest % len(self._noise)]
        start = (digest // 7 * SAMPLE_WIDTH) % max(SAMPLE_WIDTH, len(noise) - len(pcm))
        start -= start % SAMPLE_WIDTH
        piece = noise[start : start + len(pcm)]
        piece += bytes(len(pcm) - len(piece))
        gain = speech_rms(speech) / max(1, audioop.rms(piece, SAMPLE_WIDTH)) / 10 ** (snr_db / 20)
        return audioop.add(pcm, audioop.mul(piece, SAMPLE_WIDTH, gain), SAMPLE_WIDTH)


def speech_rms(pcm: bytes) -> int:
    """RMS of the 10 ms frames of ``pcm`` within 30 dB of its loudest frame (its speech)."""
    step = bytes_of(0.01)
    frames: list[int] = [
        audioop.rms(pcm[i : i + step], SAMPLE_WIDTH) for i in range(0, len(pcm) - step + 1, step)
    ]
    loud = [f for f in frames if f > max(frames, default=0) / 31.6]
    mean_square: float = sum(f * f for f in loud) / max(1, len(loud))
    return round(math.sqrt(mean_square))


@dataclass(frozen=True)
class Hearing:
    """One answer heard in one turn: what was said and meant, and what the dialogue took it to mean."""

    turn: str
    voice: str
    held_out: bool
    rate_wpm: int
    condition: str
    said: str
    meant: str
    heard: str
    taken: str
    provisional: bool
    revised: bool
    confidence: float = 0.0
    """The recogniser's confidence in what was heard (0 when nothing was)."""
    checked: bool = False
    """Whether a second recogniser supplied what was heard (``Heard.checked``)."""

    @property
    def as_meant(self) -> bool:
        return self.taken == self.meant

    @property
    def asked_again(self) -> bool:
        return self.taken == ASKED_AGAIN

    @property
    def other(self) -> bool:
        return not self.as_meant and not self.asked_again

    @property
    def swapped(self) -> str:
        """ "yes->no" or "no->yes" when a yes was taken as a no or a no as a yes, else ""."""
        if {self.meant, self.taken} == {"yes", "no"}:
            return f"{self.meant}->{self.taken}"
        return ""


class TurnListener:
    """The session's one listener and endpointer, heard through as the voice channel hears a tape."""

    def __init__(self, recognizer: Recognizer) -> None:
        self.endpointer = Endpointer(EndpointSettings())
        self.listener = UtteranceListener(recognizer, ["yes"], self.endpointer)

    def first_hearing(self, pcm: bytes, grammar: TurnGrammar) -> tuple[Heard, bool]:
        """What the dialogue takes from ``pcm`` under ``grammar`` (the provisional reply if it stood,
        else the listener's final result), and whether a provisional reply was revised."""
        self.endpointer.take_held()
        listener = self.listener
        listener.begin(grammar.phrases, EARLY_END_S, grammar.finishing, grammar.revisable)
        chunks = split_chunks(pcm)
        heard = _until_result(listener, chunks)
        if not heard.provisional:
            return heard, False
        final = _until_result(listener, chunks)
        return (final, True) if listener.revised else (heard, False)


def _until_result(listener: UtteranceListener, chunks: Iterator[bytes]) -> Heard:
    for chunk in chunks:
        heard = listener.push(chunk)
        if heard is not None:
            return heard
    return listener.end_of_stream()


def hear_answers(
    recognizer_for: Callable[[], Recognizer],
    speech: Callable[[str], bytes],
    room: RoomNoise | None,
    snr_db: float | None,
    label: tuple[str, bool, int, str],
    answers: Sequence[tuple[str, str]] | None = None,
) -> list[Hearing]:
    """Every answer (``(turn, text)`` pairs, a text may end in ``#`` and a take; default ``ANSWERS``) said
    by ``speech`` in one session (one
    recogniser from ``recognizer_for``, one listener), in the room at ``snr_db``. ``label``: voice, held
    out, rate, condition."""
    voice, held_out, rate_wpm, condition = label
    listener = TurnListener(recognizer_for())
    grammars = {turn: turn_grammar(prompt) for turn, prompt in TURNS.items()}
    said = answers or [(turn, text) for turn, texts in ANSWERS.items() for text in texts]
    found = []
    for turn, text in said:
        prompt = TURNS[turn]
        pcm = speech(text)
        if room is not None:
            pcm = room.around(pcm, snr_db, f"{voice}|{rate_wpm}|{text}")
        else:
            pcm = silence(LEAD_S) + pcm + silence(TAIL_S)
        heard, revised = listener.first_hearing(pcm, grammars[turn])
        accepted = heard.accepted
        taken = meaning(heard.text if accepted else "", prompt, heard.confidence)
        found.append(
            Hearing(
                turn,
                voice,
                held_out,
                rate_wpm,
                condition,
                text,
                meaning(normal(text.split("#", 1)[0]), prompt),
                heard.text if accepted else "",
                taken,
                heard.provisional,
                revised,
                heard.confidence if accepted else 0.0,
                heard.checked,
            )
        )
    return found
