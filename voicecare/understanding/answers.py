"""The typed answer to one listening turn: what understanding hands to the dialogue.

Callers branch on the class (``match answer: case Number(value=n): ...``) and never on raw text.
``Unclear`` re-asks; it never counts as no. ``Unsure`` is an answer ("I don't know"), not a no.
"""

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Literal, TypeAlias


class CommandName(StrEnum):
    """The spoken commands. Names are stable ids used in commands.toml and in JSON events."""

    HELP = "help"
    REPEAT = "repeat"
    STOP = "stop"
    PAUSE = "pause"
    RESUME = "resume"
    SLOWER = "slower"
    FASTER = "faster"
    SKIP = "skip"
    TIME_LEFT = "time_left"


EXERCISE_COMMANDS = frozenset({CommandName.SKIP, CommandName.TIME_LEFT})
"""The commands an exercise understands on top of those of every turn (``extra_commands``)."""


class Qualifier(Enum):
    """How a spoken duration was hedged: "six weeks", "about six weeks", "less than", "more than"."""

    EXACT = "exact"
    ABOUT = "about"
    LESS_THAN = "less_than"
    MORE_THAN = "more_than"


@dataclass(frozen=True)
class Yes:
    """A clear yes ("yes", "I do", "that's right")."""

    label: Literal["yes"] = field(default="yes", init=False)


@dataclass(frozen=True)
class No:
    """A clear no ("no", "I don't", "not really"). Never produced from doubt or a mixed answer."""

    label: Literal["no"] = field(default="no", init=False)


@dataclass(frozen=True)
class Unsure:
    """The person does not know ("not sure", "I don't know", "no idea", "maybe")."""

    label: Literal["unsure"] = field(default="unsure", init=False)


@dataclass(frozen=True)
class Number:
    """A whole number, e.g. an age in years (``value``)."""

    value: int
    label: Literal["number"] = field(default="number", init=False)


@dataclass(frozen=True)
class Duration:
    """How long something has lasted, in weeks.

    ``weeks`` is the best single estimate: "six weeks" 6.0, "a month" about 4.35, "less than a week" 0.5
    (half the stated bound). ``qualifier`` keeps the hedge: with ``MORE_THAN``, ``weeks`` is the stated
    lower bound and the truth may be much longer; with ``LESS_THAN`` the truth is below ``stated_weeks``.
    ``stated_weeks`` is the amount as said, before any hedge was applied.
    """

    weeks: float
    qualifier: Qualifier = Qualifier.EXACT
    stated_weeks: float | None = None
    label: Literal["duration"] = field(default="duration", init=False)


@dataclass(frozen=True)
class Choice:
    """One of the turn's options, by its ``id`` (as given in the turn's ``ChoiceOption``)."""

    id: str
    label: Literal["choice"] = field(default="choice", init=False)


@dataclass(frozen=True)
class Command:
    """A spoken command (``name``), recognised in every kind of turn."""

    name: CommandName
    label: Literal["command"] = field(default="command", init=False)


@dataclass(frozen=True)
class FreeText:
    """Anything said in a free turn (``text`` as typed or recognised, trimmed)."""

    text: str
    label: Literal["free_text"] = field(default="free_text", init=False)


@dataclass(frozen=True)
class Done:
    """The person has finished a free turn ("done", "that's all")."""

    label: Literal["done"] = field(default="done", init=False)


@dataclass(frozen=True)
class Unclear:
    """Heard something that is not an answer to this turn, or a mix ("yes... actually no"): ask again."""

    label: Literal["unclear"] = field(default="unclear", init=False)


@dataclass(frozen=True)
class Silence:
    """No speech began within the no-input timeout."""

    label: Literal["silence"] = field(default="silence", init=False)


@dataclass(frozen=True)
class SelfHarm:
    """Words suggesting self-harm or hopelessness were heard; ``phrase`` is the trigger phrase matched."""

    phrase: str
    label: Literal["self_harm"] = field(default="self_harm", init=False)


Answer: TypeAlias = (
    Yes | No | Unsure | Number | Duration | Choice | Command | FreeText | Done | Unclear | Silence | SelfHarm
)
"""Every answer a turn can produce. Use ``match`` with ``typing.assert_never`` for exhaustive handling."""

YES = Yes()
NO = No()
UNSURE = Unsure()
DONE = Done()
UNCLEAR = Unclear()
SILENCE = Silence()
