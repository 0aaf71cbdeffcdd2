"""The steps an exercise script is made of, and a strict reader for the TOML files that hold the wording.

A script is a list of steps: ``Say`` (spoken text), ``Pause`` (timed silence), ``Cue`` (a spoken cue
word whose start is an event time), ``Ask`` (a question the person answers) and ``SayBack`` (a sentence
chosen from two ratings). ``voicecare.exercises.timeline`` gives each step its start time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from voicecare.errors import ConfigError

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "exercises"
"""Where the exercise scripts live (``common``, ``relaxation``, ``breathing``, ``reframing`` .toml)."""

SpeechEstimator = Callable[[str], float]
"""Seconds it takes to speak a text (the real synthesiser's durations plug in here)."""

CueKind = Literal["tense", "release", "inhale", "exhale"]
AskKind = Literal["yes_no", "number", "free"]
ASK_KINDS: tuple[AskKind, ...] = ("yes_no", "number", "free")


@dataclass(frozen=True)
class Say:
    """Text spoken aloud. ``role`` says what part of the exercise it is (``warning``, ``attend``, ...)."""

    text: str
    role: str = "say"


@dataclass(frozen=True)
class Pause:
    """Silence of ``seconds``. A ``paced`` pause is scaled by the pace factor; an unpaced one was already
    fitted by the builder to hold a timing window (tension or release) exactly."""

    seconds: float
    paced: bool = True
    role: str = "pause"


@dataclass(frozen=True)
class Cue:
    """A cue word (``text``, e.g. "Now.") whose start time is the event time of ``cue`` for ``group``.

    ``group`` is unique within the sequence (a muscle group or a breath); ``round`` is 2 on the second
    pass when each group is done twice.
    """

    cue: CueKind
    group: str
    text: str
    round: int = 1


@dataclass(frozen=True)
class Ask:
    """A question. ``free`` asks are not understood: the person speaks aloud or silently and says "done"
    (or stays quiet for ``quiet_s`` seconds) to go on. ``number`` asks take ``low`` to ``high``; ``yes_no``
    asks may carry ``on_yes`` steps said only after a yes. ``help`` is said when the person asks for help.
    ``weighs_evidence`` marks the asks that must never be run on a thought of self-harm.
    """

    id: str
    kind: AskKind
    text: str
    help: str
    stage: str
    low: int = 0
    high: int = 10
    quiet_s: float = 8.0
    on_yes: tuple[Step, ...] = ()
    weighs_evidence: bool = False


@dataclass(frozen=True)
class SayBack:
    """A sentence chosen from two number answers (``before_id``, ``after_id``): one template each for a
    lower, the same, or a higher second answer, with ``{before}``, ``{after}`` and ``{change}``."""

    before_id: str
    after_id: str
    lower: str
    same: str
    higher: str

    def text(self, before: int, after: int) -> str:
        """The sentence for these two answers."""
        if after < before:
            template = self.lower
        elif after > before:
            template = self.higher
        else:
            template = self.same
        return template.format(before=before, after=after, change=abs(after - before))

    def longest(self) -> str:
        """The longest wording (for timing before the answers are known)."""
        samples = (self.text(8, 3), self.text(5, 5), self.text(3, 8))
        return max(samples, key=len)


Step = Say | Pause | Cue | Ask | SayBack


class Node:
    """One TOML table of a content file, read strictly: every error names the file and the key."""

    def __init__(self, data: dict[str, object], file: Path, key: str = "") -> None:
        self.data = data
        self.file = file
        self.key = key

    def where(self, name: str | None = None) -> str:
        """``file: key.name`` for error messages."""
        parts = [p for p in (self.key, name) if p]
        return f"{self.file}: {'.'.join(parts) or '(top level)'}"

    def fail(self, name: str | None, problem: str, fix: str) -> ConfigError:
        """A ConfigError about key ``name`` of this table."""
        return ConfigError(f"{self.where(name)} {problem}", fix)

    def only(self, allowed: Iterable[str]) -> None:
        """Reject any key not in ``allowed``."""
        allowed_set = set(allowed)
        for name in self.data:
            if name not in allowed_set:
                raise self.fail(name, "is not a known key", f"use one of: {', '.join(sorted(allowed_set))}")

    def has(self, name: str) -> bool:
        """True when the table holds key ``name``."""
        return name in self.data

    def text(self, name: str) -> str:
        """A required non-empty string."""
        value = self.data.get(name)
        if value is None:
            raise self.fail(name, "is missing", "add the text")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "must be non-empty text", "write the wording in double quotes")
        return value.strip()

    def opt_text(self, name: str) -> str | None:
        """An optional non-empty string."""
        return self.text(name) if name in self.data else None

    def texts(self, name: str) -> tuple[str, ...]:
        """A required non-empty list of non-empty strings."""
        value = self.data.get(name)
        if value is None:
            raise self.fail(name, "is missing", "add a list of sentences")
        if not isinstance(value, list) or not value:
            raise self.fail(name, "must be a non-empty list of text", 'write ["First sentence.", ...]')
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{name}[{index}]", "must be non-empty text", "write the wording in quotes")
            result.append(item.strip())
        return tuple(result)

    def number(self, name: str, low: float, high: float, default: float | None = None) -> float:
        """A number of seconds (or other unit) between ``low`` and ``high`` inclusive."""
        value = self.data.get(name, default)
        if value is None:
            raise self.fail(name, "is missing", f"add a number from {low:g} to {high:g}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, "must be a number", f"write a number from {low:g} to {high:g}")
        if not low <= value <= high:
            raise self.fail(name, f"is {value:g}, outside {low:g} to {high:g}", f"use {low:g} to {high:g}")
        return float(value)

    def integer(self, name: str, low: int, high: int, default: int | None = None) -> int:
        """A whole number between ``low`` and ``high`` inclusive."""
        value = self.data.get(name, default)
        if value is None:
            raise self.fail(name, "is missing", f"add a whole number from {low} to {high}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, "must be a whole number", f"write a whole number from {low} to {high}")
        if not low <= value <= high:
            raise self.fail(name, f"is {value}, outside {low} to {high}", f"use {low} to {high}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        """A true/false value."""
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false", "write true or false (no quotes)")
        return value

    def words(self, name: str, vocabulary: Sequence[str]) -> tuple[str, ...]:
        """A list of words, each from ``vocabulary`` (empty when absent)."""
        value = self.data.get(name, [])
        if not isinstance(value, list):
            raise self.fail(name, "must be a list", f"write a list of: {', '.join(vocabulary)}")
        for item in value:
            if item not in vocabulary:
                raise self.fail(name, f"holds unknown word {item!r}", f"use only: {', '.join(vocabulary)}")
        return tuple(str(item) for item in value)

    def child(self, name: str) -> Node:
        """A required sub-table."""
        value = self.data.get(name)
        if not isinstance(value, dict):
            raise self.fail(name, "is missing or not a table", f"add a [{self.sub(name)}] table")
        return Node(value, self.file, self.sub(name))

    def children(self, name: str) -> list[Node]:
        """A required non-empty array of tables (``[[name]]``)."""
        value = self.data.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, "is missing or not a list of tables", f"add [[{self.sub(name)}]] entries")
        return [Node(v, self.file, f"{self.sub(name)}[{i}]") for i, v in enumerate(value)]

    def tables(self) -> list[tuple[str, Node]]:
        """Every entry of this table, each required to be a sub-table."""
        result = []
        for name, value in self.data.items():
            if not isinstance(value, dict):
                raise self.fail(name, "must be a table", f"write it as [{self.sub(name)}]")
            result.append((name, Node(value, self.file, self.sub(name))))
        return result

    def sub(self, name: str) -> str:
        """The dotted key of child ``name``."""
        return f"{self.key}.{name}" if self.key else name


def read_toml(path: Path) -> Node:
    """The top table of the TOML file at ``path``; ConfigError when missing or not valid TOML."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as error:
        raise ConfigError(
            f"{path}: no such exercise script", "reinstall voicecare or fix the path"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})", "fix the syntax at the place named") from error
    return Node(data, path)


@dataclass(frozen=True)
class CommonWording:
    """Wording shared by every exercise: the warning sentence said when an exercise is started on its
    own, how to stop, and how to get up safely afterwards."""

    warning: str
    stop_hint: str
    get_up: tuple[str, ...]


def load_common(path: Path | None = None) -> CommonWording:
    """Read ``common.toml`` (or ``path``)."""
    node = read_toml(path or CONTENT_DIR / "common.toml")
    node.only(("warning", "stop_hint", "get_up"))
    return CommonWording(
        warning=node.text("warning"), stop_hint=node.text("stop_hint"), get_up=node.texts("get_up")
    )


def says(lines: Iterable[str], role: str) -> list[Step]:
    """One ``Say`` per line, all with ``role``."""
    return [Say(line, role) for line in lines]


PACE_RANGE = (0.5, 2.0)
GROUP_COUNTS = (16, 7, 4)
MINUTES_RANGE = (1, 20)


@dataclass(frozen=True)
class ExerciseOptions:
    """How an exercise is put together.

    ``groups``: 16, 7 or 4 muscle groups; ``twice``: each group done twice; ``pregnant``: side-lying or
    propped-up positions and no tummy tensing; ``lung_or_heart``: the breathing wording for a lung or heart
    condition; ``minutes``: breathing length, 1 to 20 (None: the script's default); ``standalone``: the
    exercise was started on its own, so it opens with the warning sentence; ``pace``: factor on silences
    (1.0 normal, 1.25 slower, 0.8 faster; 0.5 to 2.0).
    """

    groups: int = 16
    twice: bool = False
    pregnant: bool = False
    lung_or_heart: bool = False
    minutes: int | None = None
    standalone: bool = True
    pace: float = 1.0

    def __post_init__(self) -> None:
        if self.groups not in GROUP_COUNTS:
            raise ConfigError(f"{self.groups} muscle groups is not a sequence", "choose 16, 7 or 4 groups")
        low, high = MINUTES_RANGE
        if self.minutes is not None and not low <= self.minutes <= high:
            raise ConfigError(
                f"{self.minutes} minutes of breathing is out of range", f"choose {low} to {high}"
            )
        if not PACE_RANGE[0] <= self.pace <= PACE_RANGE[1]:
            raise ConfigError(
                f"pace {self.pace:g} is out of range", "use a pace from 0.5 to 2.0 (1.0 is normal)"
            )


def clamp(value: float, low: float, high: float) -> float:
    """``value`` held within ``low`` and ``high``."""
    return max(low, min(high, value))


def step_seconds(step: Step, estimate: SpeechEstimator, pace: float) -> float:
    """How long ``step`` lasts in seconds: speech by ``estimate``, a paced silence times ``pace``; an
    ``Ask`` counts only the time to say it."""
    if isinstance(step, Pause):
        return step.seconds * pace if step.paced else step.seconds
    if isinstance(step, SayBack):
        return estimate(step.longest())
    return estimate(step.text)
