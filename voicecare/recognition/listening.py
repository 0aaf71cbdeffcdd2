"""Listening for one utterance under a grammar: push-driven (``UtteranceListener``) or pulled (``listen``)."""

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import replace

from voicecare.audio.compat import audioop
from voicecare.audio.endpointing import Endpointer, EndpointEvent, EndpointSettings, EventKind
from voicecare.audio.pcm import SAMPLE_WIDTH, Chunk, bytes_of, duration_s, split_chunks
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard, RecognitionSession, Recognizer

EARLY_END_S = 0.2
"""Trailing silence (seconds) after which an utterance whose partial result is already a complete
phrase of the grammar, and the start of no longer one, is taken as finished. With the final pass done
after 0.1 s of silence (``RecognitionSession.feed``), 0.2 s is one 100 ms chunk later. On the dialogue
benchmark, in a trial where a bare "no" could end early too (not kept: see ``Conversation``), the median
turn was 268 ms at 0.2 s against 305 ms at 0.25 s."""

PROVISIONAL_END_S = 0.08
"""Trailing silence (seconds) after which an utterance whose live partial result is one of the
``revisable`` phrases is taken, provisionally. Ending so soon costs little when it was wrong: the final
result (``VERIFY_AFTER_S``) or more speech revises the reply."""
VERIFY_AFTER_S = 0.1
"""Trailing silence (seconds) after which a provisional result is checked against the final one: the
silence pocketsphinx decodes its final pass after (``Tuning.tail_s``), so the check costs no extra pass."""

_UNKNOWN = object()
"""What a final result outside the revisable phrases means: nothing a provisional one could mean."""


class UtteranceListener:
    """Push-driven recognition of one utterance: feed chunks as they come, get a ``Heard`` once.

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
    """

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
        self._phrases = list(phrases)
        self._finishing = _finishing_phrases(phrases) if finishing is None else frozenset(finishing)
        self._revisable = {_normal(p): meaning for p, meaning in (revisable or {}).items()}
        self._endpointer = endpointer
        self._early_end_s = early_end_s
        self._session: RecognitionSession | None = None
        self._start_s = 0.0
        self._partial = ""
        self._pcm = bytearray()
        self._provisional: Heard | None = None
        """The result handed out provisionally; checked against the final one while ``_session`` is open."""
        self._silence_s = 0.0
        self._deferred: tuple[bytes, float] | None = None
        """Audio held back from the session, with its trailing silence: fed on the next push, so the final
        pass it starts comes after a provisional reply has been handed out, not before."""
        self.revised = False
        """True once a provisional result turned out wrong or speech went on after it."""
        endpointer.reset()

    @property
    def partial(self) -> str:
        """The partial hypothesis of the utterance under way ("" when none)."""
        return self._partial

    @property
    def level_rms(self) -> int:
        """RMS (16-bit units) of the utterance's audio so far, its pauses included (0 before speech)."""
        return audioop.rms(bytes(self._pcm), SAMPLE_WIDTH) if self._pcm else 0

    def push(self, chunk: Chunk) -> Heard | None:
        """Take one chunk; the result once the utterance is over, else None."""
        return self.take(self._endpointer.push(chunk))

    def take(self, events: list[EndpointEvent]) -> Heard | None:
        """Take endpointer events directly (events after the end are held for the next listener)."""
        endpointer = self._endpointer
        self._feed_deferred()
        for index, event in enumerate(events):
            if event.kind is EventKind.TIMEOUT:
                endpointer.hold(events[index + 1 :])
                return Heard("", 0.0, timed_out=True, start_s=event.t_s, end_s=event.t_s)
            if event.kind is EventKind.START:
                self._session = self._recognizer.open(self._phrases)
                self._start_s = event.t_s
                self._pcm = bytearray(event.pcm)
                self._partial = self._session.feed(event.pcm)
                self._silence_s = 0.0
                continue
            self._pcm += event.pcm
            went_on = self._went_on(event)
            if self._session is not None:
                self._feed(event.pcm, event.silence_s)
            self._silence_s = event.silence_s
            if self._provisional is not None and went_on:
                self._revise()
            if event.kind is EventKind.END:
                endpointer.hold(events[index + 1 :])
                return self._end(event.t_s, event.silence_s)
        if self._provisional is not None and self._session is not None:
            self._verify(endpointer.trailing_silence_s, endpointer.speech_end_s)
        return None if self._provisional is not None else self._early_end()

    def _early_end(self) -> Heard | None:
        """The result, final or provisional, if the utterance may end early now; else None."""
        endpointer = self._endpointer
        silence_s = endpointer.trailing_silence_s
        if self._session is None or self._early_end_s is None or not endpointer.in_speech:
            return None
        said = _normal(self._partial)
        if said in self._revisable and silence_s >= PROVISIONAL_END_S:
            self._provisional = Heard(said, 1.0, start_s=self._start_s, end_s=endpointer.speech_end_s)
            if self._deferred is None:
                self._verify(silence_s, endpointer.speech_end_s)
            if not self.revised:
                return replace(self._provisional, provisional=True)
            self.revised = False  # known not to stand before it was handed out: it waits out the hangover
        elif said in self._finishing and silence_s >= self._early_end_s:
            return self._finish(endpointer.end_now(), silence_s)
        return None

    def _verify(self, silence_s: float, speech_end_s: float, now: bool = False) -> None:
        """Once ``VERIFY_AFTER_S`` of silence has followed the speech (ending at ``speech_end_s``), or
        ``now``, finish decoding and check the provisional result: when the final one means something else
        or is not sure, it is ``revised`` and the final one is the result (still listened past, for more
        speech)."""
        if self._provisional is None or (silence_s < VERIFY_AFTER_S and not now):
            return
        final = self._finish(speech_end_s, silence_s)
        meant = self._revisable.get(_normal(final.text), _UNKNOWN)
        same = meant == self._revisable[self._provisional.text] and final.confidence >= SURE_CONFIDENCE
        self.revised = self.revised or not (final.accepted and same)
        self._provisional = final

    def _feed(self, pcm: bytes, silence_s: float) -> None:
        """Feed ``pcm``, ending in ``silence_s`` of silence, to the session. Where a provisional end may
        come first (the silence passes ``PROVISIONAL_END_S`` and ``VERIFY_AFTER_S`` in this audio, and
        the partial result there is revisable), the audio after ``PROVISIONAL_END_S`` is deferred."""
        assert self._session is not None
        past_s = silence_s - PROVISIONAL_END_S
        crossing = self._silence_s < PROVISIONAL_END_S <= silence_s and silence_s >= VERIFY_AFTER_S
        if crossing and self._revisable and self._provisional is None:
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

    def _revise(self) -> None:
        """Speech went on after a provisional result: decode the whole utterance again, from its start
        (unless its decoding is still under way), and let it end as any other."""
        self._provisional = None
        self._revisable = {}
        self.revised = True
        if self._session is not None:
            return
        self._session = self._recognizer.open(self._phrases)
        pieces = list(split_chunks(bytes(self._pcm)))
        for piece in pieces[:-1]:
            self._session.feed(piece)
        self._partial = self._session.feed(pieces[-1], self._silence_s)

    def _end(self, end_s: float, silence_s: float) -> Heard:
        """The utterance is over (the hangover passed, or the stream ended)."""
        self._feed_deferred()
        if self._provisional is not None and self._session is not None:
            self._verify(silence_s, end_s, now=True)
        if self._provisional is not None:
            heard, self._provisional = self._provisional, None
            return heard
        return self._finish(end_s, silence_s)

    def end_of_stream(self) -> Heard:
        """The stream ended: finish an utterance under way, else report that nothing was said."""
        t_s = self._endpointer.t_s
        if self._session is not None or self._provisional is not None:
            return self._end(t_s, self._endpointer.trailing_silence_s)
        return Heard("", 0.0, timed_out=True, start_s=t_s, end_s=t_s)

    def cancel(self) -> None:
        """Abandon the utterance under way."""
        self._provisional = self._deferred = None
        if self._session is not None:
            self._session.cancel()
            self._session = None

    def _finish(self, end_s: float, silence_s: float) -> Heard:
        """The result of the utterance that ended at ``end_s``, followed by ``silence_s`` of silence."""
        session, self._session = self._session, None
        if session is None:
            return Heard("", 0.0, timed_out=True, start_s=end_s, end_s=end_s)
        heard = session.finish(silence_s)
        return Heard(heard.text, heard.confidence, heard.rejected, heard.timed_out, self._start_s, end_s)


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
