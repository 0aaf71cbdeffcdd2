"""Where the player narrates: on the audio bus with a command listener, or as printed text.

A stage speaks and stays silent on its session clock (``t_s``, seconds) and, while it does, hands
whatever the person says or types to a ``Judge``; when the judge finds something (a command, a warning
sign, words of self-harm) the output stops at once and the stage returns it as an ``Interruption``.
"""

import select
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import Chunk
from voicecare.exercises.script import SpeechEstimator
from voicecare.narration.speech_timing import CachedSynthesizer
from voicecare.recognition.listening import UtteranceListener
from voicecare.recognition.ports import SURE_CONFIDENCE, Recognizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.speakable import speakable

COMMAND_EARLY_END_S = 0.2
"""Silence after a complete command phrase that ends it (seconds): keeps "stop" quick. Measured on the
simulated clock with three voices: at 0.15 s the word was cut before the recogniser could accept it (0 of 3
stops heard); at 0.2 s (with the recogniser's speech start values) 3 of 3 stopped, 110 to 220 ms after the
end of "stop"; 0.25 s went over 300 ms once."""
NEVER_S = 1e9


@dataclass(frozen=True)
class Interruption:
    """What interrupted (``found``, whatever the judge returned) and the session time it did (seconds):
    the output is silent from ``at_s`` on."""

    found: object
    at_s: float


Judge = Callable[[str], object | None]
"""Takes heard or typed text; returns what it means when that should interrupt, else None."""


class Stage(Protocol):
    """Speaks and waits on a session clock, listening for interruptions."""

    @property
    def t_s(self) -> float:
        """Session time in seconds."""
        ...

    @property
    def can_hear(self) -> bool:
        """True while the person can interrupt."""
        ...

    def speak(self, text: str, speech: SpeechSettings, judge: Judge | None) -> Interruption | None:
        """Say ``text``; the interruption, if ``judge`` found one."""
        ...

    def wait(self, seconds: float, judge: Judge | None) -> Interruption | None:
        """Stay silent ``seconds``; the interruption, if ``judge`` found one."""
        ...

    def seconds(self, text: str, speech: SpeechSettings) -> float:
        """How long ``text`` takes to say at ``speech``."""
        ...


@dataclass
class VoiceStage:
    """Speech on ``bus``; ``recognizer`` (None: nothing is heard) listens on every chunk under
    ``phrases``, and an utterance ends ``COMMAND_EARLY_END_S`` after any phrase of ``finishing``."""

    bus: AudioBus
    synthesizer: CachedSynthesizer
    recognizer: Recognizer | None
    phrases: Sequence[str] = ()
    finishing: frozenset[str] = frozenset()
    _endpointer: Endpointer = field(
        default_factory=lambda: Endpointer(EndpointSettings(no_speech_timeout_s=NEVER_S))
    )
    _listener: UtteranceListener | None = None
    _owed_s: float = 0.0

    @property
    def t_s(self) -> float:
        return self.bus.t_s

    @property
    def can_hear(self) -> bool:
        return self.recognizer is not None and self.bus.can_listen

    def speak(self, text: str, speech: SpeechSettings, judge: Judge | None) -> Interruption | None:
        pcm = self.synthesizer.pcm(speakable(text), speech)
        return self._on_bus(lambda take: self.bus.play(pcm, take), judge)

    def wait(self, seconds: float, judge: Judge | None) -> Interruption | None:
        """Silence in whole chunks; the rounding is carried over so many pauses do not drift."""
        due = seconds + self._owed_s
        chunks = max(0, round(due / CHUNK_S))
        self._owed_s = due - chunks * CHUNK_S
        return self._on_bus(lambda take: self.bus.wait(chunks * CHUNK_S, take), judge)

    def seconds(self, text: str, speech: SpeechSettings) -> float:
        return self.synthesizer.seconds(text, speech)

    def _on_bus(
        self, run: Callable[[Callable[[Chunk], bool] | None], bool], judge: Judge | None
    ) -> Interruption | None:
        if judge is None or not self.can_hear:
            run(None)
            return None
        found: list[Interruption] = []

        def take(chunk: Chunk) -> bool:
            text = self._listen(chunk)
            meaning = judge(text) if text else None
            if meaning is not None:
                found.append(Interruption(meaning, self.bus.t_s))
            return meaning is not None

        run(take)
        return found[0] if found else None

    def _listen(self, chunk: Chunk) -> str:
        """Feed one chunk; the text of an utterance heard surely once one has ended, else "": whatever
        interrupts narration changes the session, so it needs ``SURE_CONFIDENCE``."""
        if self.recognizer is None:
            return ""
        if self._listener is None:
            self._listener = UtteranceListener(
                self.recognizer, self.phrases, self._endpointer, COMMAND_EARLY_END_S, self.finishing
            )
        heard = self._listener.push(chunk)
        if heard is None:
            return ""
        self._listener = None
        return heard.text if heard.accepted and heard.confidence >= SURE_CONFIDENCE else ""


@dataclass
class TextStage:
    """Narration printed to ``output``. With ``input`` (a terminal), speech and silences last their real
    time and typed lines are judged meanwhile; without, nothing waits and nothing is read (typed lines
    are left for the questions). Lines typed while nothing listens (``judge`` None) wait for the next
    listener. The clock advances by the speech and silence lengths either way."""

    output: TextIO
    input: TextIO | None
    estimate: SpeechEstimator
    base_rate_wpm: float = 160.0
    _t_s: float = 0.0

    @property
    def t_s(self) -> float:
        return self._t_s

    @property
    def can_hear(self) -> bool:
        return self.input is not None

    def speak(self, text: str, speech: SpeechSettings, judge: Judge | None) -> Interruption | None:
        self.output.write(text + "\n")
        self.output.flush()
        return self.wait(self.seconds(text, speech), judge)

    def wait(self, seconds: float, judge: Judge | None) -> Interruption | None:
        started_t, started = self._t_s, time.monotonic()
        self._t_s += seconds
        if self.input is None:
            return None
        if judge is None:
            time.sleep(seconds)
            return None
        while (left := seconds - (time.monotonic() - started)) > 0:
            readable, _, _ = select.select([self.input], [], [], left)
            if not readable:
                break
            line = self.input.readline()
            if line == "":
                self.input = None
                time.sleep(max(0.0, seconds - (time.monotonic() - started)))
                break
            meaning = judge(line.strip()) if line.strip() else None
            if meaning is not None:
                self._t_s = started_t + (time.monotonic() - started)
                return Interruption(meaning, self._t_s)
        return None

    def seconds(self, text: str, speech: SpeechSettings) -> float:
        return self.estimate(text) * self.base_rate_wpm / speech.rate_wpm
