"""The one interface a dialogue talks through; it never knows which mode it runs in."""

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings


class ReplyRevised(Exception):
    """A reply taken provisionally (``Heard.provisional``) did not stand: its final decoding differed, or
    the person went on speaking.

    ``heard`` is the whole reply, decoded again; the dialogue takes it in place of the provisional one.
    Raised by whatever the channel was doing when it found out (saying the next thing, which is cut
    short, or waiting).
    """

    def __init__(self, heard: Heard) -> None:
        super().__init__(heard.text)
        self.heard = heard


class Channel(Protocol):
    """Says things to the person and hears their replies."""

    @property
    def ended(self) -> bool:
        """True once the input is over for good (end of typed input, end of the answer tape)."""
        ...

    def say(self, text: str, speech: SpeechSettings) -> None:
        """Say or print ``text``; returns when it has been said. Raises ``ReplyRevised`` (see there)."""
        ...

    def hear(
        self,
        phrases: Sequence[str],
        timeout_s: float,
        finishing: Collection[str] | None = None,
        revisable: Mapping[str, object] | None = None,
    ) -> Heard:
        """Wait up to ``timeout_s`` seconds for a reply restricted to ``phrases`` (typed text is free);
        a spoken reply that is one of ``finishing`` may end after a short silence. One of ``revisable``
        (each phrase with what it means) may end sooner, as a provisional reply: the channel listens on
        through the rest of the silence while the dialogue goes on, and raises ``ReplyRevised`` from a
        later call if it did not stand.

        Returns ``Heard(timed_out=True)`` for no reply, and also once ``ended``.
        """
        ...

    def settle(self) -> None:
        """Wait until a provisional reply is final; raises ``ReplyRevised`` if the person went on."""
        ...
