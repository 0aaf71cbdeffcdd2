"""The steps an exercise script is made of, and the wording every exercise shares.

A script is a list of steps: ``Say`` (spoken text), ``Pause`` (timed silence), ``Cue`` (a spoken cue
word whose start is an event time), ``Ask`` (a question the person answers) and ``SayBack`` (a sentence
chosen from two ratings). ``voicecare.exercises.timeline`` gives each step its start time. The TOML files
that hold the wording are read with ``voicecare.content.reader``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from voicecare.content.reader import CONTENT_DIR, Table, read_table
from voicecare.errors import ConfigError
from voicecare.understanding.answer_kind import AnswerKind

SCRIPTS_DIR = CONTENT_DIR / "exercises"
"""Where the exercise scripts live (``common``, ``relaxation``, ``breathing``, ``reframing`` .toml)."""

SpeechEstimator = Callable[[str], float]
"""Seconds it takes to speak a text (the real synthesiser's durations plug in here)."""

CueKind = Literal["tense", "release", "inhale", "exhale"]
ASK_KINDS = (AnswerKind.YES_NO, AnswerKind.NUMBER, AnswerKind.FREE)
"""The kinds of answer an exercise's ``Ask`` may take."""


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
    kind: AnswerKind
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


def read_script(path: Path) -> Table:
    """The top table of the exercise script at ``path``; ConfigError when missing or not valid TOML."""
    return read_table(path, "exercise script")


@dataclass(frozen=True)
class CommonWording:
    """Wording shared by every exercise: the warning sentence said when an exercise is started on its
    own, how to stop, and how to get up safely afterwards."""

    warning: str
    stop_hint: str
    get_up: tuple[str, ...]


def load_common(path: Path | None = None) -> CommonWording:
    """Read ``common.toml`` (or ``path``)."""
    node = read_script(path or SCRIPTS_DIR / "common.toml")
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
    condition; ``minutes``: minutes of paced breathing, 1 to 20 (None: the script's default), opening and
    close not counted; ``standalone``: the exercise was started on its own, so it opens with the warning
    sentence; ``pace``: factor on silences (1.0 normal, 1.25 slower, 0.8 faster; 0.5 to 2.0).
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
