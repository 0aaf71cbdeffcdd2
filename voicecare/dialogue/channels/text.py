"""Typed replies on a text stream, questions printed: for screen-reader and braille users, and scripts."""

import select
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings


@dataclass
class TextChannel:
    """Prints what voicecare says to ``output`` and reads one reply a line from ``input``.

    A timeout applies only when ``input`` is a real file (a terminal or pipe); end of input means the
    person has gone, and every later ``hear`` times out at once.
    """

    input: TextIO
    output: TextIO
    _ended: bool = False

    @property
    def ended(self) -> bool:
        return self._ended

    def say(self, text: str, speech: SpeechSettings) -> None:
        self.output.write(text + "\n")
        self.output.flush()

    def hear(self, phrases: Sequence[str], timeout_s: float) -> Heard:
        if self._ended:
            return Heard("", 0.0, timed_out=True)
        if not self._ready(timeout_s):
            return Heard("", 0.0, timed_out=True)
        line = self.input.readline()
        if line == "":
            self._ended = True
            return Heard("", 0.0, timed_out=True)
        return Heard(line.strip(), 1.0)

    def _ready(self, timeout_s: float) -> bool:
        try:
            descriptor = self.input.fileno()
        except (OSError, ValueError):
            return True
        readable, _, _ = select.select([descriptor], [], [], timeout_s)
        return bool(readable)
