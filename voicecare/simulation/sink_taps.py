"""Test helper: sinks that pass everything on to another sink and note something about it on the way."""

from voicecare.audio.pcm import Chunk
from voicecare.audio.ports import AudioSink


class ForwardingSink:
    """Passes every call to ``inner``; subclasses look at what is written."""

    def __init__(self, inner: AudioSink) -> None:
        self.inner = inner

    def write(self, chunk: Chunk) -> None:
        self.inner.write(chunk)

    def stop(self) -> None:
        self.inner.stop()

    def drain(self) -> None:
        self.inner.drain()

    def close(self) -> None:
        self.inner.close()
