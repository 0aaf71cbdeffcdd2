"""A question as the conversation asks it: its wording, help, re-wording and what it accepts."""

from dataclasses import dataclass, field

from voicecare.dialogue.events import AskKind


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
