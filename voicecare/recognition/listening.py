"""Listening for one utterance under a grammar: push-driven (``UtteranceListener``) or pulled (``listen``)."""

from collections.abc import Callable, Collection, Iterator, Sequence

from voicecare.audio.endpointing import Endpointer, EndpointEvent, EndpointSettings, EventKind
from voicecare.audio.pcm import Chunk
from voicecare.recognition.ports import Heard, RecognitionSession, Recognizer

EARLY_END_S = 0.2
"""Trailing silence (seconds) after which an utterance whose partial result is already a complete
phrase of the grammar, and the start of no longer one, is taken as finished. With the final pass done
after 0.1 s of silence (``RecognitionSession.feed``), 0.2 s is one 100 ms chunk later. On the dialogue
benchmark, in a trial where a bare "no" could end early too (not kept: see ``Conversation``), the median
turn was 268 ms at 0.2 s against 305 ms at 0.25 s."""


class UtteranceListener:
    """Push-driven recognition of one utterance: feed chunks as they come, get a ``Heard`` once.

    The utterance ends after the endpointer's hangover, or sooner, after ``early_end_s`` of silence,
    when the partial result is a complete phrase that no other phrase extends ("no" is not finished
    early while "no i don't" is in the grammar). The session is told the silence after the speech as it
    goes on, so it can decode the final result before the utterance is declared over.
    ``push`` returns None until the utterance has ended,
    or until no speech has started within the endpointer's no-speech timeout (``timed_out``).
    ``finishing`` replaces the phrases that may end an utterance early (default: those no other extends).
    """

    def __init__(
        self,
        recognizer: Recognizer,
        phrases: Sequence[str],
        endpointer: Endpointer,
        early_end_s: float | None = EARLY_END_S,
        finishing: Collection[str] | None = None,
    ) -> None:
        self._recognizer = recognizer
        self._phrases = list(phrases)
        self._finishing = _finishing_phrases(phrases) if finishing is None else frozenset(finishing)
        self._endpointer = endpointer
        self._early_end_s = early_end_s
        self._session: RecognitionSession | None = None
        self._start_s = 0.0
        self._partial = ""
        endpointer.reset()

    @property
    def partial(self) -> str:
        """The partial hypothesis of the utterance under way ("" when none)."""
        return self._partial

    def push(self, chunk: Chunk) -> Heard | None:
        """Take one chunk; the result once the utterance is over, else None."""
        return self.take(self._endpointer.push(chunk))

    def take(self, events: list[EndpointEvent]) -> Heard | None:
        """Take endpointer events directly (events after the end are held for the next listener)."""
        endpointer = self._endpointer
        for index, event in enumerate(events):
            if event.kind is EventKind.TIMEOUT:
                endpointer.hold(events[index + 1 :])
                return Heard("", 0.0, timed_out=True, start_s=event.t_s, end_s=event.t_s)
            if event.kind is EventKind.START:
                self._session = self._recognizer.open(self._phrases)
                self._start_s = event.t_s
                self._partial = self._session.feed(event.pcm)
            elif self._session is not None:
                self._partial = self._session.feed(event.pcm, event.silence_s)
                if event.kind is EventKind.END:
                    endpointer.hold(events[index + 1 :])
                    return self._finish(event.t_s, event.silence_s)
        silence_s = endpointer.trailing_silence_s
        if (
            self._session is not None
            and self._early_end_s is not None
            and endpointer.in_speech
            and silence_s >= self._early_end_s
            and " ".join(self._partial.lower().split()) in self._finishing
        ):
            return self._finish(endpointer.end_now(), silence_s)
        return None

    def end_of_stream(self) -> Heard:
        """The stream ended: finish an utterance under way, else report that nothing was said."""
        t_s = self._endpointer.t_s
        if self._session is not None:
            return self._finish(t_s, self._endpointer.trailing_silence_s)
        return Heard("", 0.0, timed_out=True, start_s=t_s, end_s=t_s)

    def cancel(self) -> None:
        """Abandon the utterance under way."""
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
    normal = [" ".join(p.lower().split()) for p in phrases]
    return frozenset(
        p for p in normal if all(meaning(o) == meaning(p) for o in normal if o != p and o.startswith(p + " "))
    )


def _finishing_phrases(phrases: Sequence[str]) -> frozenset[str]:
    """The phrases that are not the first words of a longer phrase."""
    normal = {" ".join(p.lower().split()) for p in phrases}
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
