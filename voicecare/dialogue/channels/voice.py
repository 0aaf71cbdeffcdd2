"""The voice channel: speech out through a synthesiser, replies in through a recogniser, over the audio bus.

The same class serves a microphone and speaker and a pair of WAV tapes. One listener (one endpointer) hears
everything in the session: replies to questions, and commands, warning signs and words of self-harm
under the narration (barge-in). The bus's echo gate keeps voicecare's own speech, heard back through a
microphone, from reaching it.

A provisional reply ("no", which "no idea" would change) leaves the rest of its silence to listen to:
the channel listens to it while saying what comes next, and stops talking if the final decoding
disagrees or the person goes on. On a tape the same stretch of tape is read as if voicecare had waited
out the silence, so a tape's answers still meet the same questions. On a microphone the question's first
two chunks go out together (``AudioBus.play``'s ``lead``): the final decoding, done on the next chunk
heard, takes longer than one chunk plays.
"""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import Chunk, whole_chunks
from voicecare.dialogue.port import Interruption, Listening, Revised, Turn
from voicecare.recognition.listening import EARLY_END_S, UtteranceListener
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard, Recognizer
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings, Synthesizer
from voicecare.speech.speakable import speakable

NEVER_S = 1e9
"""The no-speech timeout under the narration: nothing is waited for there (seconds)."""

Run = Callable[[Callable[[Chunk], bool] | None], bool]


@dataclass
class VoiceChannel:
    """Speaks with ``synthesizer`` and hears with ``recognizer``, through ``bus``.

    ``listening_tone`` (PCM, may be empty) is played before each listening turn. With no ``recognizer``
    (a session only rendered to a file) nothing is heard: every ``hear`` times out at once.
    """

    bus: AudioBus
    synthesizer: Synthesizer
    recognizer: Recognizer | None
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    listening_tone: bytes = b""
    _cache: CachedSynthesizer = field(init=False)
    _endpointer: Endpointer = field(init=False)
    _listener: UtteranceListener | None = field(default=None, init=False)
    _armed: tuple[Turn, float | None] | None = field(default=None, init=False)
    """The turn (and early end) the listener is armed for under the narration; None after a question."""
    _pending: bool = field(default=False, init=False)
    """A provisional reply's listener is still listening to the silence after it."""
    _revised: Heard | None = field(default=None, init=False)
    _voice_rms: int = field(default=0, init=False)
    """How loud the person's last reply was (RMS, 16-bit units, pauses included)."""
    _owed_s: float = field(default=0.0, init=False)
    """Narration silence not yet waited, from rounding pauses to whole chunks (seconds)."""

    def __post_init__(self) -> None:
        self._cache = (
            self.synthesizer
            if isinstance(self.synthesizer, CachedSynthesizer)
            else CachedSynthesizer(self.synthesizer)
        )
        self._endpointer = Endpointer(self.endpoint)

    def use_recognizer(self, recognizer: Recognizer | None) -> None:
        """Hear with ``recognizer`` from now on (None: hear nothing, and hold no recogniser)."""
        self.recognizer = recognizer
        self._listener = None
        self._armed = None
        self._pending = False

    @property
    def t_s(self) -> float:
        return self.bus.t_s

    @property
    def ended(self) -> bool:
        return self.recognizer is None or not self.bus.can_listen

    @property
    def can_hear(self) -> bool:
        return self.recognizer is not None and self.bus.can_listen

    @contextmanager
    def along_the_clock(self) -> Iterator[None]:
        live = self.bus.live_input
        self.bus.live_input = True
        try:
            yield
        finally:
            self.bus.live_input = live

    def say(
        self, text: str, speech: SpeechSettings, listening: Listening | None = None
    ) -> Interruption | None:
        if listening is not None:
            pcm = self._cache.pcm(speakable(text), speech)
            return self.settle() or self._on_bus(lambda take: self.bus.play(pcm, take), listening)
        chunks = whole_chunks(self.synthesizer.speak(speakable(text), speech))
        lead = 1 if self.bus.live_input else 0
        while self._pending:
            block = b"".join(itertools.islice(chunks, 1 + lead))
            if not block:
                return None
            if self.bus.play(block, self._watch, lead):
                return self._hear_out()
            lead = 0
        self.bus.play(chunks)
        return None

    def wait(self, seconds: float, listening: Listening | None = None) -> Interruption | None:
        """Silence in whole chunks; the rounding is carried over so many pauses do not drift."""
        due = seconds + self._owed_s
        chunks = max(0, round(due / CHUNK_S))
        self._owed_s = due - chunks * CHUNK_S
        if listening is None:
            self.bus.wait(chunks * CHUNK_S)
            return None
        return self.settle() or self._on_bus(lambda take: self.bus.wait(chunks * CHUNK_S, take), listening)

    def seconds(self, text: str, speech: SpeechSettings) -> float:
        return self._cache.seconds(text, speech)

    def settle(self) -> Interruption | None:
        while self._pending:
            listener = self._listener
            assert listener is not None
            if not self.bus.can_listen:
                if self._resolved(listener, listener.end_of_stream()):
                    return self._hear_out()
            elif self.bus.wait(CHUNK_S, self._watch):
                return self._hear_out()
        return None

    def hear(self, turn: Turn, timeout_s: float) -> Heard:
        """See ``Channel.hear``; a provisional reply must have been settled first."""
        if self._pending:
            raise RuntimeError("a provisional reply is still being checked: settle() before hear()")
        if self.recognizer is None or not self.bus.can_listen:
            return Heard("", 0.0, timed_out=True)
        if self.listening_tone:
            self.bus.play(self.listening_tone)
        self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=timeout_s)
        revisable = turn.revisable if self._heard_over_speech() else None
        listener = self._arm(replace(turn, revisable=revisable), EARLY_END_S)
        self._armed = None
        heard = self._follow(listener, listener.take(self._endpointer.take_held()))
        if not heard.timed_out:
            self._voice_rms = listener.level_rms
        self._pending = heard.provisional
        return heard

    def _arm(self, turn: Turn, early_end_s: float | None) -> UtteranceListener:
        """The session's listener, armed for ``turn``."""
        assert self.recognizer is not None
        if self._listener is None:
            self._listener = UtteranceListener(self.recognizer, turn.phrases, self._endpointer)
        self._listener.begin(turn.phrases, early_end_s, turn.finishing, turn.revisable)
        return self._listener

    def _heard_over_speech(self) -> bool:
        """Whether the person, as loud as in their last reply, would be heard over voicecare's speech: on
        a tape always (nothing is heard back); on a microphone, once the echo gate has measured the room
        and would let that voice through over the loudest speech played."""
        gate = self.bus.echo_gate
        return gate is None or gate.hears_over(self._voice_rms)

    def _follow(self, listener: UtteranceListener, result: Heard | None) -> Heard:
        """Listen in silence until ``listener`` has its result (``result`` when it has it already)."""

        def take(chunk: Chunk) -> bool:
            nonlocal result
            result = listener.push(chunk)
            return result is not None

        while result is None:
            if not self.bus.can_listen:
                return listener.end_of_stream()
            self.bus.wait(CHUNK_S, take)
        return result

    def _on_bus(self, run: Run, listening: Listening) -> Interruption | None:
        """Play or wait with ``run``, listening under it for ``listening.judge``'s interruptions."""
        judge = listening.judge
        if judge is None or not self.can_hear:
            run(None)
            return None
        found: list[Interruption] = []

        def take(chunk: Chunk) -> bool:
            text = self._under_narration(chunk, listening.turn)
            meaning = judge(text) if text else None
            if meaning is not None:
                found.append(Interruption(meaning, self.bus.t_s))
            return meaning is not None

        run(take)
        return found[0] if found else None

    def _under_narration(self, chunk: Chunk, turn: Turn) -> str:
        """Feed one chunk heard under the narration; the text of an utterance heard surely once one has
        ended, else "": whatever interrupts narration changes the session, so it needs ``SURE_CONFIDENCE``."""
        if self._armed != (turn, EARLY_END_S):
            self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=NEVER_S)
            self._arm(turn, EARLY_END_S)
            self._armed = (turn, EARLY_END_S)
        assert self._listener is not None
        heard = self._listener.push(chunk)
        if heard is None:
            return ""
        self._armed = None
        return heard.text if heard.accepted and heard.confidence >= SURE_CONFIDENCE else ""

    def _watch(self, chunk: Chunk) -> bool:
        """Feed one chunk heard after a provisional reply; True (interrupt) once it is revised."""
        assert self._listener is not None
        return self._resolved(self._listener, self._listener.push(chunk))

    def _resolved(self, listener: UtteranceListener, result: Heard | None) -> bool:
        """Note what ``listener`` gave (None while the silence goes on); True once its reply is revised."""
        if result is not None:
            self._pending = False
            self._revised = result if listener.revised else None
        return listener.revised

    def _hear_out(self) -> Interruption:
        """A provisional reply was revised: hear the utterance out, and hand the whole reply over."""
        listener, pending = self._listener, self._pending
        self._pending = False
        heard = self._follow(listener, None) if pending and listener is not None else self._revised
        self._revised = None
        assert heard is not None
        return Interruption(Revised(heard), self.bus.t_s)
