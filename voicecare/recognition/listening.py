"""``listen``: endpoint a chunk stream and recognise the next utterance under a grammar."""

from collections.abc import Iterator, Sequence

from voicecare.audio.endpointing import Endpointer, EndpointEvent, EndpointSettings, EventKind
from voicecare.audio.pcm import Chunk
from voicecare.recognition.ports import Heard, RecognitionSession, Recognizer

EARLY_END_S = 0.25
"""Trailing silence (seconds) after which an utterance whose partial result is already a complete
phrase of the grammar, and the start of no longer one, is taken as finished."""


def listen(
    recognizer: Recognizer,
    chunks: Iterator[Chunk],
    phrases: Sequence[str],
    settings: EndpointSettings | None = None,
    endpointer: Endpointer | None = None,
    early_end_s: float | None = EARLY_END_S,
) -> Heard:
    """Wait for the next utterance in ``chunks`` and return what was heard among ``phrases``.

    The utterance ends after the endpointer's hangover, or sooner, after ``early_end_s`` of silence,
    when the partial result is a complete phrase that no other phrase extends ("no" is not finished
    early when "no i don't" is in the grammar). Returns ``Heard(timed_out=True)`` when no speech starts
    within the no-speech timeout, or when the stream ends first. Pass the same ``endpointer`` across
    turns to keep its noise estimate and any audio that came after the previous utterance.
    """
    endpointer = endpointer or Endpointer(settings or EndpointSettings())
    endpointer.reset()
    finishing = _finishing_phrases(phrases)
    session: RecognitionSession | None = None
    start_s = 0.0
    partial = ""
    for events in _event_batches(endpointer, chunks):
        for index, event in enumerate(events):
            if event.kind is EventKind.TIMEOUT:
                endpointer.hold(events[index + 1 :])
                return Heard("", 0.0, timed_out=True, start_s=event.t_s, end_s=event.t_s)
            if event.kind is EventKind.START:
                session = recognizer.open(phrases)
                start_s = event.t_s
                partial = session.feed(event.pcm)
            elif session is not None:
                partial = session.feed(event.pcm)
                if event.kind is EventKind.END:
                    endpointer.hold(events[index + 1 :])
                    return _with_times(session.finish(), start_s, event.t_s)
        if (
            session is not None
            and early_end_s is not None
            and endpointer.in_speech
            and endpointer.trailing_silence_s >= early_end_s
            and " ".join(partial.lower().split()) in finishing
        ):
            end_s = endpointer.end_now()
            return _with_times(session.finish(), start_s, end_s)
    if session is not None:
        return _with_times(session.finish(), start_s, endpointer.t_s)
    return Heard("", 0.0, timed_out=True)


def _event_batches(endpointer: Endpointer, chunks: Iterator[Chunk]) -> Iterator[list[EndpointEvent]]:
    """Events held from the previous turn first, then the events of each chunk as it arrives."""
    held = endpointer.take_held()
    if held:
        yield held
    for chunk in chunks:
        yield endpointer.push(chunk)


def _finishing_phrases(phrases: Sequence[str]) -> frozenset[str]:
    """The phrases that are not the first words of a longer phrase."""
    normal = {" ".join(p.lower().split()) for p in phrases}
    return frozenset(p for p in normal if not any(o != p and o.startswith(p + " ") for o in normal))


def _with_times(heard: Heard, start_s: float, end_s: float) -> Heard:
    return Heard(heard.text, heard.confidence, heard.rejected, heard.timed_out, start_s, end_s)


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
