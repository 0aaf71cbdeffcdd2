"""The echo gate: keeps voicecare's own speech, heard back by the microphone, from the listeners.

A microphone near the speaker hears the narration. Without echo cancellation, the recogniser would
take parts of it for commands (docs/measurements.md, "Echo gate and commands over the narration").
The gate knows what was played, so it knows how loud the echo of it can be: each 20 ms frame of the
microphone (the endpointer's frame) passes only when it is ``margin`` times louder than the loudest echo
the audio played in the last ``window_s`` could make there; any other frame is replaced by silence. A
person speaking over the narration is heard when louder than its echo; in the pauses the gate is open.

How strongly the microphone hears the speaker (the coupling: microphone level over the loudest played
level of the window) is learnt from the frames the gate closed: it is their 90th percentile over the
last ``history`` of them. Until ``history // 4`` frames have been measured it is taken as 1 (as loud as
played), so nothing of the first sentence gets through before the gate has measured the room. Frames
that pass (a person speaking over the narration) are not counted, so a person does not close the gate
on themselves; where the microphone barely hears the speaker (a headset), the coupling falls near 0.
"""

from collections import deque
from dataclasses import dataclass, field

from voicecare.audio.compat import audioop
from voicecare.audio.endpointing import FRAME_BYTES, FRAME_MS
from voicecare.audio.pcm import SAMPLE_WIDTH, Chunk


@dataclass
class EchoGate:
    """Gates microphone chunks against the chunks played at the same time (see the module docstring).

    ``margin``: how many times louder than the echo a frame must be to pass. ``window_s``: how far back
    (seconds) played audio can still be heard, which covers the output's latency and the room's echo.
    ``quiet_rms``: played frames at or below this RMS (16-bit units) count as silence. ``history``: how
    many closed frames the coupling is measured on.
    """

    margin: float = 2.0
    window_s: float = 0.3
    quiet_rms: int = 100
    history: int = 100
    _played: deque[int] = field(default_factory=deque, repr=False)
    _ratios: deque[float] = field(default_factory=deque, repr=False)
    closed_frames: int = 0
    """Frames replaced by silence so far (for benchmarks and tests)."""
    loudest_played_rms: int = 0
    """The loudest 20 ms frame played so far (RMS, 16-bit units)."""

    @property
    def coupling(self) -> float:
        """Microphone level over played level, as measured on the frames closed lately (1 until known)."""
        if len(self._ratios) < self.history // 4:
            return 1.0
        ranked = sorted(self._ratios)
        return ranked[int(0.9 * (len(ranked) - 1))]

    def hears_over(self, voice_rms: float) -> bool:
        """True when a voice at ``voice_rms`` (16-bit units) at the microphone would pass the gate over the
        loudest audio played so far, by the coupling measured; False until the coupling is measured."""
        measured = len(self._ratios) >= self.history // 4
        return measured and voice_rms > self.margin * self.coupling * self.loudest_played_rms

    def gate(self, heard: Chunk, played: Chunk) -> Chunk:
        """``heard`` with every frame that could be the echo of ``played`` (or earlier) silenced."""
        out = bytearray()
        for start in range(0, len(heard), FRAME_BYTES):
            frame = heard[start : start + FRAME_BYTES]
            out += frame if self._passes(frame, played[start : start + FRAME_BYTES]) else bytes(len(frame))
        return bytes(out)

    def _passes(self, frame: bytes, played: bytes) -> bool:
        played_rms = audioop.rms(played, SAMPLE_WIDTH) if played else 0
        self.loudest_played_rms = max(self.loudest_played_rms, played_rms)
        self._played.append(played_rms)
        while len(self._played) > max(1, round(self.window_s * 1000 / FRAME_MS)):
            self._played.popleft()
        loudest = max(self._played)
        if loudest <= self.quiet_rms:
            return True
        ratio = audioop.rms(frame, SAMPLE_WIDTH) / loudest
        if ratio > self.margin * self.coupling:
            return True
        self._ratios.append(ratio)
        while len(self._ratios) > self.history:
            self._ratios.popleft()
        self.closed_frames += 1
        return False
