"""Speech out through a synthesiser to an audio sink, replies in through a recogniser from a source.

The same class serves a microphone and speaker and a pair of WAV tapes: a tape only advances while
this channel listens, so each utterance on it answers the next question.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.ports import AudioSink, AudioSource
from voicecare.recognition.listening import EndAware, listen
from voicecare.recognition.ports import Heard, Recognizer
from voicecare.speech.ports import SpeechSettings, Synthesizer


@dataclass
class VoiceChannel:
    """Speaks with ``synthesizer`` into ``sink``; hears with ``recognizer`` from ``source``.

    ``listening_tone`` (PCM, may be empty) is played before each listening turn.
    """

    synthesizer: Synthesizer
    sink: AudioSink
    recognizer: Recognizer
    source: AudioSource
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    listening_tone: bytes = b""
    _chunks: EndAware | None = None
    _endpointer: Endpointer = field(init=False)
    _ended: bool = False

    def __post_init__(self) -> None:
        self._endpointer = Endpointer(self.endpoint)

    @property
    def ended(self) -> bool:
        return self._ended

    def say(self, text: str, speech: SpeechSettings) -> None:
        for chunk in self.synthesizer.speak(text, speech):
            self.sink.write(chunk)
        self.sink.drain()

    def hear(self, phrases: Sequence[str], timeout_s: float) -> Heard:
        if self._ended:
            return Heard("", 0.0, timed_out=True)
        if self.listening_tone:
            self.sink.write(self.listening_tone)
            self.sink.drain()
        if self._chunks is None:
            self._chunks = EndAware(self.source.chunks())
        self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=timeout_s)
        heard = listen(self.recognizer, self._chunks, phrases, endpointer=self._endpointer)
        self._ended = self._chunks.ended
        return heard
