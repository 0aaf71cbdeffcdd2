"""Expansion of an exercise script into timed steps: start times, totals and cue times in seconds.

Speech durations come from a ``SpeechEstimator`` (text -> seconds); the default counts words at
160 wpm, and the real synthesiser's measured durations plug in the same way. The pace factor scales
paced silences only; the speaking rate itself is the player's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from voicecare.errors import ConfigError
from voicecare.exercises.breathing import BreathingScript, breathing_steps, load_breathing
from voicecare.exercises.reframing import ReframingScript, load_reframing, reframing_steps
from voicecare.exercises.relaxation import RelaxationScript, load_relaxation, relaxation_steps
from voicecare.exercises.script import (
    Ask,
    CommonWording,
    Cue,
    ExerciseOptions,
    Say,
    SpeechEstimator,
    Step,
    load_common,
    step_seconds,
)

ExerciseName = Literal["relaxation", "breathing", "reframing"]
EXERCISES: tuple[ExerciseName, ...] = ("relaxation", "breathing", "reframing")
DEFAULT_RATE_WPM = 160.0
_WORD = re.compile(r"[\w']+")


def words_estimator(rate_wpm: float = DEFAULT_RATE_WPM) -> SpeechEstimator:
    """An estimator that takes ``words / rate_wpm * 60`` seconds to say a text."""
    if rate_wpm <= 0:
        raise ConfigError(f"speech rate {rate_wpm:g} wpm is not positive", "use a rate such as 160 wpm")

    def estimate(text: str) -> float:
        return len(_WORD.findall(text)) / rate_wpm * 60.0

    return estimate


@dataclass(frozen=True)
class TimedStep:
    """A step with its start and length in seconds from the start of the exercise."""

    start_s: float
    duration_s: float
    step: Step

    @property
    def end_s(self) -> float:
        """When the step ends (seconds)."""
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class TimedCue:
    """A cue and the moment (seconds from the start of the exercise) its cue word starts."""

    t: float
    cue: Cue


@dataclass(frozen=True)
class Timeline:
    """The timed steps of one exercise. ``total_s`` is the spoken and silent length; when
    ``open_ended`` (the script asks questions) the person's answering time comes on top."""

    steps: tuple[TimedStep, ...]
    total_s: float

    @property
    def cues(self) -> tuple[TimedCue, ...]:
        """Every cue with its time, in order."""
        return tuple(TimedCue(s.start_s, s.step) for s in self.steps if isinstance(s.step, Cue))

    @property
    def open_ended(self) -> bool:
        """True when the exercise waits for answers."""
        return any(isinstance(s.step, Ask) for s in self.steps)

    def says(self, role: str | None = None) -> list[tuple[float, Say]]:
        """(start seconds, step) of every ``Say``, or of those of ``role``."""
        return [
            (s.start_s, s.step)
            for s in self.steps
            if isinstance(s.step, Say) and (role is None or s.step.role == role)
        ]


def expand(steps: list[Step], estimate: SpeechEstimator, pace: float = 1.0) -> Timeline:
    """Give each step its start time (seconds); an ``Ask`` counts only the time to say it."""
    clock = 0.0
    timed = []
    for step in steps:
        duration = step_seconds(step, estimate, pace)
        timed.append(TimedStep(clock, duration, step))
        clock += duration
    return Timeline(tuple(timed), clock)


@dataclass(frozen=True)
class ExerciseScripts:
    """All exercise scripts, loaded and validated."""

    common: CommonWording
    relaxation: RelaxationScript
    breathing: BreathingScript
    reframing: ReframingScript


@cache
def default_scripts() -> ExerciseScripts:
    """The scripts shipped under ``voicecare/content/exercises`` (read once per process)."""
    return ExerciseScripts(load_common(), load_relaxation(), load_breathing(), load_reframing())


def exercise_steps(
    exercise: ExerciseName,
    options: ExerciseOptions,
    estimate: SpeechEstimator,
    scripts: ExerciseScripts | None = None,
) -> list[Step]:
    """The untimed steps of ``exercise`` for ``options``."""
    loaded = scripts or default_scripts()
    if exercise == "relaxation":
        return relaxation_steps(loaded.relaxation, loaded.common, options, estimate)
    if exercise == "breathing":
        return breathing_steps(loaded.breathing, loaded.common, options, estimate)
    if exercise == "reframing":
        return reframing_steps(loaded.reframing, loaded.common, options)
    raise ConfigError(f"no exercise called {exercise!r}", f"choose one of: {', '.join(EXERCISES)}")


def build_timeline(
    exercise: ExerciseName,
    options: ExerciseOptions | None = None,
    estimate: SpeechEstimator | None = None,
    scripts: ExerciseScripts | None = None,
) -> Timeline:
    """The timed exercise: ``options`` (default ``ExerciseOptions()``), speech durations by ``estimate``
    (default 160 wpm), pace factor ``options.pace`` on paced silences."""
    chosen = options or ExerciseOptions()
    estimator = estimate or words_estimator()
    return expand(exercise_steps(exercise, chosen, estimator, scripts), estimator, chosen.pace)
