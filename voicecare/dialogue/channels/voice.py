"""Speech out through a synthesiser, replies in through a recogniser, both over the audio bus.

The same class serves a microphone and speaker and a pair of WAV tapes. A tape only advances while
this channel listens, so each utterance on it answers the next question; a microphone is read all the
time, which drops what it heard of voicecare's own speech.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import Chunk
from voicecare.narration.bus import CHUNK_S, AudioBus
from voicecare.recognition.listening import UtteranceListener
from voicecare.recognition.ports import Heard, Recognizer
from voicecare.speech.ports import SpeechSettings, Synthesizer
from voicecare.speech.speakable import speakable


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
    _endpointer: Endpointer = field(init=False)

    def __post_init__(self) -> None:
        self._endpointer = Endpointer(self.endpoint)

    @property
    def ended(self) -> bool:
        return self.recognizer is None or not self.bus.can_listen

    def say(self, text: str, speech: SpeechSettings) -> None:
        self.bus.play(self.synthesizer.speak(speakable(text), speech))

    def hear(
        self, phrases: Sequence[str], timeout_s: float, finishing: Collection[str] | None = None
    ) -> Heard:
        if self.recognizer is None or not self.bus.can_listen:
            return Heard("", 0.0, timed_out=True)
        if self.listening_tone:
            self.bus.play(self.listening_tone)
        self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=timeout_s)
        listener = UtteranceListener(self.recognizer, phrases, self._endpointer, finishing=finishing)
        result = listener.take(self._endpointer.take_held())

        def take(chunk: Chunk) -> bool:
            nonlocal result
            result = listener.push(chunk)
            return result is not None

        while result is None:
            if not self.bus.can_listen:
                return listener.end_of_stream()
            self.bus.wait(CHUNK_S, take)
        return result
