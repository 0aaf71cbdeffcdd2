"""Synthesised speech kept once made, so an exercise is timed by the real synthesiser's durations.

An exercise builder takes an estimator (text -> seconds); ``CachedSynthesizer.estimator``
synthesises each text once, measures its PCM, and the player later plays the very same PCM, so the
cue times of the timeline and of the played session agree.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from voicecare.audio.pcm import Chunk, duration_s, split_chunks
from voicecare.speech.ports import SpeechSettings, Synthesizer, Voice
from voicecare.speech.speakable import speakable


@dataclass
class CachedSynthesizer:
    """Wraps ``inner``: each (text, settings) is synthesised once per process and kept as PCM."""

    inner: Synthesizer
    _pcm: dict[tuple[str, SpeechSettings], bytes] = field(default_factory=dict)

    def pcm(self, text: str, settings: SpeechSettings) -> bytes:
        """The whole PCM of ``text`` (16 kHz mono int16), made on first use."""
        key = (text, settings)
        if key not in self._pcm:
            self._pcm[key] = b"".join(self.inner.speak(text, settings))
        return self._pcm[key]

    def speak(self, text: str, settings: SpeechSettings) -> Iterator[Chunk]:
        """``text`` as chunks, from the cache."""
        return iter(split_chunks(self.pcm(text, settings)))

    def voices(self) -> list[Voice]:
        """The inner synthesiser's voices."""
        return self.inner.voices()

    def seconds(self, text: str, settings: SpeechSettings) -> float:
        """How long ``text`` takes to say (seconds), as it will be spoken (numbers read aloud)."""
        return duration_s(self.pcm(speakable(text), settings))

    def estimator(self, settings: SpeechSettings) -> Callable[[str], float]:
        """Seconds to say a text, from the real durations at ``settings``."""
        return lambda text: self.seconds(text, settings)
