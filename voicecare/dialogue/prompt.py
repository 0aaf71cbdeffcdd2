"""A question as the conversation asks it: its wording, help, re-wording and what it accepts."""

from dataclasses import dataclass, field

from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.names import NameBook


@dataclass(frozen=True)
class Option:
    """One choice of a ``choice`` question: its id and the phrases that pick it."""

    id: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Prompt:
    """A question. ``reask`` is the other wording used when an answer was not understood. A ``DURATION``
    question asks how many weeks: "six weeks", "about three months" or just "six"."""

    id: str
    text: str
    kind: AnswerKind = AnswerKind.YES_NO
    finding: str | None = None
    help: str = ""
    reask: str = ""
    readback: bool = False
    options: tuple[Option, ...] = field(default_factory=tuple)
    items: tuple[str, ...] = ()
    """What a person may say back to name one item of a yes/no question ("the tingling"): a yes."""
    names: NameBook | None = None
    """A name question ("What name shall I remember you by?") or the menu: the names listened for; a
    reply that gives a name is ``FreeText`` holding the name alone."""
    revisable: bool = False
    """A spoken reply that more words could change ("no" before "no idea", "forty" before "forty two")
    may be taken before the full silence after it, provisionally: the flow asking goes on, and handles
    ``AnswerRevised`` if the person went on."""
    number_range: tuple[int, int] | None = None
    """The whole numbers a ``NUMBER`` question takes (inclusive; None: ages, 0 to 110). A number outside
    it is not understood and asked again, and a recogniser listens only for those inside it."""
    reprompt_on_silence: bool = True
    """After the first silence the question is put again; False: the first silence is the answer
    (``Silence``), as for the menu of a device that goes back to waiting."""

    @property
    def help_key(self) -> str:
        """The key of the hint for this kind of question in the wording's ``help`` section (a duration
        question asks how many weeks: ``help.weeks``)."""
        return "help.weeks" if self.kind is AnswerKind.DURATION else f"help.{self.kind.value}"
