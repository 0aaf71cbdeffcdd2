"""Typed replies on a text stream, questions printed: for screen-reader and braille users, and scripts."""

import os
import select
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from voicecare.dialogue.port import Interruption, Listening, Turn
from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings

DEFAULT_RATE_WPM = 160.0


@dataclass
class TextChannel:
    """Prints what voicecare says to ``output`` and reads one reply a line from ``input``.

    A timeout applies only when ``input`` is a real file (a terminal or pipe); end of input means the
    person has gone, and every later ``hear`` times out at once. Lines typed ahead (several at once
    through a pipe) answer the next questions in turn: ``select`` cannot see lines already held in the
    stream's buffer, so a pipe's buffer is emptied without blocking before waiting on it.

    Narration (``say`` and ``wait`` with a ``Listening``) runs on a session clock advanced by
    ``estimate`` (seconds to say a text at ``base_rate_wpm``). When ``narration_input`` reads lines (a
    terminal, or a pipe in tests) speech and silences last their real time and typed lines are judged
    meanwhile; without it nothing waits and nothing is read there (typed lines are left for the questions).
    """

    input: TextIO
    output: TextIO
    estimate: Callable[[str], float] = lambda text: 0.0
    base_rate_wpm: float = DEFAULT_RATE_WPM
    narration_input: TextIO | None = None
    _t_s: float = field(default=0.0, init=False)
    _ended: bool = False
    _pending: str = ""
    """Text read from ``input`` but not handed out yet (part of a line, or lines typed ahead)."""
    _at_end_of_file: bool = False

    @property
    def t_s(self) -> float:
        return self._t_s

    @property
    def ended(self) -> bool:
        return self._ended

    @property
    def can_hear(self) -> bool:
        return self.narration_input is not None

    @contextmanager
    def along_the_clock(self) -> Iterator[None]:
        """Typed lines are read as they come: there is no tape to run along."""
        yield

    def say(
        self,
        text: str,
        speech: SpeechSettings,
        listening: Listening | None = None,
        question: Turn | None = None,
    ) -> Interruption | None:
        """A question is printed whole: a typed reply is read once it is asked."""
        self.output.write(text + "\n")
        self.output.flush()
        return None if listening is None else self.wait(self.seconds(text, speech), listening)

    def seconds(self, text: str, speech: SpeechSettings) -> float:
        return self.estimate(text) * self.base_rate_wpm / speech.rate_wpm

    def wait(self, seconds: float, listening: Listening | None = None) -> Interruption | None:
        started_t, started = self._t_s, time.monotonic()
        self._t_s += seconds
        reader = self.narration_input
        if reader is None:
            return None
        judge = listening.judge if listening is not None else None
        if judge is None:
            time.sleep(seconds)
            return None
        while (left := seconds - (time.monotonic() - started)) > 0:
            readable, _, _ = select.select([reader], [], [], left)
            if not readable:
                break
            line = reader.readline()
            if line == "":
                self.narration_input = None
                time.sleep(max(0.0, seconds - (time.monotonic() - started)))
                break
            meaning = judge(line.strip()) if line.strip() else None
            if meaning is not None:
                self._t_s = started_t + (time.monotonic() - started)
                return Interruption(meaning, self._t_s)
        return None

    def hear(self, turn: Turn, timeout_s: float) -> Heard:
        if self._ended:
            return Heard("", 0.0, timed_out=True)
        try:
            line = self._next_line(timeout_s)
        except UnicodeDecodeError:
            return Heard("", 0.0, rejected=True)
        if line is None:
            return Heard("", 0.0, timed_out=True)
        return Heard(line.strip(), 1.0)

    def settle(self) -> Interruption | None:
        """A typed line is whole: nothing is provisional."""
        return None

    def checked(self) -> Interruption | None:
        """A typed line is whole: nothing is provisional."""
        return None

    def _next_line(self, timeout_s: float) -> str | None:
        """The next typed line, or None after ``timeout_s`` seconds or at the end of input."""
        try:
            descriptor = self.input.fileno()
        except (OSError, ValueError):
            line = self.input.readline()
            self._ended = line == ""
            return None if self._ended else line
        deadline = time.monotonic() + timeout_s
        while "\n" not in self._pending:
            if self._at_end_of_file:
                self._ended = True
                return None
            self._pending += self._buffered(descriptor)
            if "\n" in self._pending:
                break
            readable, _, _ = select.select([descriptor], [], [], max(0.0, deadline - time.monotonic()))
            if not readable:
                return None
            line = self.input.readline()
            if line == "":
                self._at_end_of_file = True
                self._pending += "\n" if self._pending else ""
            self._pending += line
        line, self._pending = self._pending.split("\n", 1)
        return line

    def _buffered(self, descriptor: int) -> str:
        """What a pipe's stream holds already, read without blocking ("" for a terminal: it reads a line
        at a time, so nothing is held)."""
        if self.input.isatty():
            return ""
        blocking = os.get_blocking(descriptor)
        os.set_blocking(descriptor, False)
        try:
            return self.input.readline()
        except BlockingIOError:
            return ""
        finally:
            os.set_blocking(descriptor, blocking)
