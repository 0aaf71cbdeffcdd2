"""Waiting for the wake phrase: on the audio bus (a microphone or a tape, through a ``WakeDetector``), or
typed (``--text``). Nothing is played while waiting; the session clock runs on the input.

A microphone that fails (unplugged, PulseAudio restarted) is reported in one line on stderr and opened
again every ``RETRY_S`` seconds until it is back; waiting then carries on.
"""

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, Chunk
from voicecare.errors import AudioDeviceError
from voicecare.recognition.wake import Detection, WakeDetector

BYTES_PER_S = SAMPLE_RATE * SAMPLE_WIDTH
RETRY_S = 2.0
"""Seconds between tries to open a microphone that went away."""


class Waiter(Protocol):
    """Waits for the wake phrase on the session clock."""

    @property
    def t_s(self) -> float:
        """Session time, seconds."""
        ...

    @property
    def ended(self) -> bool:
        """The input is over for good (end of the tape, of typed input)."""
        ...

    def wake(self, until_s: float | None = None) -> Detection | None:
        """Wait for the wake phrase (until ``until_s`` of session time at most); None when the input ended
        or the time came first."""
        ...

    def rest(self, seconds: float) -> None:
        """The microphone is off for ``seconds`` of the session clock (muted); a tape runs on unheard."""
        ...


MicrophoneOpener = Callable[[], Iterator[Chunk]]
"""Opens the microphone again and returns its chunks; raises AudioDeviceError when it cannot."""


@dataclass
class AudioWaiter:
    """Waits on ``bus`` with ``detector``. ``reopen`` (a microphone) opens the input again after it
    failed or was closed; ``close_input`` closes it (muted). Tapes need neither."""

    bus: AudioBus
    detector: WakeDetector
    reopen: MicrophoneOpener | None = None
    close_input: Callable[[], None] | None = None
    notes: TextIO = field(default_factory=lambda: sys.stderr)
    sleep: Callable[[float], None] = time.sleep
    pieces: MicrophoneOpener | None = None
    """A microphone's audio in pieces smaller than a chunk, read while waiting (sooner to act on)."""
    session_input: MicrophoneOpener | None = None
    """The same microphone in the bus's chunks, handed to the bus after a wake."""
    fill_output: bool = False
    """Write silence while waiting, so an output tape keeps the session clock (never a speaker's: it
    would cost CPU for nothing)."""
    _found: Detection | None = field(default=None, init=False)
    _last_t_s: float = field(default=-1.0, init=False)
    """The session time of the last chunk heard: when the clock has moved on since (a conversation, a
    mute), the detector forgets what it heard before."""
    _down: bool = field(default=False, init=False)
    """The microphone was reported lost and has not sent audio since."""

    @property
    def t_s(self) -> float:
        return self.bus.t_s

    @property
    def ended(self) -> bool:
        return self.reopen is None and not self.bus.can_listen

    def wake(self, until_s: float | None = None) -> Detection | None:
        if self.bus.t_s != self._last_t_s:
            self.detector.reset()
        self._found = None
        if self.pieces is not None:
            return self._wake_in_pieces(until_s)
        while until_s is None or self.bus.t_s < until_s:
            if not self.bus.can_listen:
                if self.reopen is None:
                    return None
                self._open_again("the microphone stopped")
                continue
            try:
                taken = (
                    self.bus.wait(CHUNK_S, self._take) if self.fill_output else self.bus.listen(self._take)
                )
                if taken:
                    return self._found
            except AudioDeviceError as error:
                self._open_again(error.problem)
        return None

    def _wake_in_pieces(self, until_s: float | None) -> Detection | None:
        """Read the microphone in its own small pieces (``pieces``); on a wake, the bus reads it afresh."""
        assert self.pieces is not None and self.reopen is not None
        source = self.pieces()
        while until_s is None or self.bus.t_s < until_s:
            try:
                piece = next(source)
            except (StopIteration, AudioDeviceError) as error:
                problem = error.problem if isinstance(error, AudioDeviceError) else "the microphone stopped"
                self._open_again(problem)
                source = self.pieces()
                continue
            self.bus.taken_elsewhere(len(piece) / BYTES_PER_S)
            if self._take(piece):
                if self.session_input is not None:
                    self.bus.source, self.bus.input_ended = self.session_input(), False
                return self._found
        return None

    def _take(self, chunk: Chunk) -> bool:
        if self._down:
            print("voicecare: the microphone is back; waiting for the wake phrase", file=self.notes)
            self._down = False
        self._found = self.detector.feed(chunk)
        self._last_t_s = self.bus.t_s
        return self._found is not None

    def _open_again(self, problem: str) -> None:
        """One line on stderr, then try every ``RETRY_S`` until the microphone opens; the clock runs on."""
        assert self.reopen is not None
        if not self._down:
            print(f"voicecare: {problem}; trying again every {RETRY_S:g} s until it is back", file=self.notes)
        else:
            self.sleep(RETRY_S)
            self.bus.t_s += RETRY_S
        self._down = True
        if self.close_input is not None:
            self.close_input()
        while True:
            try:
                self.bus.source = self.reopen()
                self.bus.input_ended = False
                return
            except AudioDeviceError:
                self.sleep(RETRY_S)
                self.bus.t_s += RETRY_S

    def rest(self, seconds: float) -> None:
        if self.reopen is None:
            self.bus.skip(seconds)
            return
        if self.close_input is not None:
            self.close_input()
        self.bus.input_ended = True
        left = seconds
        while left > 0:
            self.sleep(min(left, 60.0))
            left -= 60.0
        self.bus.t_s += seconds
        self._reopen_quietly()

    def _reopen_quietly(self) -> None:
        assert self.reopen is not None
        try:
            self.bus.source = self.reopen()
            self.bus.input_ended = False
        except AudioDeviceError as error:
            self._open_again(error.problem)


@dataclass
class TextWaiter:
    """``--text``: a typed line that is the wake phrase wakes; other lines are ignored. The clock does
    not run while waiting for a line."""

    phrase: str
    input: TextIO
    t: Callable[[], float]
    _ended: bool = field(default=False, init=False)

    @property
    def t_s(self) -> float:
        return self.t()

    @property
    def ended(self) -> bool:
        return self._ended

    def wake(self, until_s: float | None = None) -> Detection | None:
        wanted = _words(self.phrase)
        for line in self.input:
            if _words(line) == wanted or _words(line).startswith(wanted + " "):
                return Detection(self.phrase, self.t(), 1.0)
        self._ended = True
        return None

    def rest(self, seconds: float) -> None:
        return None


def _words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace() or c == "'").split())
