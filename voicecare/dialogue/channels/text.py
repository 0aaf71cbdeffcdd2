"""Typed replies on a text stream, questions printed: for screen-reader and braille users, and scripts."""

import os
import select
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings


@dataclass
class TextChannel:
    """Prints what voicecare says to ``output`` and reads one reply a line from ``input``.

    A timeout applies only when ``input`` is a real file (a terminal or pipe); end of input means the
    person has gone, and every later ``hear`` times out at once. Lines typed ahead (several at once
    through a pipe) answer the next questions in turn: ``select`` cannot see lines already held in the
    stream's buffer, so a pipe's buffer is emptied without blocking before waiting on it.
    """

    input: TextIO
    output: TextIO
    _ended: bool = False
    _pending: str = ""
    """Text read from ``input`` but not handed out yet (part of a line, or lines typed ahead)."""
    _at_end_of_file: bool = False

    @property
    def ended(self) -> bool:
        return self._ended

    def say(self, text: str, speech: SpeechSettings) -> None:
        self.output.write(text + "\n")
        self.output.flush()

    def hear(
        self,
        phrases: Sequence[str],
        timeout_s: float,
        finishing: Collection[str] | None = None,
        revisable: Mapping[str, object] | None = None,
    ) -> Heard:
        if self._ended:
            return Heard("", 0.0, timed_out=True)
        try:
            line = self._next_line(timeout_s)
        except UnicodeDecodeError:
            return Heard("", 0.0, rejected=True)
        if line is None:
            return Heard("", 0.0, timed_out=True)
        return Heard(line.strip(), 1.0)

    def settle(self) -> None:
        """A typed line is whole: nothing is provisional."""

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
