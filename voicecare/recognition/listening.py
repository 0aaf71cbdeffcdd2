"""Listening for one utterance under a grammar: push-driven (``UtteranceListener``) or pulled (``listen``)."""

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from enum import Enum

from voicecare.audio.compat import audioop
from voicecare.audio.endpointing import Endpointer, EndpointEvent, EndpointSettings, EventKind
from voicecare.audio.pcm import SAMPLE_WIDTH, Chunk, bytes_of, duration_s, split_chunks
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard, RecognitionSession, Recognizer

EARLY_END_S = 0.2
"""Trailing silence (seconds) after which an utterance whose partial result is already a complete
phrase of the grammar, and the start of no longer one, is taken as finished. With the final pass done
after 0.1 s of silence (``RecognitionSession.feed``), 0.2 s is one 100 ms chunk later."""

PROVISIONAL_END_S = 0.08
"""Trailing silence (seconds) after which an utterance whose live partial result is one of the
``revisable`` phrases is taken, provisionally. Ending so soon costs little when it was wrong: the final
result (``VERIFY_AFTER_S``) or more speech revises the reply."""
VERIFY_AFTER_S = 0.1
"""Trailing silence (seconds) after which a provisional result is checked against the final one: the
silence pocketsphinx decodes its final pass after (``Tuning.tail_s``), so the check costs no extra pass."""

UNSURE_CHECKED = 0.45
"""The confidence of a checked result the first recogniser meant otherwise: below ``SURE_CONFIDENCE``."""

_UNKNOWN = object()
"""What a final result outside the revisable phrases means: nothing a provisional one could mean."""


class ListenerState(Enum):
    """Where an ``UtteranceListener`` is in its turn.

    Transitions (the method that makes each): WAITING -> IN_SPEECH on speech start (``_start_speech``);
    WAITING -> DONE on the no-speech timeout (``_time_out``); IN_SPEECH -> DONE on an early end
    (``_end_early``) or the hangover (``_end``); IN_SPEECH -> PROVISIONAL on a revisable phrase after
    ``PROVISIONAL_END_S`` of silence (``_take_provisionally``); PROVISIONAL -> SETTLING once the final
    decoding is checked (``_check``); PROVISIONAL or SETTLING -> IN_SPEECH when speech goes on
    (``_go_on``); any state -> DONE at the end of the stream (``end_of_stream``) or on ``cancel``; any
    state -> WAITING on ``begin``.
    """

    WAITING = "waiting"
    """No speech yet in this turn."""
    IN_SPEECH = "in speech"
    """An utterance is being decoded; no result has been given for it."""
    PROVISIONAL = "provisional"
    """A provisional result was given (from the live partial result); its final decoding is not checked
    yet."""
    SETTLING = "settling"
    """The final decoding is done and held as the result; the rest of the hangover is listened out, in
    case speech goes on. ``revised`` tells whether the provisional result stands."""
    DONE = "done"
    """The result was given, or the turn was cancelled. Chunks pushed now are listened to as in WAITING,
    under the same grammar (a START opens the next utterance); ``begin`` re-arms for a new turn."""


_DECODING = (ListenerState.IN_SPEECH, ListenerState.PROVISIONAL)
"""The states in which a recognition session is open."""
_TAKEN = (ListenerState.PROVISIONAL, ListenerState.SETTLING)
"""The states in which a result is held until the hangover is out."""


class UtteranceListener:
    """Push-driven recognition of one utterance per turn: feed chunks as they come, get a ``Heard`` once.

    The utterance ends after the endpointer's hangover, or sooner, after ``early_end_s`` of silence,
    when the partial result is a complete phrase that no other phrase extends ("no" is not finished
    early while "no i don't" is in the grammar). The session is told the silence after the speech as it
    goes on, so it can decode the final result before the utterance is declared over.
    ``push`` returns None until the utterance has ended,
    or until no speech has started within the endpointer's no-speech timeout (``timed_out``).
    ``finishing`` replaces the phrases that may end an utterance early (default: those no other extends).

    ``revisable`` phrases (each with what it means: phrases of equal meaning are the same reply) end an
    utterance sooner still, after ``PROVISIONAL_END_S`` of silence, but only provisionally: the ``Heard``
    (the live partial result, taken as sure) is marked ``provisional`` and the listener wants more
    chunks until the hangover is out. Then ``push`` returns the final result. ``revised`` tells, as soon
    as it is known, that it will not be the provisional reply: the final decoding meant something else
    or was not sure, or speech went on, in which case the whole utterance is decoded afresh from its
    start ("no", a pause, "i don't know") and ends as any other.

    ``state`` (a ``ListenerState``) names where the turn is. One listener may serve a whole session:
    ``begin`` starts a new turn on the same recognizer and endpointer.
    """

    _phrases: list[str]
    _finishing: frozenset[str]
    _revisable: dict[str, object]
    """What each revisable phrase (normalised) means; emptied once speech went on after a provisional end."""
    _meanings: dict[str, object]
    """What each revisable phrase means, for the whole turn (to weigh a checked result, ``_weighed``)."""
    _early_end_s: float | None
    _start_s: float
    """Stream time (s) where the utterance under way started."""
    _partial: str
    _pcm: bytearray
    """The utterance's audio so far, from its start."""
    _silence_s: float
    """Seconds of silence at the end of the audio taken so far (as the last event told)."""
    revised: bool
    """True once a provisional result turned out wrong or speech went on after it."""

    def __init__(
        self,
        recognizer: Recognizer,
        phrases: Sequence[str],
        endpointer: Endpointer,
        early_end_s: float | None = EARLY_END_S,
        finishing: Collection[str] | None = None,
        revisable: Mapping[str, object] | None = None,
    ) -> None:
        self._recognizer = recognizer
        self._endpointer = endpointer
        self._state = ListenerState.WAITING
        self._session: RecognitionSession | None = None
        """Open in IN_SPEECH and PROVISIONAL only."""
        self._result: Heard | None = None
        """In PROVISIONAL the result given provisionally, in SETTLING the final one (None otherwise)."""
        self._deferred: tuple[bytes, float] | None = None
        """Audio held back from the session, with its trailing silence: fed on the next push, so the final
        pass it starts comes after a provisional reply has been handed out, not before."""
        self.begin(phrases, early_end_s, finishing, revisable)

    @property
    def state(self) -> ListenerState:
        """Where the turn is (read-only)."""
        return self._state

    @property
    def partial(self) -> str:
        """The partial hypothesis of the utterance under way ("" when none)."""
        return self._partial

    @property
    def level_rms(self) -> int:
        """RMS (16-bit units) of the utterance's audio so far, its pauses included (0 before speech)."""
        return audioop.rms(bytes(self._pcm), SAMPLE_WIDTH) if self._pcm else 0

    def begin(
        self,
        phrases: Sequence[str],
        early_end_s: float | None = EARLY_END_S,
        finishing: Collection[str] | None = None,
        revisable: Mapping[str, object] | None = None,
    ) -> None:
        """Start a new turn under ``phrases`` (arguments as the constructor's), from any state: an
        utterance under way is cancelled, its session closed with no result. The endpointer is reset
        (its noise estimate and held events are kept), so speech still going on starts a new utterance."""
        self.cancel()
        self._phrases = list(phrases)
        self._finishing = _finishing_phrases(phrases) if finishing is None else frozenset(finishing)
        self._revisable = {_normal(p): meaning for p, meaning in (revisable or {}).items()}
        self._meanings = dict(self._revisable)
        self._early_end_s = early_end_s
        self._start_s = 0.0
        self._partial = ""
        self._pcm = bytearray()
        self._silence_s = 0.0
        self.revised = False
        self._state = ListenerState.WAITING
        self._endpointer.reset()

    def push(self, chunk: Chunk) -> Heard | None:
        """Take one chunk; the result once the utterance is over, else None."""
        return self.take(self._endpointer.push(chunk))

    def take(self, events: list[EndpointEvent]) -> Heard | None:
        """Take endpointer events directly (events after the end are held in the endpointer, for the next
        turn or listener)."""
        endpointer = self._endpointer
        self._feed_deferred()
        for index, event in enumerate(events):
            if event.kind is EventKind.TIMEOUT:
                endpointer.hold(events[index + 1 :])
                return self._time_out(event.t_s)
            if event.kind is EventKind.START:
                self._start_speech(event)
                continue
            self._pcm += event.pcm
            went_on = self._went_on(event)
            if self._state in _DECODING:
                self._feed(event.pcm, event.silence_s)
            self._silence_s = event.silence_s
            if self._state in _TAKEN and went_on:
                self._go_on()
            if event.kind is EventKind.END:
                endpointer.hold(events[index + 1 :])
                return self._end(event.t_s, event.silence_s)
        self._check(endpointer.trailing_silence_s, endpointer.speech_end_s)
        return None if self._state in _TAKEN else self._early_end()

    def end_of_stream(self) -> Heard:
        """The stream ended: finish an utterance under way, else report that nothing was said (DONE)."""
        return self._end(self._endpointer.t_s, self._endpointer.trailing_silence_s)

    def cancel(self) -> None:
        """Abandon the utterance under way, with no result (DONE)."""
        self._result = self._deferred = None
        if self._session is not None:
            self._session.cancel()
            self._session = None
        self._state = ListenerState.DONE

    # The transitions.

    def _start_speech(self, event: EndpointEvent) -> None:
        """WAITING (or DONE) -> IN_SPEECH: an utterance starts; decode it from ``event`` (START) on."""
        self._session = self._recognizer.open(self._phrases)
        self._start_s = event.t_s
        self._pcm = bytearray(event.pcm)
        self._partial = self._session.feed(event.pcm)
        self._silence_s = 0.0
        self._result = None
        self._state = ListenerState.IN_SPEECH

    def _time_out(self, t_s: float) -> Heard:
        """WAITING (or DONE) -> DONE: no speech started within the no-speech timeout, at ``t_s``."""
        self._state = ListenerState.DONE
        return Heard("", 0.0, timed_out=True, start_s=t_s, end_s=t_s)

    def _early_end(self) -> Heard | None:
        """In IN_SPEECH, the result, final or provisional, if the utterance may end early now; else None."""
        endpointer = self._endpointer
        silence_s = endpointer.trailing_silence_s
        if self._state is not ListenerState.IN_SPEECH or not endpointer.in_speech:
            return None
        if self._early_end_s is None:
            return None
        said = _normal(self._partial)
        if said in self._revisable and silence_s >= PROVISIONAL_END_S:
            return self._take_provisionally(said)
        if said in self._finishing and silence_s >= self._early_end_s:
            return self._end_early(silence_s)
        return None

    def _end_early(self, silence_s: float) -> Heard:
        """IN_SPEECH -> DONE: the partial result is a finishing phrase, followed by ``silence_s`` of
        silence; the endpointer ends the utterance now."""
        heard = self._finish(self._endpointer.end_now(), silence_s)
        self._state = ListenerState.DONE
        return heard

    def _take_provisionally(self, said: str) -> Heard | None:
        """IN_SPEECH -> PROVISIONAL: the partial result ``said`` is revisable and ``PROVISIONAL_END_S`` of
        silence followed it. Unless audio is deferred, it is checked at once (-> SETTLING) when
        ``VERIFY_AFTER_S`` of silence has passed already; a result known not to stand before it was given
        is not given: the listener waits out the hangover, ``revised`` False. Returns the result given."""
        endpointer = self._endpointer
        self._result = Heard(said, 1.0, start_s=self._start_s, end_s=endpointer.speech_end_s)
        self._state = ListenerState.PROVISIONAL
        if self._deferred is None:
            self._check(endpointer.trailing_silence_s, endpointer.speech_end_s)
        if not self.revised:
            return replace(self._result, provisional=True)
        self.revised = False
        return None

    def _check(self, silence_s: float, speech_end_s: float, now: bool = False) -> None:
        """PROVISIONAL -> SETTLING, once ``VERIFY_AFTER_S`` of silence has followed the speech (ending at
        ``speech_end_s``), or ``now``: finish decoding and check the provisional result. When the final
        one means something else or is not sure, it is ``revised``; the final one is the result either
        way (still listened past, for more speech). Does nothing in other states."""
        if self._state is not ListenerState.PROVISIONAL or (silence_s < VERIFY_AFTER_S and not now):
            return
        assert self._result is not None
        taken = self._result
        final = self._finish(speech_end_s, silence_s)
        meant = self._revisable.get(_normal(final.text), _UNKNOWN)
        same = meant == self._revisable[taken.text] and final.confidence >= SURE_CONFIDENCE
        self.revised = self.revised or not (final.accepted and same)
        self._result = final
        self._state = ListenerState.SETTLING

    def _go_on(self) -> None:
        """PROVISIONAL or SETTLING -> IN_SPEECH, ``revised``: speech went on after a provisional result.
        The whole utterance is decoded again from its start (unless its decoding is still under way) and
        ends as any other, with no more provisional ends."""
        self._result = None
        self._revisable = {}
        self.revised = True
        if self._state is ListenerState.SETTLING:
            self._session = self._recognizer.open(self._phrases)
            pieces = list(split_chunks(bytes(self._pcm)))
            for piece in pieces[:-1]:
                self._session.feed(piece)
            self._partial = self._session.feed(pieces[-1], self._silence_s)
        self._state = ListenerState.IN_SPEECH

    def _end(self, end_s: float, silence_s: float) -> Heard:
        """Any state -> DONE: the utterance is over (the hangover passed, or the stream ended at ``end_s``
        with ``silence_s`` of silence after the speech). With no utterance under way: timed out."""
        self._feed_deferred()
        self._check(silence_s, end_s, now=True)
        if self._state is ListenerState.SETTLING:
            assert self._result is not None
            heard, self._result = self._result, None
        else:
            heard = self._finish(end_s, silence_s)
        self._state = ListenerState.DONE
        return heard

    # Decoding.

    def _feed(self, pcm: bytes, silence_s: float) -> None:
        """Feed ``pcm``, ending in ``silence_s`` of silence, to the session. Where a provisional end may
        come first (the silence passes ``PROVISIONAL_END_S`` and ``VERIFY_AFTER_S`` in this audio, and
        the partial result there is revisable), the audio after ``PROVISIONAL_END_S`` is deferred."""
        assert self._session is not None
        past_s = silence_s - PROVISIONAL_END_S
        crossing = self._silence_s < PROVISIONAL_END_S <= silence_s and silence_s >= VERIFY_AFTER_S
        if crossing and self._revisable and self._state is ListenerState.IN_SPEECH:
            cut = max(0, len(pcm) - bytes_of(past_s))
            self._partial = self._session.feed(pcm[:cut], PROVISIONAL_END_S)
            if _normal(self._partial) in self._revisable:
                self._deferred = (pcm[cut:], silence_s)
                return
            pcm = pcm[cut:]
        self._partial = self._session.feed(pcm, silence_s)

    def _feed_deferred(self) -> None:
        """Feed the audio held back by ``_feed``, if any."""
        deferred, self._deferred = self._deferred, None
        if deferred is not None and self._session is not None:
            self._partial = self._session.feed(*deferred)

    def _went_on(self, event: EndpointEvent) -> bool:
        """True when ``event`` holds speech: its silence did not grow by its whole length."""
        return event.silence_s < self._silence_s + duration_s(event.pcm) - 1e-6

    def _finish(self, end_s: float, silence_s: float) -> Heard:
        """Close the session: the result of the utterance that ended at ``end_s``, followed by
        ``silence_s`` of silence (timed out when no session is open)."""
        session, self._session = self._session, None
        if session is None:
            return Heard("", 0.0, timed_out=True, start_s=end_s, end_s=end_s)
        heard = self._weighed(session.finish(silence_s))
        return replace(heard, start_s=self._start_s, end_s=end_s, provisional=False)

    def _weighed(self, heard: Heard) -> Heard:
        """``heard``, kept below ``SURE_CONFIDENCE`` when a second recogniser heard it (``Heard.checked``)
        but the first recogniser's own best phrase meant something else (or, in a turn without meanings,
        was another phrase): what only one recogniser heard is never sure enough to end doubt."""
        if not heard.checked or heard.confidence < SURE_CONFIDENCE or not heard.hypothesis:
            return heard
        first, meanings = _normal(heard.hypothesis), self._meanings
        if first == _normal(heard.text):
            return heard
        second = _normal(heard.text)
        if first in meanings and second in meanings and meanings[first] == meanings[second]:
            return heard
        return replace(heard, confidence=UNSURE_CHECKED)


def listen(
    recognizer: Recognizer,
    chunks: Iterator[Chunk],
    phrases: Sequence[str],
    settings: EndpointSettings | None = None,
    endpointer: Endpointer | None = None,
    early_end_s: float | None = EARLY_END_S,
) -> Heard:
    """Wait for the next utterance in ``chunks`` and return what was heard among ``phrases``.

    See ``UtteranceListener`` for when an utterance ends. Returns ``Heard(timed_out=True)`` when no
    speech starts within the no-speech timeout, or when the stream ends first. Pass the same
    ``endpointer`` across turns to keep its noise estimate and any audio after the previous utterance.
    """
    endpointer = endpointer or Endpointer(settings or EndpointSettings())
    listener = UtteranceListener(recognizer, phrases, endpointer, early_end_s)
    heard = listener.take(endpointer.take_held())
    if heard is not None:
        return heard
    for chunk in chunks:
        heard = listener.push(chunk)
        if heard is not None:
            return heard
    return listener.end_of_stream()


def settled_phrases(phrases: Sequence[str], meaning: Callable[[str], object]) -> frozenset[str]:
    """The phrases whose meaning no longer phrase can change ("stop": "stop now" also stops), so an
    utterance can end as soon as one of them is complete."""
    normal = [_normal(p) for p in phrases]
    return frozenset(
        p for p in normal if all(meaning(o) == meaning(p) for o in normal if o != p and o.startswith(p + " "))
    )


def _normal(text: str) -> str:
    """``text`` in lower case with single spaces, as phrases are compared."""
    return " ".join(text.lower().split())


def _finishing_phrases(phrases: Sequence[str]) -> frozenset[str]:
    """The phrases that are not the first words of a longer phrase."""
    normal = {_normal(p) for p in phrases}
    return frozenset(p for p in normal if not any(o != p and o.startswith(p + " ") for o in normal))


def listen_all(
    recognizer: Recognizer,
    chunks: Iterator[Chunk],
    phrases: Sequence[str],
    settings: EndpointSettings | None = None,
) -> Iterator[Heard]:
    """Every utterance in ``chunks``, recognised under ``phrases``, in order, until the stream ends.

    Stretches of silence longer than the no-speech timeout are skipped, not reported.
    """
    endpointer = Endpointer(settings or EndpointSettings())
    stream = EndAware(chunks)
    while not stream.ended:
        heard = listen(recognizer, stream, phrases, endpointer=endpointer)
        if not heard.timed_out:
            yield heard


class EndAware:
    """A chunk iterator that remembers whether it has run out."""

    def __init__(self, inner: Iterator[Chunk]) -> None:
        self._inner = inner
        self.ended = False

    def __iter__(self) -> Iterator[Chunk]:
        return self

    def __next__(self) -> Chunk:
        try:
            return next(self._inner)
        except StopIteration:
            self.ended = True
            raise
