"""Endpointing: where an utterance starts and ends in a chunk stream, by frame energy with hangover.

The threshold adapts to the background: a frame is speech when its RMS is both above an absolute
floor and a multiple of the running noise estimate, so a quiet room and a fan-noisy room both work.
"""

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, Chunk

FRAME_MS = 20
FRAME_BYTES = SAMPLE_RATE * FRAME_MS // 1000 * SAMPLE_WIDTH


@dataclass(frozen=True)
class EndpointSettings:
    """Tuning of the endpointer. Times are seconds of stream time."""

    no_speech_timeout_s: float = 8.0
    """Give up waiting for speech after this long (a reprompt follows, never a hang)."""
    end_silence_s: float = 0.6
    """Silence after speech that ends the utterance (the hangover)."""
    min_speech_s: float = 0.08
    """Speech must last this long to start an utterance (rejects clicks)."""
    preroll_s: float = 0.3
    """Audio kept from before the start, so the recogniser hears the onset."""
    max_utterance_s: float = 12.0
    """An utterance is cut here even if speech goes on."""
    min_rms: int = 300
    """Absolute RMS floor for speech, in 16-bit sample units."""
    noise_ratio: float = 3.0
    """Speech must be this many times louder than the running noise estimate."""
    floor_window_s: float = 3.0
    """The noise estimate is at least the quietest 20 ms frame of this many seconds just heard (speech
    or not), once ``floor_min_s`` has been heard. The running estimate learns only from frames it does
    not take for speech, so a room already loud when listening began (a running tap) was taken for one
    endless utterance; in quiet rooms the quietest frame is below the running estimate and this changes
    nothing. Answers in real room noise at 10 dB SNR (scripts/bench_answers.py): see
    docs/measurements.md."""
    floor_min_s: float = 0.5
    """Seconds heard before the quietest recent frame counts (see ``floor_window_s``)."""


class EventKind(Enum):
    START = "start"
    SPEECH = "speech"
    END = "end"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class EndpointEvent:
    """What the endpointer saw. ``pcm`` is audio to pass on to a recogniser; ``t_s`` is stream time.
    ``silence_s`` (SPEECH and END): seconds of silence at the end of the utterance's audio so far, this
    event's ``pcm`` included (for END, the hangover)."""

    kind: EventKind
    t_s: float
    pcm: bytes = b""
    silence_s: float = 0.0


@dataclass(frozen=True)
class Utterance:
    """One stretch of speech cut from a stream, with its stream times in seconds."""

    pcm: bytes
    start_s: float
    end_s: float


@dataclass
class Endpointer:
    """Streaming endpointer: push chunks, get START / SPEECH / END / TIMEOUT events."""

    settings: EndpointSettings = field(default_factory=EndpointSettings)
    _t_s: float = 0.0
    _waited_s: float = 0.0
    _in_speech: bool = False
    _speech_run_s: float = 0.0
    _silence_run_s: float = 0.0
    _utterance_s: float = 0.0
    _noise_rms: float | None = None
    _preroll: deque[bytes] = field(default_factory=deque)
    _pending: bytearray = field(default_factory=bytearray)
    _held: list[EndpointEvent] = field(default_factory=list)
    _recent: deque[int] = field(default_factory=deque)
    """RMS of the frames of the last ``floor_window_s``: their quietest is the room's floor."""

    @property
    def in_speech(self) -> bool:
        """True between a START and its END."""
        return self._in_speech

    @property
    def t_s(self) -> float:
        """Stream time analysed so far, in seconds."""
        return self._t_s

    @property
    def trailing_silence_s(self) -> float:
        """Seconds of silence since the last speech frame of the current utterance (0 outside one)."""
        return self._silence_run_s if self._in_speech else 0.0

    @property
    def speech_end_s(self) -> float:
        """Stream time (s) where the current utterance's last speech frame ended."""
        return self._t_s - self._silence_run_s

    def reset(self) -> None:
        """Start waiting for a new utterance; the noise estimate and recent audio are kept."""
        self._waited_s = 0.0
        self._in_speech = False
        self._speech_run_s = self._silence_run_s = self._utterance_s = 0.0

    def end_now(self) -> float:
        """End the current utterance early (the caller decided it is complete); returns its end time."""
        end_s = self.speech_end_s
        self.reset()
        return end_s

    def hold(self, events: list[EndpointEvent]) -> None:
        """Keep events a caller received but did not use; they come first from the next ``take_held``."""
        self._held = events + self._held

    def take_held(self) -> list[EndpointEvent]:
        """Events held back by ``hold``, oldest first."""
        held, self._held = self._held, []
        return held

    def push(self, chunk: Chunk) -> list[EndpointEvent]:
        """Analyse ``chunk`` in 20 ms frames and return the events it caused, in order."""
        self._pending.extend(chunk)
        events: list[EndpointEvent] = []
        while len(self._pending) >= FRAME_BYTES:
            frame = bytes(self._pending[:FRAME_BYTES])
            del self._pending[:FRAME_BYTES]
            event = self._push_frame(frame)
            if event is None:
                continue
            if events and events[-1].kind is EventKind.SPEECH and event.kind is EventKind.SPEECH:
                merged = events[-1].pcm + event.pcm
                events[-1] = EndpointEvent(EventKind.SPEECH, event.t_s, merged, event.silence_s)
            else:
                events.append(event)
        return events

    def _is_speech(self, frame: bytes) -> bool:
        rms = audioop.rms(frame, SAMPLE_WIDTH)
        if self._noise_rms is None:
            self._noise_rms = float(min(rms, self.settings.min_rms))
        self._recent.append(rms)
        while len(self._recent) > round(self.settings.floor_window_s / (FRAME_MS / 1000)):
            self._recent.popleft()
        floor = self._noise_rms
        if len(self._recent) >= round(self.settings.floor_min_s / (FRAME_MS / 1000)):
            floor = max(floor, min(self._recent))
        speech = rms >= self.settings.min_rms and rms >= floor * self.settings.noise_ratio
        if not speech and not self._in_speech:
            rate = 0.05 if rms > self._noise_rms else 0.3
            self._noise_rms += (rms - self._noise_rms) * rate
        return speech

    def _push_frame(self, frame: bytes) -> EndpointEvent | None:
        frame_s = FRAME_MS / 1000
        self._t_s += frame_s
        speech = self._is_speech(frame)
        s = self.settings
        if not self._in_speech:
            self._waited_s += frame_s
            self._preroll.append(frame)
            keep = int((s.preroll_s + s.min_speech_s) / frame_s) + 1
            while len(self._preroll) > keep:
                self._preroll.popleft()
            self._speech_run_s = self._speech_run_s + frame_s if speech else 0.0
            if self._speech_run_s >= s.min_speech_s - 1e-9:
                self._in_speech = True
                self._silence_run_s = 0.0
                self._utterance_s = self._speech_run_s
                pcm = b"".join(self._preroll)
                self._preroll.clear()
                self._waited_s = 0.0
                return EndpointEvent(EventKind.START, self._t_s - self._speech_run_s, pcm)
            if self._waited_s >= s.no_speech_timeout_s:
                self._waited_s = 0.0
                return EndpointEvent(EventKind.TIMEOUT, self._t_s)
            return None
        self._utterance_s += frame_s
        self._silence_run_s = 0.0 if speech else _whole_us(self._silence_run_s + frame_s)
        if self._silence_run_s >= s.end_silence_s - 1e-9 or self._utterance_s >= s.max_utterance_s:
            silence_s = self._silence_run_s
            self.reset()
            self._preroll.clear()
            return EndpointEvent(EventKind.END, self._t_s - silence_s, frame, silence_s)
        return EndpointEvent(EventKind.SPEECH, self._t_s, frame, self._silence_run_s)


def _whole_us(seconds: float) -> float:
    """``seconds`` rounded to whole microseconds, so a run of 20 ms frames adds up to exact thresholds
    (ten frames make 0.2 s, not 0.19999999999999998, which missed a 0.2 s early end by one chunk)."""
    return round(seconds, 6)


def utterances(chunks: Iterable[Chunk], settings: EndpointSettings | None = None) -> Iterator[Utterance]:
    """Cut a finite stream (a WAV holding several answers apart by silence) into its utterances, in order.

    Speech still going on when the stream ends is returned as a last utterance.
    """
    endpointer = Endpointer(settings or EndpointSettings())
    current = bytearray()
    start_s = 0.0
    for chunk in chunks:
        for event in endpointer.push(chunk):
            if event.kind is EventKind.START:
                current = bytearray(event.pcm)
                start_s = event.t_s
            elif event.kind is EventKind.SPEECH:
                current.extend(event.pcm)
            elif event.kind is EventKind.END:
                current.extend(event.pcm)
                yield Utterance(bytes(current), start_s, event.t_s)
                current = bytearray()
    if endpointer.in_speech and current:
        yield Utterance(bytes(current), start_s, endpointer._t_s)
