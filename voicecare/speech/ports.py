"""What every synthesiser offers."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from voicecare.audio.pcm import Chunk


@dataclass(frozen=True)
class Voice:
    """A voice the synthesiser can speak with; ``id`` is what ``--voice`` matches."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpeechSettings:
    """How voicecare speaks: ``rate_wpm`` in words per minute, ``volume`` from 0.0 to 1.0."""

    rate_wpm: int = 160
    volume: float = 1.0
    voice: str | None = None


class Synthesizer(Protocol):
    """Turns text into PCM chunks (16 kHz mono int16, see ``audio.pcm``)."""

    def speak(self, text: str, settings: SpeechSettings) -> Iterator[Chunk]:
        """``text`` spoken as chunks, sentence by sentence, so the first audio comes early."""
        ...

    def voices(self) -> list[Voice]:
        """Every voice available."""
        ...
