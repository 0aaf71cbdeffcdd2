"""Diaphragmatic breathing: the script read from ``breathing.toml`` and its assembly into paced breaths.

Each breath is an "in" cue, the in-count (3 or 4 counts), an "out" cue and the out-count (4 to 6 counts),
one count per ``count_s`` seconds times the pace factor. The first breaths are counted aloud; later ones
hear only the cue words, with a reminder now and then. The paced breaths last the chosen minutes (to
the nearest breath); the opening and the close come on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicecare.content.reader import Table
from voicecare.errors import ConfigError
from voicecare.exercises.script import (
    SCRIPTS_DIR,
    CommonWording,
    Cue,
    ExerciseOptions,
    Pause,
    Say,
    SpeechEstimator,
    Step,
    clamp,
    read_script,
    says,
    step_seconds,
)

IN_COUNT_RANGE = (3, 4)
OUT_COUNT_RANGE = (4, 6)
COUNT_S_RANGE = (0.8, 1.5)
"""Seconds per count after the pace factor."""


@dataclass(frozen=True)
class BreathPace:
    """Counts for breathing in and out."""

    in_count: int
    out_count: int


@dataclass(frozen=True)
class BreathingScript:
    """Everything ``breathing.toml`` holds. Times in seconds."""

    default_minutes: int
    count_s: float
    counted_breaths: int
    min_breaths: int
    reminder_every: int
    pace: BreathPace
    pace_lung_or_heart: BreathPace
    cue_inhale: str
    cue_exhale: str
    numbers: tuple[str, ...]
    intro: tuple[str, ...]
    position: tuple[str, ...]
    position_pregnant: tuple[str, ...]
    pregnancy_safety: tuple[str, ...]
    lung_or_heart: tuple[str, ...]
    hands: tuple[str, ...]
    how: tuple[str, ...]
    pace_intro: str
    dizziness: str
    begin: str
    quiet_counting: str
    reminders: tuple[str, ...]
    closing: tuple[str, ...]

    def pace_for(self, options: ExerciseOptions) -> BreathPace:
        """The counts for this person."""
        return self.pace_lung_or_heart if options.lung_or_heart else self.pace

    def pace_sentence(self, pace: BreathPace) -> str:
        """``pace_intro`` with the counts as words."""
        return self.pace_intro.format(
            in_count=self.numbers[pace.in_count - 1], out_count=self.numbers[pace.out_count - 1]
        )


def _pace(node: Table) -> BreathPace:
    node.only(("in_count", "out_count"))
    return BreathPace(node.integer("in_count", *IN_COUNT_RANGE), node.integer("out_count", *OUT_COUNT_RANGE))


def load_breathing(path: Path | None = None) -> BreathingScript:
    """Read and validate ``breathing.toml`` (or ``path``); ConfigError names the file and key."""
    top = read_script(path or SCRIPTS_DIR / "breathing.toml")
    top.only(("timing", "pace", "pace_lung_or_heart", "cues", "wording"))
    timing = top.table("timing")
    timing.only(("default_minutes", "count_s", "counted_breaths", "min_breaths", "reminder_every"))
    cues = top.table("cues")
    cues.only(("inhale", "exhale", "numbers"))
    words = top.table("wording")
    words.only(
        (
            "intro",
            "position",
            "position_pregnant",
            "pregnancy_safety",
            "lung_or_heart",
            "hands",
            "how",
            "pace_intro",
            "dizziness",
            "begin",
            "quiet_counting",
            "reminders",
            "closing",
        )
    )
    numbers = cues.texts("numbers")
    if len(numbers) < OUT_COUNT_RANGE[1]:
        raise cues.fail(
            "numbers", f"holds {len(numbers)} words", f"list the words one to {OUT_COUNT_RANGE[1]}"
        )
    script = BreathingScript(
        default_minutes=timing.integer("default_minutes", 1, 20),
        count_s=timing.number("count_s", *COUNT_S_RANGE),
        counted_breaths=timing.integer("counted_breaths", 0, 10),
        min_breaths=timing.integer("min_breaths", 1, 10),
        reminder_every=timing.integer("reminder_every", 1, 30),
        pace=_pace(top.table("pace")),
        pace_lung_or_heart=_pace(top.table("pace_lung_or_heart")),
        cue_inhale=cues.text("inhale"),
        cue_exhale=cues.text("exhale"),
        numbers=numbers,
        intro=words.texts("intro"),
        position=words.texts("position"),
        position_pregnant=words.texts("position_pregnant"),
        pregnancy_safety=words.texts("pregnancy_safety"),
        lung_or_heart=words.texts("lung_or_heart"),
        hands=words.texts("hands"),
        how=words.texts("how"),
        pace_intro=words.text("pace_intro"),
        dizziness=words.text("dizziness"),
        begin=words.text("begin"),
        quiet_counting=words.text("quiet_counting"),
        reminders=words.texts("reminders"),
        closing=words.texts("closing"),
    )
    try:
        script.pace_sentence(script.pace)
    except (KeyError, IndexError, ValueError) as error:
        raise words.fail(
            "pace_intro", f"has a bad placeholder ({error})", "use only {in_count} and {out_count}"
        ) from error
    return script


def _counted(
    cue: Cue, count: int, count_s: float, numbers: tuple[str, ...], estimate: SpeechEstimator, aloud: bool
) -> list[Step]:
    steps: list[Step] = [cue]
    if not aloud:
        return [cue, Pause(count * count_s - estimate(cue.text), paced=False, role="breath")]
    steps.append(Pause(count_s - estimate(cue.text), paced=False, role="breath"))
    for number in numbers[1:count]:
        steps += [Say(number, "count"), Pause(count_s - estimate(number), paced=False, role="breath")]
    return steps


def _breath(
    script: BreathingScript,
    index: int,
    pace: BreathPace,
    count_s: float,
    estimate: SpeechEstimator,
    aloud: bool,
) -> list[Step]:
    group = f"breath_{index}"
    inhale = Cue("inhale", group, script.cue_inhale)
    exhale = Cue("exhale", group, script.cue_exhale)
    return _counted(inhale, pace.in_count, count_s, script.numbers, estimate, aloud) + _counted(
        exhale, pace.out_count, count_s, script.numbers, estimate, aloud
    )


def _position(script: BreathingScript, options: ExerciseOptions) -> list[Step]:
    if options.lung_or_heart:
        lines = script.lung_or_heart
    else:
        lines = script.position_pregnant if options.pregnant else script.position
    steps = says(lines, "position")
    if options.pregnant:
        steps += says(script.pregnancy_safety, "safety")
    return steps + says(script.hands, "position")


def _seconds(steps: list[Step], estimate: SpeechEstimator, pace: float) -> float:
    return sum(step_seconds(step, estimate, pace) for step in steps)


def _opening(script: BreathingScript, common: CommonWording, options: ExerciseOptions) -> list[Step]:
    steps: list[Step] = [Say(common.warning, "warning")] if options.standalone else []
    steps.append(Say(common.stop_hint, "stop_hint"))
    steps += says(script.intro, "intro")
    steps += _position(script, options)
    steps += says(script.how, "how")
    steps.append(Say(script.pace_sentence(script.pace_for(options)), "how"))
    steps.append(Say(script.dizziness, "safety"))
    steps.append(Say(script.begin, "how"))
    return steps


def _lead(script: BreathingScript, index: int) -> list[Step]:
    """What is said before breath ``index``: nothing, the switch to quiet counting, or a reminder."""
    quiet_index = index - script.counted_breaths
    if quiet_index == 1:
        return [Say(script.quiet_counting, "how")]
    if quiet_index > 1 and quiet_index % script.reminder_every == 0:
        reminder = script.reminders[(quiet_index // script.reminder_every - 1) % len(script.reminders)]
        return [Say(reminder, "reminder")]
    return []


def _practice(
    script: BreathingScript, options: ExerciseOptions, estimate: SpeechEstimator, budget_s: float
) -> list[Step]:
    """Breaths lasting ``budget_s`` seconds to the nearest breath (at least ``min_breaths``)."""
    pace = script.pace_for(options)
    count_s = clamp(script.count_s * options.pace, *COUNT_S_RANGE)
    if min(count_s - estimate(w) for w in (script.cue_inhale, script.cue_exhale, *script.numbers)) < 0:
        raise ConfigError(
            f"a count word takes longer than a {count_s:g} s count",
            "shorten the words in breathing.toml [cues] or raise count_s",
        )
    steps: list[Step] = []
    used = 0.0
    index = 1
    while True:
        aloud = index <= script.counted_breaths
        breath = _lead(script, index) + _breath(script, index, pace, count_s, estimate, aloud)
        cost = _seconds(breath, estimate, options.pace)
        if index > script.min_breaths and used + cost / 2 > budget_s:
            break
        steps += breath
        used += cost
        index += 1
    return steps


def breathing_steps(
    script: BreathingScript, common: CommonWording, options: ExerciseOptions, estimate: SpeechEstimator
) -> list[Step]:
    """The session: opening, paced breaths, the close. The paced breaths last ``options.minutes``
    (default ``script.default_minutes``) to the nearest breath, never fewer than ``min_breaths``; the
    opening and the close are extra."""
    opening = _opening(script, common, options)
    closing = says(script.closing, "closing") + says(common.get_up, "get_up")
    minutes = options.minutes or script.default_minutes
    return opening + _practice(script, options, estimate, minutes * 60.0) + closing
