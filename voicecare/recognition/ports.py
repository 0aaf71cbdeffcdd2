"""What every recogniser offers: a streaming session opened with the turn's phrases."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from voicecare.audio.pcm import Chunk

SURE_CONFIDENCE = 0.5
"""The confidence (0 to 1) a reply needs before it may end doubt: a no, or a command that changes the
session. Replies that keep doubt open or lead to more care (a yes, which is read back; a doubt; words
of self-harm) count once accepted at all, so an uncertain "no" is asked again rather than believed."""


@dataclass(frozen=True)
class Heard:
    """The result of one listening turn.

    ``text`` is one of the turn's phrases (or "" when nothing was accepted); ``confidence`` is 0 to 1;
    ``rejected`` means speech or noise was heard but matched no phrase well enough; ``timed_out`` means
    no speech began within the no-speech timeout. ``start_s``/``end_s`` are stream seconds of the speech.
    ``provisional`` means the utterance was ended early on a phrase that more words could still change
    ("no" before "no idea"): the listener goes on listening until the full silence has passed.
    ``checked`` means a second recogniser heard ``text`` where the first was unsure; ``hypothesis`` is then
    the first recogniser's own best phrase ("" when it had none), which the listener weighs it against.
    """

    text: str
    confidence: float
    rejected: bool = False
    timed_out: bool = False
    start_s: float = 0.0
    end_s: float = 0.0
    provisional: bool = False
    hypothesis: str | None = None
    checked: bool = False

    @property
    def accepted(self) -> bool:
        """True when ``text`` holds a phrase of the grammar."""
        return bool(self.text) and not self.rejected and not self.timed_out


class RecognitionSession(Protocol):
    """One utterance being decoded under one grammar. Feed chunks; ``finish`` or ``cancel`` once."""

    def feed(self, chunk: Chunk, trailing_silence_s: float = 0.0) -> str:
        """Decode ``chunk`` and return the partial hypothesis so far ("" when none).
        ``trailing_silence_s``: seconds of silence at the end of what has been fed, this chunk included.
        The utterance may be over, so an engine may decode its final result now, while the silence goes on,
        so that ``finish`` is quick; speech may still follow."""
        ...

    def finish(self, trailing_silence_s: float = 0.0) -> Heard:
        """End the utterance and return the final result. ``trailing_silence_s``: seconds of silence at
        the end of what was fed, which an engine need not decode."""
        ...

    def cancel(self) -> None:
        """Abandon the utterance; no result is produced."""
        ...


class Recognizer(Protocol):
    """A loaded speech model. Load once per process; open one session per utterance."""

    @property
    def name(self) -> str:
        """Engine name as used by ``--engine`` (``vosk`` or ``pocketsphinx``)."""
        ...

    def open(self, phrases: Sequence[str]) -> RecognitionSession:
        """Start decoding an utterance restricted to ``phrases`` (lower-case words, as spoken)."""
        ...
