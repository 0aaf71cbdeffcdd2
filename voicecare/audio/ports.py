"""The two audio Protocols every source and sink follows, so a dialogue never knows which it has."""

from collections.abc import Iterator
from typing import Protocol

from voicecare.audio.pcm import Chunk


class AudioSource(Protocol):
    """Yields PCM chunks (see ``pcm``) as they arrive: a microphone in real time, a file as fast as read."""

    def chunks(self) -> Iterator[Chunk]:
        """Chunks until the source ends (a file) or is closed (a microphone)."""
        ...

    def close(self) -> None:
        """Release the device or file; ``chunks`` then ends."""
        ...


class AudioSink(Protocol):
    """Takes PCM chunks to play or store."""

    def write(self, chunk: Chunk) -> None:
        """Queue ``chunk`` for output; may block while the output buffer is full."""
        ...

    def stop(self) -> None:
        """Drop everything queued and fall silent at once (within one chunk, ~100 ms)."""
        ...

    def drain(self) -> None:
        """Block until everything written has been played or stored."""
        ...

    def close(self) -> None:
        """Drain, then release the device or finish the file."""
        ...
