"""``listen``: endpoint a chunk stream and recognise the next utterance under a grammar."""

from collections.abc import Iterator, Sequence

from voicecare.audio.endpointing import Endpointer, EndpointSettings, EventKind
from voicecare.audio.pcm import Chunk
from voicecare.recognition.ports import Heard, RecognitionSession, Recognizer


def listen(
    recognizer: Recognizer,
    chunks: Iterator[Chunk],
    phrases: Sequence[str],
    settings: EndpointSettings | None = None,
    endpointer: Endpointer | None = None,
) -> Heard:
    """Wait for the next utterance in ``chunks`` and return what was heard among ``phrases``.

    Returns ``Heard(timed_out=True)`` when no speech starts within the no-speech timeout, or when the
    stream ends first. Pass the same ``endpointer`` across turns to keep its noise estimate.
    """
    endpointer = endpointer or Endpointer(settings or EndpointSettings())
    endpointer.reset()
    session: RecognitionSession | None = None
    start_s = 0.0
    for chunk in chunks:
        for event in endpointer.push(chunk):
            if event.kind is EventKind.TIMEOUT:
                return Heard("", 0.0, timed_out=True, start_s=event.t_s, end_s=event.t_s)
            if event.kind is EventKind.START:
                session = recognizer.open(phrases)
                start_s = event.t_s
                session.feed(event.pcm)
            elif session is not None:
                session.feed(event.pcm)
                if event.kind is EventKind.END:
                    heard = session.finish()
                    return _with_times(heard, start_s, event.t_s)
    if session is not None:
        return _with_times(session.finish(), start_s, start_s)
    return Heard("", 0.0, timed_out=True)


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
