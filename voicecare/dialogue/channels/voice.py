"""The voice channel: speech out through a synthesiser, replies in through a recogniser, over the audio bus.

The same class serves a microphone and speaker and a pair of WAV tapes. One listener (one endpointer) hears
everything in the session: replies to questions, and commands, warning signs and words of self-harm
under the narration (barge-in). The bus's echo gate keeps voicecare's own speech, heard back through a
microphone, from reaching it.

A provisional reply ("no", which "no idea" would change) is checked by its final decoding before
anything more is said (``checked``): a reply that does not stand is taken again before the next question
is heard, so questions never come back out of order. The rest of its silence is listened to while what
comes next is said, and voicecare stops talking if the person goes on (the whole utterance is then the
reply to the same question). On a tape the same stretch of tape is read as if voicecare had waited out
the silence, so a tape's answers still meet the same questions.

Barge-in on questions: where the input runs along the clock (a microphone, or a tape within
``along_the_clock``) and the person can be heard over voicecare's speech (see ``_heard_over_speech``), a
question is listened under with its own turn. At the first word of a reply (the live partial result
starts with the first word of one of the turn's phrases, commands included) the output stops, and the
next ``hear`` takes the rest of that utterance as the reply.
"""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import Chunk, split_chunks, whole_chunks
from voicecare.dialogue.port import Answering, Interruption, Listening, Revised, Turn
from voicecare.recognition.listening import EARLY_END_S, ListenerState, UtteranceListener
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
    _under: Turn | None = field(default=None, init=False)
    """The question's turn the listener was armed for while the question was said (barge-in)."""
    _early: Heard | None = field(default=None, init=False)
    """A whole reply heard while the question was said, for the next ``hear``."""
    _first_words: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, init=False, repr=False)
    """The first words of each grammar's phrases (a reply under a question begins with one of them)."""

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
        self,
        text: str,
        speech: SpeechSettings,
        listening: Listening | None = None,
        question: Turn | None = None,
    ) -> Interruption | None:
        if listening is not None:
            pcm = self._cache.pcm(speakable(text), speech)
            return self.settle() or self._on_bus(lambda take: self.bus.play(pcm, take), listening)
        checked = self.checked()
        if checked is not None:
            return checked
        chunks = whole_chunks(self.synthesizer.speak(speakable(text), speech))
        lead = 1 if self.bus.live_input else 0
        while self._pending:
            block = b"".join(itertools.islice(chunks, 1 + lead))
            if not block:
                return None
            if self.bus.play(block, self._watch, lead):
                return self._hear_out()
            lead = 0
        if question is None or not self._listens_under_questions():
            self.bus.play(chunks)
            return None
        return self._over_question(itertools.chain(chunks, split_chunks(self.listening_tone)), question)

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

    def checked(self) -> Interruption | None:
        listener = self._listener
        if not self._pending or listener is None:
            return None
        if self._resolved(listener, listener.take([])):
            return self._hear_out()
        while self._pending and listener.state is ListenerState.PROVISIONAL:
            if not self.bus.can_listen:
                if self._resolved(listener, listener.end_of_stream()):
                    return self._hear_out()
            elif self.bus.wait(CHUNK_S, self._watch):
                return self._hear_out()
        return None

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
        under, early = self._under, self._early
        self._under = self._early = None
        if self.recognizer is None or (not self.bus.can_listen and early is None):
            return Heard("", 0.0, timed_out=True)
        listener = self._listener
        under_way = listener is not None and listener.state is ListenerState.IN_SPEECH
        if listener is not None and under == turn and (early is not None or under_way):
            # The reply began while the question was said: hear it to its end.
            self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=timeout_s)
            heard = early or self._follow(listener, None)
        else:
            if self.listening_tone and under != turn:
                self.bus.play(self.listening_tone)
            self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=timeout_s)
            listener = self._arm(self._as_heard(turn), EARLY_END_S)
            heard = self._follow(listener, listener.take(self._endpointer.take_held()))
        self._armed = None
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

    def _as_heard(self, turn: Turn) -> Turn:
        """``turn`` as a reply is listened for: provisional ends only where the person would be heard
        over what voicecare says next (see ``_heard_over_speech``)."""
        return replace(turn, revisable=turn.revisable if self._heard_over_speech() else None)

    def _listens_under_questions(self) -> bool:
        """Whether a question is listened under for its reply: where the input runs along the clock and
        the person would be heard over the question."""
        return self.can_hear and self.bus.live_input and self._heard_over_speech()

    def _over_question(self, chunks: Iterator[Chunk], turn: Turn) -> Interruption | None:
        """Play the rest of a question (and the listening tone after it), listening under it for a reply to
        ``turn``; ``Answering`` once the person began one (the output is stopped)."""
        self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=NEVER_S)
        listener = self._arm(self._as_heard(turn), EARLY_END_S)
        self._armed = None
        self._under = turn
        key = tuple(turn.phrases)
        first = self._first_words.get(key)
        if first is None:
            first = frozenset(p.split()[0].lower() for p in turn.phrases if p.split())
            self._first_words[key] = first
        early = listener.take(self._endpointer.take_held())

        def take(chunk: Chunk) -> bool:
            nonlocal early
            heard = early or listener.push(chunk)
            early = None
            if heard is not None:
                if heard.timed_out or heard.rejected:
                    return False
                self._early = heard
                return True
            words = listener.partial.lower().split()
            return listener.state is ListenerState.IN_SPEECH and bool(words) and words[0] in first

        if not self.bus.play(chunks, take):
            return None
        return Interruption(Answering(), self.bus.t_s)

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
            self._under = None
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
