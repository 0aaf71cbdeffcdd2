"""The audio bus: output and input move in lockstep, one chunk each, and that is the session clock.

For every chunk written to the sink, one chunk is taken from the source (when listening) and handed
to a listener. With WAV tapes this runs as fast as the machine allows and the session time is exact
stream time (the "simulated clock"); with a microphone, reading the next chunk waits for it, which
paces everything in real time. With no source, ``realtime`` paces by the wall clock instead.
"""

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from voicecare.audio.compat import audioop
from voicecare.audio.echo_gate import EchoGate
from voicecare.audio.pcm import CHUNK_BYTES, CHUNK_MS, SAMPLE_WIDTH, Chunk, split_chunks, whole_chunks
from voicecare.audio.ports import AudioSink

Listener = Callable[[Chunk], bool]
"""Takes one input chunk; returns True to interrupt what is playing."""

CHUNK_S = CHUNK_MS / 1000
_SILENCE = bytes(CHUNK_BYTES)
MAX_AHEAD_S = 0.3
"""With wall-clock pacing, how far output may run ahead of real time (seconds)."""


@dataclass
class AudioBus:
    """Plays PCM into ``sink`` while feeding ``source`` to listeners, one 100 ms chunk at a time.

    ``monitor`` mixes the input taken into the output (so a recording holds both voices).
    ``live_input`` (a microphone) is read on every chunk, even with nobody listening, which paces the
    output and drops what the microphone heard of voicecare's own speech. A tape is read only while a
    listener takes it, so a screening tape advances only while voicecare listens.
    ``t_s`` is session time in seconds: chunks played or listened to, times 0.1.
    ``echo_gate`` (for a microphone that may hear the speaker) silences what listeners get of the input
    wherever it could be the echo of what was played; the monitor still mixes in all of it.
    """

    sink: AudioSink
    source: Iterator[Chunk] | None = None
    monitor: bool = False
    live_input: bool = False
    realtime: bool = False
    t_s: float = 0.0
    input_ended: bool = False
    echo_gate: EchoGate | None = None
    _started: float = field(default_factory=time.monotonic)
    _ahead: int = 0
    _elsewhere_s: float = 0.0
    """Chunks written ahead of the input (``play``'s ``lead``), still to be made up by ``wait``."""

    def play(self, pcm: bytes | Iterable[Chunk], listener: Listener | None = None, lead: int = 0) -> bool:
        """Play ``pcm`` (bytes, or chunks as they are made); True if ``listener`` interrupted it.

        ``lead`` (a live input only): the first input chunk comes with that many output chunks more, so
        the speaker has them queued while ``listener`` works on it; a long piece of work (a final
        decoding) then leaves no gap in the sound. The next ``wait`` writes as many chunks less, so
        output and input keep one clock. A tape has no real-time speaker to starve: it is ignored there.
        When interrupted, the sink is stopped at once: queued audio is dropped.
        """
        chunks = split_chunks(pcm) if isinstance(pcm, bytes) else whole_chunks(pcm)
        ahead = lead if self.live_input else 0
        for chunk in chunks:
            extra, ahead = list(itertools.islice(chunks, ahead)), 0
            if self._tick(chunk, listener, extra):
                self.sink.stop()
                self._ahead = 0
                return True
        return False

    def wait(self, seconds: float, listener: Listener | None = None) -> bool:
        """Stay silent for ``seconds`` (rounded to chunks); True if ``listener`` interrupted."""
        return any(self._tick(_SILENCE, listener) for _ in range(max(0, round(seconds / CHUNK_S))))

    def listen(self, listener: Listener) -> bool:
        """Take one input chunk and play nothing (a device waiting to be woken: the speaker is left alone);
        the clock moves on one chunk. True if ``listener`` took it as the end of waiting."""
        heard = self._next_input()
        if self._ahead > 0:
            self._ahead -= 1
        else:
            self.t_s += CHUNK_S
        if heard is None:
            return False
        if self.echo_gate is not None:
            heard = self.echo_gate.gate(heard, _SILENCE)
        return listener(heard)

    def play_now(self, pcm: bytes) -> None:
        """Write ``pcm`` at once, without waiting for input (a wake earcon, as soon as the phrase is
        heard). With a live input the output has run ahead: the next waits write as much less."""
        for chunk in split_chunks(pcm):
            self.sink.write(chunk)
            self.t_s += len(chunk) / (CHUNK_BYTES / CHUNK_S)
            if self.live_input:
                self._ahead += 1

    def taken_elsewhere(self, seconds: float) -> None:
        """``seconds`` of the live input were read outside the bus (a wake phrase detector reading the
        microphone in smaller pieces): the clock moves on by whole chunks, less any output written ahead."""
        self._elsewhere_s += seconds
        while self._elsewhere_s >= CHUNK_S - 1e-9:
            self._elsewhere_s -= CHUNK_S
            if self._ahead > 0:
                self._ahead -= 1
            else:
                self.t_s += CHUNK_S

    def skip(self, seconds: float) -> None:
        """Let ``seconds`` of input go by unheard (a muted device: a tape runs on; a live input is not
        read, the caller has closed it)."""
        for _ in range(max(0, round(seconds / CHUNK_S))):
            if not self.live_input:
                self._next_input()
            self.t_s += CHUNK_S

    @property
    def can_listen(self) -> bool:
        """True while there is input to listen to."""
        return self.source is not None and not self.input_ended

    def _tick(self, chunk: Chunk, listener: Listener | None, extra: Sequence[Chunk] = ()) -> bool:
        """One step of the clock: read an input chunk, write ``chunk`` (and ``extra`` ones, ahead), and hand
        the input to ``listener``. Silence is not written while chunks written ahead are owed."""
        owed = chunk is _SILENCE and self._ahead > 0
        heard = self._next_input() if listener is not None or self.live_input else None
        if self.monitor and heard:
            chunk = audioop.add(chunk.ljust(len(heard), b"\0")[: len(heard)], heard, SAMPLE_WIDTH)
        self._pace()
        if owed:
            self._ahead -= 1
        else:
            for written in (chunk, *extra):
                self.sink.write(written)
                self.t_s += len(written) / (CHUNK_BYTES / CHUNK_S)
            self._ahead += len(extra)
        if heard and self.echo_gate is not None:
            heard = self.echo_gate.gate(heard, chunk)
        return bool(listener is not None and heard and listener(heard))

    def _next_input(self) -> Chunk | None:
        if self.source is None or self.input_ended:
            return None
        try:
            return next(self.source)
        except StopIteration:
            self.input_ended = True
            return None

    def _pace(self) -> None:
        if self.realtime:
            ahead = self.t_s - (time.monotonic() - self._started)
            if ahead > MAX_AHEAD_S:
                time.sleep(ahead - MAX_AHEAD_S)
