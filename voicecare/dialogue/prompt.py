"""A question as the conversation asks it: its wording, help, re-wording and what it accepts."""

from dataclasses import dataclass, field
from typing import Literal

from voicecare.dialogue.events import AskKind

ParseKind = Literal["yes_no", "number", "weeks", "choice", "free"]


@dataclass(frozen=True)
class Option:
    """One choice of a ``choice`` question: its id and the phrases that pick it."""

    id: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Prompt:
    """A question. ``reask`` is the other wording used when an answer was not understood."""

    id: str
    text: str
    kind: AskKind = "yes_no"
    finding: str | None = None
    help: str = ""
    reask: str = ""
    readback: bool = False
    options: tuple[Option, ...] = field(default_factory=tuple)
    duration: bool = False
    """A ``number`` question of how many weeks: "six weeks", "about three months" or just "six"."""
    revisable: bool = False
    """A spoken reply that more words could change ("no" before "no idea", "forty" before "forty two")
    may be taken before the full silence after it, provisionally: the flow asking goes on, and handles
    ``AnswerRevised`` if the person went on."""

    @property
    def parse_kind(self) -> ParseKind:
        """How replies to this question are understood."""
        return "weeks" if self.duration else self.kind
