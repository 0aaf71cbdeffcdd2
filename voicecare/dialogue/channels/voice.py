"""Speech out through a synthesiser, replies in through a recogniser, both over the audio bus.

The same class serves a microphone and speaker and a pair of WAV tapes. A tape only advances while
this channel listens, so each utterance on it answers the next question; a microphone is read all the
time, which drops what it heard of voicecare's own speech.

A provisional reply ("no", which "no idea" would change, taken from the live partial result) leaves the
rest of its silence to listen to: the channel listens to it while saying what comes next, and stops
talking if the final decoding disagrees or the person goes on. On a tape the same stretch of tape is
read as if voicecare had waited out the silence, so a tape's answers still meet the same questions. On
a microphone the question's first two chunks go out together (``AudioBus.play``'s ``lead``): the final
decoding, done on the next chunk heard, takes longer than one chunk plays.
"""

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NoReturn

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import Chunk, whole_chunks
from voicecare.dialogue.channels.port import ReplyRevised
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
    _pending: UtteranceListener | None = field(default=None, init=False)
    """The listener of a provisional reply, still listening to the silence after it."""
    _revised: Heard | None = field(default=None, init=False)
    _voice_rms: int = field(default=0, init=False)
    """How loud the person's last reply was (RMS, 16-bit units, pauses included)."""

    def __post_init__(self) -> None:
        self._endpointer = Endpointer(self.endpoint)

    @property
    def ended(self) -> bool:
        return self.recognizer is None or not self.bus.can_listen

    def say(self, text: str, speech: SpeechSettings) -> None:
        chunks = whole_chunks(self.synthesizer.speak(speakable(text), speech))
        lead = 1 if self.bus.live_input else 0
        while self._pending is not None:
            block = b"".join(itertools.islice(chunks, 1 + lead))
            if not block:
                return
            if self.bus.play(block, self._watch, lead):
                self._hear_out()
            lead = 0
        self.bus.play(chunks)

    def settle(self) -> None:
        while self._pending is not None:
            if not self.bus.can_listen:
                if self._resolved(self._pending, self._pending.end_of_stream()):
                    self._hear_out()
            elif self.bus.wait(CHUNK_S, self._watch):
                self._hear_out()

    def hear(
        self,
        phrases: Sequence[str],
        timeout_s: float,
        finishing: Collection[str] | None = None,
        revisable: Mapping[str, object] | None = None,
    ) -> Heard:
        self.settle()
        if self.recognizer is None or not self.bus.can_listen:
            return Heard("", 0.0, timed_out=True)
        if self.listening_tone:
            self.bus.play(self.listening_tone)
        self._endpointer.settings = replace(self.endpoint, no_speech_timeout_s=timeout_s)
        listener = UtteranceListener(
            self.recognizer,
            phrases,
            self._endpointer,
            finishing=finishing,
            revisable=revisable if self._heard_over_speech() else None,
        )
        heard = self._follow(listener, listener.take(self._endpointer.take_held()))
        if not heard.timed_out:
            self._voice_rms = listener.level_rms
        if heard.provisional:
            self._pending = listener
        return heard

    def _heard_over_speech(self) -> bool:
        """Whether the person, as loud as in their last reply, would be heard over voicecare's speech: on
        a tape always (nothing is heard back); on a microphone, once the echo gate has measured the room
        and would let that voice through over the loudest speech played."""
        gate = self.bus.echo_gate
        return gate is None or gate.hears_over(self._voice_rms)

    def _follow(self, listener: UtteranceListener, result: Heard | None) -> Heard:
        """Listen in silence until ``listener`` has its result (``result`` when it has it already)."""

        def take(chunk: Chunk) -> bool:
            nonlocal result
            result = listener.push(chunk)
            return result is not None

        while result is None:
            if not self.bus.can_listen:
                return listener.end_of_stream()
            self.bus.wait(CHUNK_S, take)
        return result

    def _watch(self, chunk: Chunk) -> bool:
        """Feed one chunk heard after a provisional reply; True (interrupt) once it is revised."""
        listener = self._pending
        assert listener is not None
        return self._resolved(listener, listener.push(chunk))

    def _resolved(self, listener: UtteranceListener, result: Heard | None) -> bool:
        """Note what ``listener`` gave (None while the silence goes on); True once its reply is revised."""
        if result is not None:
            self._pending = None
            self._revised = result if listener.revised else None
        return listener.revised

    def _hear_out(self) -> NoReturn:
        """A provisional reply was revised: hear the utterance out, and hand the whole reply over."""
        listener, self._pending = self._pending, None
        heard = self._revised if listener is None else self._follow(listener, None)
        self._revised = None
        assert heard is not None
        raise ReplyRevised(heard)
