"""The one port every flow talks to the person through: say, wait, ask (hear) and listen throughout.

The screening, the menu and the exercise narration all use it, in every mode: the voice channel on the
audio bus (microphone and speaker, or WAV tapes), and the text channel (typed lines). It never says which
mode it is in. Whatever cuts the output short comes back as one ``Interruption``: something heard under
the speech (barge-in: a command, a warning sign, words of self-harm) or a provisional reply that did not
stand (``Revised``).
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings

Judge = Callable[[str], object | None]
"""Takes heard or typed text; returns what it means when that should interrupt, else None."""


@dataclass(frozen=True)
class Turn:
    """What one listening turn accepts: ``phrases`` (the recogniser's grammar; typed text is free), those
    of ``finishing`` that may end an utterance after a short silence, and ``revisable`` ones (each with its
    meaning) that may end it sooner still, provisionally."""

    phrases: Sequence[str]
    finishing: Collection[str] | None = None
    revisable: Mapping[str, object] | None = None


@dataclass(frozen=True)
class Listening:
    """Narration: said on the session clock (a tape runs along it), listened under for ``turn`` while
    ``judge`` is set. With ``judge`` None the line is narrated but nothing can interrupt it."""

    turn: Turn
    judge: Judge | None


@dataclass(frozen=True)
class Revised:
    """A reply taken provisionally (``Heard.provisional``) did not stand: its final decoding differed, or
    the person went on speaking. ``heard`` is the whole reply, decoded again."""

    heard: Heard


@dataclass(frozen=True)
class Answering:
    """The person began to answer the question being said (barge-in): the output stopped at the first
    word of a reply (or of a command), and the next ``hear`` under the question's turn takes the whole
    reply, from its start."""


@dataclass(frozen=True)
class Interruption:
    """What cut the output short (``found``: what the judge returned, ``Revised`` or ``Answering``) and
    the session time it did (seconds): the output is silent from ``at_s`` on."""

    found: object
    at_s: float


class Channel(Protocol):
    """Says things to the person and hears them, on a session clock."""

    @property
    def t_s(self) -> float:
        """Session time in seconds."""
        ...

    @property
    def ended(self) -> bool:
        """True once the input is over for good (end of typed input, end of the answer tape)."""
        ...

    @property
    def can_hear(self) -> bool:
        """True while the person can interrupt what is being said."""
        ...

    def say(
        self,
        text: str,
        speech: SpeechSettings,
        listening: Listening | None = None,
        question: Turn | None = None,
    ) -> Interruption | None:
        """Say or print ``text``; returns once it has been said, or with what interrupted it.

        ``question``: ``text`` asks for a reply under that turn. Where the person can be heard over the
        speech, a reply begun while it is said stops it (``Interruption(Answering)``); the next ``hear``
        under the same turn takes that reply whole."""
        ...

    def wait(self, seconds: float, listening: Listening | None = None) -> Interruption | None:
        """Stay silent ``seconds`` on the session clock; the interruption, if one came."""
        ...

    def seconds(self, text: str, speech: SpeechSettings) -> float:
        """How long ``text`` takes to say at ``speech`` (seconds)."""
        ...

    def hear(self, turn: Turn, timeout_s: float) -> Heard:
        """Wait up to ``timeout_s`` seconds for a reply under ``turn``. A reply that is one of
        ``turn.revisable`` may come back provisional: the channel listens on through the rest of the silence
        while the dialogue goes on, and a later call returns ``Interruption(Revised)`` if it did not stand.

        Returns ``Heard(timed_out=True)`` for no reply, and also once ``ended``.
        """
        ...

    def settle(self) -> Interruption | None:
        """Wait until a provisional reply is final; ``Interruption(Revised)`` if it did not stand."""
        ...

    def checked(self) -> Interruption | None:
        """Wait, in silence, until a provisional reply's final decoding has checked it (the rest of its
        silence is still listened to while what comes next is said); ``Interruption(Revised)`` if it did
        not stand. Called before a question is begun, so a re-ask never follows the next question."""
        ...

    def along_the_clock(self) -> AbstractContextManager[None]:
        """Within it, the input runs along the session clock (an exercise: a tape's words are heard when
        the clock reaches them), rather than only while listening (a screening: each answer meets the next
        question)."""
        ...
