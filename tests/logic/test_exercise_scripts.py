"""The exercise scripts' wording and structure against docs/clinical.md, 'Exercises', and validation of
the TOML files."""

import re
from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.exercises import Ask, Cue, ExerciseOptions, Pause, Say, SayBack, Step, build_timeline
from voicecare.exercises.breathing import load_breathing
from voicecare.exercises.reframing import STAGES, load_reframing
from voicecare.exercises.relaxation import load_relaxation
from voicecare.exercises.script import SCRIPTS_DIR, load_common
from voicecare.exercises.timeline import EXERCISES, ExerciseName, exercise_steps, words_estimator
from voicecare.understanding.answer_kind import AnswerKind

ALL_OPTIONS = [
    ExerciseOptions(groups=g, twice=t, pregnant=p, lung_or_heart=lh, minutes=5, standalone=s)
    for g in (16, 7, 4)
    for t in (False, True)
    for p in (False, True)
    for lh in (False, True)
    for s in (False, True)
]


def spoken(steps: list[Step]) -> list[str]:
    """Every text the steps may say, follow-ups and say-back wordings included."""
    texts = []
    for step in steps:
        if isinstance(step, Say | Cue):
            texts.append(step.text)
        elif isinstance(step, Ask):
            texts += [step.text, step.help, *spoken(list(step.on_yes))]
        elif isinstance(step, SayBack):
            texts += [step.text(8, 3), step.text(5, 5), step.text(3, 8)]
    return texts


def all_texts(exercise: ExerciseName) -> list[str]:
    estimate = words_estimator()
    return [text for options in ALL_OPTIONS for text in spoken(exercise_steps(exercise, options, estimate))]


def says(exercise: ExerciseName, options: ExerciseOptions, role: str) -> list[str]:
    return [say.text for _, say in build_timeline(exercise, options).says(role)]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_nothing_depends_on_seeing(exercise: ExerciseName) -> None:
    pattern = re.compile(r"\b(look at|watch|screen|display|shown|as you can see|picture)\b", re.IGNORECASE)
    for text in all_texts(exercise):
        assert not pattern.search(text), text


@pytest.mark.parametrize("exercise", EXERCISES)
def test_a_standalone_exercise_opens_with_the_warning_sentence(exercise: ExerciseName) -> None:
    warning = load_common().warning
    for needed in (
        "numbness around your bottom",
        "peeing",
        "weakness in your legs",
        "chest pain",
        "call for help",
    ):
        assert needed in warning
    assert warning.count(".") == 1, "one sentence"
    standalone = build_timeline(exercise, ExerciseOptions(standalone=True)).steps[0].step
    assert standalone == Say(warning, "warning")
    after_screening = build_timeline(exercise, ExerciseOptions(standalone=False))
    assert all(s.text != warning for _, s in after_screening.says())


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_exercise_says_how_to_stop(exercise: ExerciseName) -> None:
    stop = says(exercise, ExerciseOptions(), "stop_hint")
    assert len(stop) == 1 and "stop" in stop[0]


# ---------------------------------------------------------------- relaxation safety


def test_relaxation_never_asks_to_hold_the_breath_point_the_toes_or_arch_the_back() -> None:
    file_text = (SCRIPTS_DIR / "relaxation.toml").read_text()
    texts = all_texts("relaxation")
    assert texts
    for forbidden in ("hold your breath", "point your toes", "arch your back", "deep breath and hold"):
        assert forbidden not in file_text.lower().split("# never write", 1)[0]
        assert not any(forbidden in text.lower() for text in texts), forbidden


@pytest.mark.parametrize("groups", [16, 7, 4])
def test_breathe_normally_while_tensing(groups: int) -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=groups))
    breathe = re.compile(r"breath(e|ing) normally", re.IGNORECASE)
    assert any(breathe.search(text) for text in says("relaxation", ExerciseOptions(groups=groups), "safety"))
    steps = timeline.steps
    for index, timed in enumerate(steps):
        if isinstance(timed.step, Cue) and timed.step.cue == "tense":
            hold = []
            for later in steps[index + 1 :]:
                if isinstance(later.step, Cue):
                    break
                if isinstance(later.step, Say):
                    hold.append(later.step.text)
            assert any(breathe.search(text) for text in hold), timed.step.group


def test_feet_curl_the_toes_up_towards_the_knees() -> None:
    script = load_relaxation()
    feet = [g for s in script.sequences.values() for g in s.groups if "foot" in g.areas]
    assert len(feet) >= 5
    for group in feet:
        assert "up" in group.tense.split() or "up," in group.tense
        assert "towards your knee" in group.tense


def test_back_and_tummy_are_tensed_gently_or_skipped_and_legs_skip_pain_down_a_leg() -> None:
    script = load_relaxation()
    groups = {g.name: g for s in script.sequences.values() for g in s.groups}
    for group in groups.values():
        if {"back", "tummy"} & set(group.areas):
            for text in filter(None, (group.tense, group.tense_pregnant)):
                assert "gently" in text and "skip" in text.lower(), group.name
        if "leg" in group.areas:
            assert "skip" in group.tense.lower() and "pain down" in group.tense, group.name
    safety = " ".join(script.safety)
    for needed in ("never to the point of pain", "Skip any part that hurts", "pain down a leg", "cramp"):
        assert needed in safety


def test_position_offers_knees_bent_over_a_pillow() -> None:
    position = " ".join(says("relaxation", ExerciseOptions(), "position"))
    assert "knees bent over a pillow" in position
    assert "eyes close" in position


@pytest.mark.parametrize("groups", [16, 7, 4])
def test_pregnancy_lies_on_the_side_and_never_tenses_the_tummy(groups: int) -> None:
    pregnant = build_timeline("relaxation", ExerciseOptions(groups=groups, pregnant=True))
    position = " ".join(say.text for _, say in pregnant.says("position"))
    assert "on your side" in position and "not flat on your back" in position
    assert "maternity unit" in position and "tightenings" in position and "dizziness" in position
    tense_texts = [say.text for _, say in pregnant.says("tense")]
    assert not any("tighten your tummy" in text for text in tense_texts)
    usual = build_timeline("relaxation", ExerciseOptions(groups=groups))
    assert any("tighten your tummy" in say.text for _, say in usual.says("tense"))
    tummy_only = [g.name for g in load_relaxation().sequences[groups].groups if g.areas == ("tummy",)]
    pregnant_cued = {c.cue.group for c in pregnant.cues}
    assert not set(tummy_only) & pregnant_cued
    assert set(tummy_only) <= {c.cue.group for c in usual.cues}


def test_sixteen_groups_follow_the_order_of_exercises_md() -> None:
    names = [g.name for g in load_relaxation().sequences[16].groups]
    assert names == [
        "dominant_hand_forearm", "dominant_upper_arm", "nondominant_hand_forearm", "nondominant_upper_arm",
        "forehead", "upper_cheeks_nose", "lower_cheeks_jaw", "neck_throat", "chest_shoulders_upper_back",
        "abdomen", "dominant_thigh", "dominant_calf", "dominant_foot",
        "nondominant_thigh", "nondominant_calf", "nondominant_foot",
    ]  # fmt: skip
    assert [g.name for g in load_relaxation().sequences[7].groups] == [
        "dominant_arm", "nondominant_arm", "face", "neck", "chest_shoulders_upper_back_abdomen",
        "dominant_leg", "nondominant_leg",
    ]  # fmt: skip
    assert [g.name for g in load_relaxation().sequences[4].groups] == [
        "both_arms", "face_neck", "chest_shoulders_back_abdomen", "both_legs",
    ]  # fmt: skip


def test_count_back_to_alertness_then_how_to_get_up() -> None:
    count = says("relaxation", ExerciseOptions(), "count_back")
    numbers = [text.split(".")[0] for text in count[1:]]
    assert numbers == ["Five", "Four", "Three", "Two", "One"]
    get_up = " ".join(says("relaxation", ExerciseOptions(), "get_up"))
    positions = [get_up.find(words) for words in ("roll", "onto your side", "Push yourself up with your arms",
                                                  "Sit for a moment before you stand")]  # fmt: skip
    assert -1 not in positions and positions == sorted(positions)
    closing = " ".join(says("relaxation", ExerciseOptions(), "closing"))
    assert "quiet" in closing


# ---------------------------------------------------------------- breathing wording


def test_breathing_explains_the_diaphragm_and_the_pace() -> None:
    text = " ".join(say.text for _, say in build_timeline("breathing").says())
    for needed in ("on your back with your knees bent", "upper chest", "below your ribs", "through your nose",
                   "tummy rises", "chest stays still", "pursed lips"):  # fmt: skip
        assert needed in text, needed
    assert "in while I count to four, and out while I count to six" in text
    script = load_breathing()
    assert 3 <= script.pace.in_count <= 4 and 4 <= script.pace.out_count <= 6
    assert 3 <= script.pace_lung_or_heart.in_count <= 4 and 4 <= script.pace_lung_or_heart.out_count <= 6


@pytest.mark.parametrize("lung_or_heart", [False, True])
def test_breathing_dizziness_wording_always_and_lung_or_heart_wording_with_the_flag(
    lung_or_heart: bool,
) -> None:
    options = ExerciseOptions(lung_or_heart=lung_or_heart, standalone=False)
    text = " ".join(s.text for _, s in build_timeline("breathing", options).says())
    for needed in ("dizzy", "lips or fingers", "tingle", "normal breathing"):
        assert needed in text
    lung = ("sitting up and leaning slightly forward", "lying on your side with your head raised", "own pace",
            "never replaces your reliever inhaler", "wheeze", "more breathless", "chest pain",
            "emergency number")  # fmt: skip
    for needed in lung:
        assert (needed in text) == lung_or_heart, needed


@pytest.mark.parametrize("lung_or_heart", [False, True])
def test_breathing_in_pregnancy_is_not_flat_on_the_back(lung_or_heart: bool) -> None:
    options = ExerciseOptions(pregnant=True, lung_or_heart=lung_or_heart)
    text = " ".join(s.text for _, s in build_timeline("breathing", options).says())
    assert "lie on your back" not in text.lower()
    assert "on your side" in text and "maternity unit" in text


# ---------------------------------------------------------------- reframing


def test_reframing_has_the_seven_stages_in_order() -> None:
    script = load_reframing()
    assert tuple(stage.id for stage in script.stages) == STAGES
    asked = [timed.step.stage for timed in build_timeline("reframing").steps if isinstance(timed.step, Ask)]
    assert [stage for index, stage in enumerate(asked) if stage not in asked[:index]] == list(STAGES)


def test_reframing_ask_kinds() -> None:
    asks = {ask.id: ask for ask in load_reframing().asks()}
    for free in ("situation", "thought", "evidence_for", "evidence_against", "balanced_thought"):
        assert asks[free].kind is AnswerKind.FREE, free
        assert asks[free].quiet_s > 0
    for rating in ("feeling_before", "feeling_after"):
        assert (asks[rating].kind, asks[rating].low, asks[rating].high) == (AnswerKind.NUMBER, 0, 10)
        assert "zero to ten" in asks[rating].text
    patterns = ("catastrophising", "all_or_nothing", "fortune_telling", "helplessness", "mind_reading")
    for pattern in patterns:
        assert asks[pattern].kind is AnswerKind.YES_NO and asks[pattern].stage == "pattern"
        assert asks[pattern].on_yes
    assert "friend" in asks["evidence_against"].text
    assert "example" in asks["balanced_thought"].text and "example" in asks["balanced_thought"].help


def test_catastrophising_parts_are_met_by_attention_shift_evidence_and_an_action_plan() -> None:
    asks = {ask.id: ask for ask in load_reframing().asks()}
    rumination = [s for s in asks["rumination"].on_yes if isinstance(s, Ask)]
    assert rumination and rumination[0].kind is AnswerKind.FREE and "sounds" in rumination[0].text
    helpless = [s for s in asks["helplessness"].on_yes if isinstance(s, Ask)]
    assert helpless and helpless[0].kind is AnswerKind.FREE and "one small thing" in helpless[0].text
    assert asks["evidence_for"].weighs_evidence and asks["evidence_against"].weighs_evidence
    assert not any(ask.weighs_evidence for ask in asks.values() if ask.stage != "evidence")


def test_the_self_harm_hook_stops_the_exercise_before_any_evidence_is_weighed() -> None:
    script = load_reframing()
    assert script.self_harm.stops_exercise and script.self_harm.never_weigh_evidence
    steps = [timed.step for timed in build_timeline("reframing").steps]
    harm_index = steps.index(Say(script.self_harm.spoken, "self_harm"))
    thought_index = next(i for i, s in enumerate(steps) if isinstance(s, Ask) and s.id == "thought")
    evidence_index = next(i for i, s in enumerate(steps) if isinstance(s, Ask) and s.weighs_evidence)
    assert harm_index < thought_index < evidence_index
    assert "hurting yourself" in script.self_harm.spoken and "stop" in script.self_harm.spoken


def test_the_change_is_said_back() -> None:
    stage = load_reframing().stages[-1]
    assert stage.say_back is not None
    assert (stage.say_back.before_id, stage.say_back.after_id) == ("feeling_before", "feeling_after")
    assert "8" in stage.say_back.text(8, 5) and "down by 3" in stage.say_back.text(8, 5)
    assert "still at 6" in stage.say_back.text(6, 6)
    assert "up by 2" in stage.say_back.text(4, 6)


# ---------------------------------------------------------------- validation


def mutate(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (SCRIPTS_DIR / name).read_text()
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


RELAXATION_FAULTS = [
    ("tension_s = 6.0", "tension_s = 4.0", "timing.tension_s"),
    ("tension_s = 6.0", "tension_s = 7.5", "timing.tension_s"),
    ("release_s = 35.0", "release_s = 45.0", "timing.release_s"),
    ("release_s = 30.0\nclosing", "release_s = 29.0\nclosing", "sequences.4.release_s"),
    ('groups = ["both_arms", "face_neck"', 'groups = ["both_arms", "both_arms"', "sequences.4.groups"),
    ('groups = ["both_arms", "face_neck"', 'groups = ["both_arms", "no_such_group"', "sequences.4.groups"),
    ('groups = ["both_arms", "face_neck", ', 'groups = ["both_arms", ', "sequences.4.groups"),
    ('[groups.forehead]\nareas = ["face"]', '[groups.forehead]\ncolour = "red"\nareas = ["face"]', "colour"),
    ('attend = "Now your forehead."\n', "", "groups.forehead.attend"),
    ('attend = "Now your forehead."', 'attend = ""', "groups.forehead.attend"),
    ('rest_pregnant = "Now your tummy.', 'rest_pregnantx = "Now your tummy.', "rest_pregnantx"),
    ('hold = "Keep breathing normally."\n', "", "wording.hold"),
    ('areas = ["face"]', 'areas = ["wing"]', "groups.forehead.areas"),
]


@pytest.mark.parametrize(("old", "new", "key"), RELAXATION_FAULTS)
def test_relaxation_faults_name_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = mutate(tmp_path, "relaxation.toml", old, new)
    with pytest.raises(ConfigError) as caught:
        load_relaxation(path)
    assert str(path) in caught.value.one_line() and key in caught.value.one_line()


def test_a_tummy_group_without_a_pregnancy_variant_is_rejected(tmp_path: Path) -> None:
    path = mutate(tmp_path, "relaxation.toml", "rest_pregnant = ", "# rest_pregnant = ")
    with pytest.raises(ConfigError, match=r"groups\.abdomen\.tense_pregnant"):
        load_relaxation(path)


BREATHING_FAULTS = [
    ("in_count = 4", "in_count = 5", "pace.in_count"),
    ("out_count = 6", "out_count = 8", "pace.out_count"),
    ("out_count = 5", "out_count = 3", "pace_lung_or_heart.out_count"),
    ("{out_count}", "{breaths}", "wording.pace_intro"),
    ('dizziness = "', 'dizzyness = "', "dizzyness"),
]


@pytest.mark.parametrize(("old", "new", "key"), BREATHING_FAULTS)
def test_breathing_faults_name_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = mutate(tmp_path, "breathing.toml", old, new)
    with pytest.raises(ConfigError) as caught:
        load_breathing(path)
    assert str(path) in caught.value.one_line() and key in caught.value.one_line()


REFRAMING_FAULTS = [
    ("stops_exercise = true", "stops_exercise = false", "self_harm.stops_exercise"),
    ("never_weigh_evidence = true", "never_weigh_evidence = false", "self_harm.never_weigh_evidence"),
    ('id = "evidence"\n', 'id = "balanced_thought"\n', "stages"),
    ('kind = "number"', 'kind = "scale"', "kind"),
    ('id = "feeling_after"', 'id = "feeling_before"', "id"),
    ('before = "feeling_before"', 'before = "situation"', "say_back.before"),
    ("down by {change}", "down by {points}", "say_back"),
    ('text = "First, what is happening', 'txt = "First, what is happening', "txt"),
]


@pytest.mark.parametrize(("old", "new", "key"), REFRAMING_FAULTS)
def test_reframing_faults_name_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = mutate(tmp_path, "reframing.toml", old, new)
    with pytest.raises(ConfigError) as caught:
        load_reframing(path)
    assert str(path) in caught.value.one_line() and key in caught.value.one_line()


def test_missing_and_broken_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such exercise script"):
        load_relaxation(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[timing\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_breathing(broken)
    common = mutate(tmp_path, "common.toml", "get_up = [", "getup = [")
    with pytest.raises(ConfigError, match="getup"):
        load_common(common)


def test_every_defined_group_is_used_by_a_sequence() -> None:
    text = (SCRIPTS_DIR / "relaxation.toml").read_text()
    defined = set(re.findall(r"^\[groups\.(\w+)\]", text, re.MULTILINE))
    used = {g.name for s in load_relaxation().sequences.values() for g in s.groups}
    assert defined == used


def test_timed_pauses_are_never_negative() -> None:
    estimate = words_estimator()
    for exercise in EXERCISES:
        for options in ALL_OPTIONS[::5]:
            for step in exercise_steps(exercise, options, estimate):
                if isinstance(step, Pause):
                    assert step.seconds >= 0
