"""The one interface a dialogue talks through; it never knows which mode it runs in."""

from collections.abc import Collection, Sequence
from typing import Protocol

from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings


class Channel(Protocol):
    """Says things to the person and hears their replies."""

    @property
    def ended(self) -> bool:
        """True once the input is over for good (end of typed input, end of the answer tape)."""
        ...

    def say(self, text: str, speech: SpeechSettings) -> None:
        """Say or print ``text``; returns when it has been said."""
        ...

    def hear(
        self, phrases: Sequence[str], timeout_s: float, finishing: Collection[str] | None = None
    ) -> Heard:
        """Wait up to ``timeout_s`` seconds for a reply restricted to ``phrases`` (typed text is free);
        a spoken reply that is one of ``finishing`` may end after a short silence.

        Returns ``Heard(timed_out=True)`` for no reply, and also once ``ended``.
        """
        ...
