"""Guided exercises as data: progressive muscle relaxation, diaphragmatic breathing and cognitive
reframing, read from ``voicecare/content/exercises`` and expanded into timed steps."""

from voicecare.exercises.script import Ask, Cue, ExerciseOptions, Pause, Say, SayBack, Step
from voicecare.exercises.timeline import (
    ExerciseName,
    TimedCue,
    TimedStep,
    Timeline,
    build_timeline,
    expand,
    words_estimator,
)

__all__ = [
    "Ask",
    "Cue",
    "ExerciseName",
    "ExerciseOptions",
    "Pause",
    "Say",
    "SayBack",
    "Step",
    "TimedCue",
    "TimedStep",
    "Timeline",
    "build_timeline",
    "expand",
    "words_estimator",
]
