"""Progressive muscle relaxation: the script read from ``relaxation.toml`` and its assembly into steps.

Each muscle group: attend, tense instruction, cue "now", hold for the tension time (5 to 7 s), cue
"relax", release phrases and silence for the release time (30 to 40 s). Times are from the start of one
cue word to the start of the next step, so the windows hold whatever the speech takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicecare.content.reader import Table
from voicecare.errors import ConfigError
from voicecare.exercises.script import (
    GROUP_COUNTS,
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
)

TENSION_RANGE_S = (5.0, 7.0)
RELEASE_RANGE_S = (30.0, 40.0)
CLOSING_QUIET_RANGE_S = (90.0, 150.0)
AREAS = ("arm", "face", "neck", "chest", "shoulders", "back", "tummy", "leg", "foot")
RELEASE_SPEECH_SHARE = 0.5
"""At most this share of the release time is filled with release phrases; the rest is silence."""
RELEASE_PHRASE_GAP_S = 2.0


@dataclass(frozen=True)
class MuscleGroup:
    """One muscle group: ``name`` is its id (unique in a sequence, used in cue events); ``areas`` the body
    parts involved; ``tense_pregnant`` replaces ``tense`` in pregnancy, ``rest_pregnant`` replaces the whole
    group (no tensing) in pregnancy."""

    name: str
    areas: tuple[str, ...]
    attend: str
    tense: str
    release: tuple[str, ...]
    tense_pregnant: str | None = None
    rest_pregnant: str | None = None


@dataclass(frozen=True)
class RelaxSequence:
    """The groups of one sequence in order, with its timing in seconds."""

    size: int
    groups: tuple[MuscleGroup, ...]
    tension_s: float
    release_s: float
    closing_quiet_s: float


@dataclass(frozen=True)
class RelaxationScript:
    """Everything ``relaxation.toml`` holds. Times in seconds."""

    cue_tense: str
    cue_release: str
    intro: tuple[str, ...]
    position: tuple[str, ...]
    position_pregnant: tuple[str, ...]
    safety: tuple[str, ...]
    hold: str
    again: str
    closing: tuple[str, ...]
    count_back_intro: str
    count_back: tuple[str, ...]
    well_done: str
    ready_s: float
    hold_phrase_at_s: float
    count_gap_s: float
    pregnant_rest_s: float
    sequences: dict[int, RelaxSequence]


def _group(name: str, node: Table) -> MuscleGroup:
    node.only(("attend", "tense", "release"), ("areas", "tense_pregnant", "rest_pregnant"))
    areas = node.choices("areas", AREAS)
    if not areas:
        raise node.fail("areas", "is missing", f"list the body areas, from: {', '.join(AREAS)}")
    group = MuscleGroup(
        name=name,
        areas=areas,
        attend=node.text("attend"),
        tense=node.text("tense"),
        release=node.texts("release"),
        tense_pregnant=node.optional_text("tense_pregnant"),
        rest_pregnant=node.optional_text("rest_pregnant"),
    )
    if "tummy" in areas and group.tense_pregnant is None and group.rest_pregnant is None:
        raise node.fail(
            "tense_pregnant",
            "is missing for a group that tenses the tummy",
            "add tense_pregnant (without the tummy) or rest_pregnant (rest only)",
        )
    return group


def _sequence(key: str, node: Table, groups: dict[str, MuscleGroup], timing: Table) -> RelaxSequence:
    node.only(("groups",), ("tension_s", "release_s", "closing_quiet_s"))
    names = node.texts("groups")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise node.fail("groups", f"names group {name!r} twice", "list each group once in a sequence")
        if name not in groups:
            raise node.fail("groups", f"names unknown group {name!r}", f"add [groups.{name}] or fix the name")
        seen.add(name)
    if len(names) != int(key):
        raise node.fail("groups", f"holds {len(names)} groups, not {key}", f"list exactly {key} groups")
    return RelaxSequence(
        size=int(key),
        groups=tuple(groups[name] for name in names),
        tension_s=node.number(
            "tension_s", *TENSION_RANGE_S, default=timing.number("tension_s", *TENSION_RANGE_S)
        ),
        release_s=node.number(
            "release_s", *RELEASE_RANGE_S, default=timing.number("release_s", *RELEASE_RANGE_S)
        ),
        closing_quiet_s=node.number(
            "closing_quiet_s",
            *CLOSING_QUIET_RANGE_S,
            default=timing.number("closing_quiet_s", *CLOSING_QUIET_RANGE_S),
        ),
    )


def load_relaxation(path: Path | None = None) -> RelaxationScript:
    """Read and validate ``relaxation.toml`` (or ``path``); ConfigError names the file and key."""
    top = read_script(path or SCRIPTS_DIR / "relaxation.toml")
    top.only(("timing", "cues", "wording", "groups", "sequences"))
    timing = top.table("timing")
    timing.only(
        (
            "tension_s",
            "release_s",
            "closing_quiet_s",
            "ready_s",
            "hold_phrase_at_s",
            "count_gap_s",
            "pregnant_rest_s",
        )
    )
    cues = top.table("cues")
    cues.only(("tense", "release"))
    words = top.table("wording")
    words.only(
        (
            "intro",
            "position",
            "position_pregnant",
            "safety",
            "hold",
            "again",
            "closing",
            "count_back_intro",
            "count_back",
            "well_done",
        )
    )
    groups = {name: _group(name, node) for name, node in top.named_tables("groups").items()}
    sequences_node = top.table("sequences")
    sequences_node.only([str(size) for size in GROUP_COUNTS])
    sequences = {}
    for size in GROUP_COUNTS:
        sequences[size] = _sequence(str(size), sequences_node.table(str(size)), groups, timing)
    return RelaxationScript(
        cue_tense=cues.text("tense"),
        cue_release=cues.text("release"),
        intro=words.texts("intro"),
        position=words.texts("position"),
        position_pregnant=words.texts("position_pregnant"),
        safety=words.texts("safety"),
        hold=words.text("hold"),
        again=words.text("again"),
        closing=words.texts("closing"),
        count_back_intro=words.text("count_back_intro"),
        count_back=words.texts("count_back"),
        well_done=words.text("well_done"),
        ready_s=timing.number("ready_s", 0.0, 5.0),
        hold_phrase_at_s=timing.number("hold_phrase_at_s", 0.0, 3.0),
        count_gap_s=timing.number("count_gap_s", 1.0, 10.0),
        pregnant_rest_s=timing.number("pregnant_rest_s", 5.0, 40.0),
        sequences=sequences,
    )


@dataclass(frozen=True)
class _Windows:
    tension_s: float
    release_s: float


def _tension_steps(
    script: RelaxationScript, cue: Cue, window_s: float, estimate: SpeechEstimator
) -> list[Step]:
    cue_s = estimate(cue.text)
    with_phrase = window_s - cue_s - script.hold_phrase_at_s - estimate(script.hold)
    if with_phrase >= 0:
        return [
            cue,
            Pause(script.hold_phrase_at_s, paced=False, role="hold"),
            Say(script.hold, "hold"),
            Pause(with_phrase, paced=False, role="hold"),
        ]
    if window_s - cue_s < 0:
        raise ConfigError(
            f"the cue word {cue.text!r} takes longer than the {window_s:g} s tension",
            "shorten the cue word in relaxation.toml [cues]",
        )
    return [cue, Pause(window_s - cue_s, paced=False, role="hold")]


def _release_steps(group: MuscleGroup, cue: Cue, window_s: float, estimate: SpeechEstimator) -> list[Step]:
    steps: list[Step] = [cue]
    used = estimate(cue.text)
    for phrase in group.release:
        cost = RELEASE_PHRASE_GAP_S + estimate(phrase)
        if used + cost > window_s * RELEASE_SPEECH_SHARE:
            break
        steps += [Pause(RELEASE_PHRASE_GAP_S, paced=False, role="release"), Say(phrase, "release")]
        used += cost
    steps.append(Pause(window_s - used, paced=False, role="release"))
    return steps


def _group_steps(
    script: RelaxationScript,
    group: MuscleGroup,
    round_: int,
    options: ExerciseOptions,
    windows: _Windows,
    estimate: SpeechEstimator,
) -> list[Step]:
    if options.pregnant and group.rest_pregnant is not None:
        if round_ > 1:
            return []
        return [Say(group.rest_pregnant, "rest"), Pause(script.pregnant_rest_s, role="rest")]
    tense = group.tense_pregnant if options.pregnant and group.tense_pregnant else group.tense
    attend = group.attend if round_ == 1 else script.again
    steps: list[Step] = [Say(attend, "attend"), Say(tense, "tense"), Pause(script.ready_s, role="ready")]
    steps += _tension_steps(
        script, Cue("tense", group.name, script.cue_tense, round_), windows.tension_s, estimate
    )
    release_cue = Cue("release", group.name, script.cue_release, round_)
    steps += _release_steps(group, release_cue, windows.release_s, estimate)
    return steps


def relaxation_steps(
    script: RelaxationScript, common: CommonWording, options: ExerciseOptions, estimate: SpeechEstimator
) -> list[Step]:
    """The whole session for ``options.groups`` groups: opening, groups, quiet close, count back, getting up.

    Tension and release windows are ``tension_s`` and ``release_s`` scaled by ``options.pace`` and held
    within 5 to 7 s and 30 to 40 s; ``estimate`` gives the seconds each text takes to say.
    """
    sequence = script.sequences[options.groups]
    windows = _Windows(
        tension_s=clamp(sequence.tension_s * options.pace, *TENSION_RANGE_S),
        release_s=clamp(sequence.release_s * options.pace, *RELEASE_RANGE_S),
    )
    steps: list[Step] = [Say(common.warning, "warning")] if options.standalone else []
    steps.append(Say(common.stop_hint, "stop_hint"))
    steps += says(script.intro, "intro")
    steps += says(script.position_pregnant if options.pregnant else script.position, "position")
    steps += says(script.safety, "safety")
    for group in sequence.groups:
        for round_ in (1, 2) if options.twice else (1,):
            steps += _group_steps(script, group, round_, options, windows, estimate)
    steps += says(script.closing, "closing")
    steps.append(Pause(sequence.closing_quiet_s, role="quiet"))
    steps += [Say(script.count_back_intro, "count_back"), Pause(script.count_gap_s, role="count_back")]
    for line in script.count_back:
        steps += [Say(line, "count_back"), Pause(script.count_gap_s, role="count_back")]
    steps += says(common.get_up, "get_up")
    steps.append(Say(script.well_done, "closing"))
    return steps
