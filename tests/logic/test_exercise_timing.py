"""Timing of every exercise script (docs/clinical.md): tension and release windows, totals, breathing pace,
cue events. Pure logic with the default 160 wpm speech estimator unless a test says otherwise."""

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicecare.dialogue.events import cue_events, to_json
from voicecare.exercises import Cue, ExerciseOptions, Pause, Say, Timeline, build_timeline, words_estimator
from voicecare.exercises.relaxation import load_relaxation
from voicecare.exercises.timeline import TimedStep

EPS = 1e-6
"""Seconds of floating-point slack on window lengths summed from many steps."""
TOTAL_MINUTES = {4: (4.0, 7.0), 7: (8.0, 12.0), 16: (15.0, 20.0)}
VARIANTS = [
    pytest.param(groups, twice, pregnant, id=f"{groups}g-twice{int(twice)}-pregnant{int(pregnant)}")
    for groups in (16, 7, 4)
    for twice in (False, True)
    for pregnant in (False, True)
]


def tension_windows(timeline: Timeline) -> list[tuple[str, float]]:
    """(group, seconds from the start of "now" to the start of the matching "relax")."""
    cues = timeline.cues
    result = []
    for index, timed in enumerate(cues):
        if timed.cue.cue == "tense":
            following = cues[index + 1]
            assert following.cue.cue == "release" and following.cue.group == timed.cue.group
            result.append((timed.cue.group, following.t - timed.t))
    return result


def is_release_say(step: object) -> bool:
    """True for a release phrase (said inside the release window)."""
    return isinstance(step, Say) and step.role == "release"


def release_windows(timeline: Timeline) -> list[tuple[str, float]]:
    """(group, seconds from the start of "relax" to the start of the next step that is not release)."""
    steps = timeline.steps
    result = []
    for index, timed in enumerate(steps):
        if isinstance(timed.step, Cue) and timed.step.cue == "release":
            later = steps[index + 1 :]
            end = next(s for s in later if not isinstance(s.step, Pause) and not is_release_say(s.step))
            result.append((timed.step.group, end.start_s - timed.start_s))
    return result


@pytest.mark.parametrize(("groups", "twice", "pregnant"), VARIANTS)
def test_every_tension_lasts_5_to_7_seconds(groups: int, twice: bool, pregnant: bool) -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=groups, twice=twice, pregnant=pregnant))
    windows = tension_windows(timeline)
    assert windows
    for group, seconds in windows:
        assert 5.0 - EPS <= seconds <= 7.0 + EPS, (group, seconds)


@pytest.mark.parametrize(("groups", "twice", "pregnant"), VARIANTS)
def test_every_release_lasts_30_to_40_seconds(groups: int, twice: bool, pregnant: bool) -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=groups, twice=twice, pregnant=pregnant))
    windows = release_windows(timeline)
    assert len(windows) == len(tension_windows(timeline))
    for group, seconds in windows:
        assert 30.0 - EPS <= seconds <= 40.0 + EPS, (group, seconds)
        # the release is about five times the tension
    tension = dict(tension_windows(timeline))
    for group, seconds in windows:
        assert 4.0 <= seconds / tension[group] <= 8.0


@pytest.mark.parametrize("groups", [16, 7, 4])
def test_each_group_of_the_sequence_is_cued_once_with_a_unique_name(groups: int) -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=groups))
    names = [group.name for group in load_relaxation().sequences[groups].groups]
    assert len(set(names)) == groups
    assert [c.cue.group for c in timeline.cues if c.cue.cue == "tense"] == names
    assert [c.cue.group for c in timeline.cues if c.cue.cue == "release"] == names
    assert [c.cue.text for c in timeline.cues][:2] == ["Now.", "Relax."]


@pytest.mark.parametrize("groups", [16, 7, 4])
def test_twice_cues_each_group_in_two_rounds(groups: int) -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=groups, twice=True))
    tense = [(c.cue.group, c.cue.round) for c in timeline.cues if c.cue.cue == "tense"]
    names = [group.name for group in load_relaxation().sequences[groups].groups]
    assert tense == [(name, r) for name in names for r in (1, 2)]


@pytest.mark.parametrize("groups", [16, 7, 4])
def test_totals_are_within_the_lengths_of_exercises_md(groups: int) -> None:
    low, high = TOTAL_MINUTES[groups]
    for pregnant in (False, True):
        for standalone in (False, True):
            options = ExerciseOptions(groups=groups, pregnant=pregnant, standalone=standalone)
            minutes = build_timeline("relaxation", options).total_s / 60
            assert low <= minutes <= high, (groups, pregnant, standalone, minutes)


def test_sequences_get_longer_with_more_groups_and_twice_roughly_doubles_the_group_time() -> None:
    totals = {g: build_timeline("relaxation", ExerciseOptions(groups=g)).total_s for g in (4, 7, 16)}
    assert totals[4] < totals[7] < totals[16]
    for groups in (4, 7, 16):
        once = build_timeline("relaxation", ExerciseOptions(groups=groups))
        twice = build_timeline("relaxation", ExerciseOptions(groups=groups, twice=True))
        first, last = once.cues[0].t, once.cues[-1].t
        group_time_once = last - first
        group_time_twice = twice.cues[-1].t - twice.cues[0].t
        assert 1.8 <= group_time_twice / group_time_once <= 2.4


@pytest.mark.parametrize("groups", [16, 7, 4])
def test_session_closes_with_about_two_minutes_of_quiet_then_count_back_then_getting_up(groups: int) -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=groups))
    last_cue = timeline.cues[-1].t
    after = [s for s in timeline.steps if s.start_s > last_cue]
    quiet = [s for s in after if isinstance(s.step, Pause) and s.step.role == "quiet"]
    assert len(quiet) == 1
    assert 90.0 <= quiet[0].duration_s <= 150.0
    roles = [s.step.role for s in after if isinstance(s.step, Say)]
    assert roles.index("closing") < roles.index("count_back") < roles.index("get_up")
    count_start = next(s.start_s for s in after if isinstance(s.step, Say) and s.step.role == "count_back")
    assert count_start >= quiet[0].end_s


@pytest.mark.parametrize("pace", [0.5, 0.8, 1.25, 2.0])
def test_pace_scales_silences_but_keeps_tension_and_release_in_range(pace: float) -> None:
    normal = build_timeline("relaxation", ExerciseOptions(groups=7))
    paced = build_timeline("relaxation", ExerciseOptions(groups=7, pace=pace))
    assert (paced.total_s > normal.total_s) == (pace > 1.0)
    assert all(5.0 - EPS <= s <= 7.0 + EPS for _, s in tension_windows(paced))
    assert all(30.0 - EPS <= s <= 40.0 + EPS for _, s in release_windows(paced))


@pytest.mark.parametrize("rate_wpm", [110.0, 160.0, 220.0])
def test_windows_hold_whatever_the_speech_rate(rate_wpm: float) -> None:
    estimate = words_estimator(rate_wpm)
    timeline = build_timeline("relaxation", ExerciseOptions(groups=16), estimate)
    assert all(abs(s - 6.0) < 1e-9 for _, s in tension_windows(timeline))
    assert all(abs(s - 35.0) < 1e-9 for _, s in release_windows(timeline))


def test_timed_steps_follow_each_other_without_gaps() -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=4))
    for before, after in zip(timeline.steps, timeline.steps[1:], strict=False):
        assert after.start_s == pytest.approx(before.end_s)
        assert before.duration_s >= 0
    assert timeline.total_s == pytest.approx(timeline.steps[-1].end_s)
    assert not timeline.open_ended


def test_cue_events_are_the_json_of_the_issue() -> None:
    timeline = build_timeline("relaxation", ExerciseOptions(groups=4))
    events = cue_events(timeline.cues, offset_s=12.5)
    assert len(events) == len(timeline.cues) == 8
    first = json.loads(to_json(events[0]))
    expected_t = round(12.5 + timeline.cues[0].t, 3)
    assert first == {"type": "cue", "cue": "tense", "group": "both_arms", "t": expected_t}
    assert list(first) == ["type", "cue", "group", "t"]
    times = [event.t for event in events]
    assert times == sorted(times)
    assert {event.cue for event in events} == {"tense", "release"}


# ---------------------------------------------------------------- breathing


def breaths(timeline: Timeline) -> list[tuple[float, float, str]]:
    """(inhale time, exhale time, group) for each breath."""
    cues = timeline.cues
    pairs = []
    for index in range(0, len(cues), 2):
        inhale, exhale = cues[index], cues[index + 1]
        assert (inhale.cue.cue, exhale.cue.cue) == ("inhale", "exhale")
        assert inhale.cue.group == exhale.cue.group
        pairs.append((inhale.t, exhale.t, inhale.cue.group))
    return pairs


def paced_part(timeline: Timeline) -> list[TimedStep]:
    """The paced breathing: from the first "in" to the first closing sentence."""
    steps = list(timeline.steps)
    first = next(i for i, s in enumerate(steps) if isinstance(s.step, Cue))
    close = next(i for i, s in enumerate(steps) if isinstance(s.step, Say) and s.step.role == "closing")
    return steps[first:close]


def longest_breath_s(timeline: Timeline) -> float:
    """The longest time from one "in" to the next (a reminder before a breath included)."""
    inhales = [t for t, _, _ in breaths(timeline)]
    return max(later - earlier for earlier, later in pairwise(inhales))


@pytest.mark.parametrize("minutes", [1, 2, 5])
def test_the_paced_breathing_itself_lasts_the_chosen_minutes(minutes: int) -> None:
    for lung_or_heart in (False, True):
        for pregnant in (False, True):
            options = ExerciseOptions(minutes=minutes, lung_or_heart=lung_or_heart, pregnant=pregnant)
            timeline = build_timeline("breathing", options)
            paced_s = sum(step.duration_s for step in paced_part(timeline))
            assert abs(paced_s - minutes * 60) <= longest_breath_s(timeline), (options, paced_s)


@pytest.mark.parametrize("minutes", range(1, 21))
def test_the_opening_and_close_come_on_top_of_the_chosen_minutes(minutes: int) -> None:
    timeline = build_timeline("breathing", ExerciseOptions(minutes=minutes))
    paced = paced_part(timeline)
    assert len(breaths(timeline)) >= 3
    assert paced[0].start_s > 30.0
    assert timeline.total_s - paced[-1].end_s > 5.0
    assert abs(paced[-1].end_s - paced[0].start_s - minutes * 60) <= longest_breath_s(timeline)


def test_breathing_defaults_to_between_five_and_ten_minutes() -> None:
    timeline = build_timeline("breathing")
    paced = paced_part(timeline)
    assert 300 - longest_breath_s(timeline) <= paced[-1].end_s - paced[0].start_s <= 600
    assert timeline.total_s <= 600


@pytest.mark.parametrize(("lung_or_heart", "pace"), [(False, 1.0), (True, 1.0), (False, 1.25), (True, 0.8)])
def test_breathing_counts_in_for_3_or_4_and_out_for_4_to_6(lung_or_heart: bool, pace: float) -> None:
    timeline = build_timeline("breathing", ExerciseOptions(minutes=5, lung_or_heart=lung_or_heart, pace=pace))
    pairs = breaths(timeline)
    assert len({group for _, _, group in pairs}) == len(pairs)
    count_s = min(1.5, max(0.8, pace))
    for index, (inhale, exhale, group) in enumerate(pairs):
        assert 3 <= round((exhale - inhale) / count_s, 6) <= 4, group
        if index + 1 < len(pairs):
            next_inhale = pairs[index + 1][0]
            spoken_between = [s for t, s in timeline.says() if exhale < t < next_inhale and s.role != "count"]
            if not spoken_between:
                assert 4 <= round((next_inhale - exhale) / count_s, 6) <= 6, group


def test_first_breaths_are_counted_aloud() -> None:
    timeline = build_timeline("breathing", ExerciseOptions(minutes=5))
    first_inhale, first_exhale, _ = breaths(timeline)[0]
    counts = [s.text for t, s in timeline.says("count") if first_inhale < t < first_exhale]
    assert counts == ["two", "three", "four"]


# ---------------------------------------------------------------- reframing


def test_reframing_is_open_ended_and_asks_in_order() -> None:
    timeline = build_timeline("reframing")
    assert timeline.open_ended
    assert timeline.cues == ()
    assert timeline.total_s > 0


def test_options_out_of_range_are_domain_errors() -> None:
    from voicecare.errors import ConfigError

    with pytest.raises(ConfigError, match="5 muscle groups"):
        ExerciseOptions(groups=5)
    for minutes in (0, 21):
        with pytest.raises(ConfigError, match="minutes"):
            ExerciseOptions(minutes=minutes)
    with pytest.raises(ConfigError, match="pace"):
        ExerciseOptions(pace=3.0)
    with pytest.raises(ConfigError):
        words_estimator(0)


def test_a_tension_window_too_short_for_its_cue_word_is_an_error() -> None:
    from voicecare.errors import ConfigError

    def very_slow(text: str) -> float:
        return 10.0 * len(text.split())

    with pytest.raises(ConfigError):
        build_timeline("relaxation", ExerciseOptions(groups=4), very_slow)


def test_speech_estimate_counts_words_at_the_rate() -> None:
    assert words_estimator(160)("one two three four") == pytest.approx(1.5)
    assert words_estimator(120)("Don't hold it.") == pytest.approx(1.5)
    say = Say("x")
    assert say.role == "say"


@settings(max_examples=40, deadline=None)
@given(
    groups=st.sampled_from([16, 7, 4]),
    twice=st.booleans(),
    pregnant=st.booleans(),
    pace=st.floats(min_value=0.5, max_value=2.0),
    rate_wpm=st.floats(min_value=100.0, max_value=260.0),
)
def test_windows_hold_for_any_pace_and_speech_rate(
    groups: int, twice: bool, pregnant: bool, pace: float, rate_wpm: float
) -> None:
    options = ExerciseOptions(groups=groups, twice=twice, pregnant=pregnant, pace=pace)
    timeline = build_timeline("relaxation", options, words_estimator(rate_wpm))
    assert all(5.0 - EPS <= s <= 7.0 + EPS for _, s in tension_windows(timeline))
    assert all(30.0 - EPS <= s <= 40.0 + EPS for _, s in release_windows(timeline))
    assert all(step.duration_s >= 0 for step in timeline.steps)


@settings(max_examples=40, deadline=None)
@given(
    minutes=st.integers(min_value=1, max_value=20),
    lung_or_heart=st.booleans(),
    pace=st.floats(min_value=0.5, max_value=2.0),
    rate_wpm=st.floats(min_value=100.0, max_value=260.0),
)
def test_breathing_fills_the_minutes_for_any_pace_and_speech_rate(
    minutes: int, lung_or_heart: bool, pace: float, rate_wpm: float
) -> None:
    options = ExerciseOptions(minutes=minutes, lung_or_heart=lung_or_heart, pace=pace)
    timeline = build_timeline("breathing", options, words_estimator(rate_wpm))
    paced_s = sum(step.duration_s for step in paced_part(timeline))
    assert abs(paced_s - minutes * 60) <= longest_breath_s(timeline)
    assert all(step.duration_s >= 0 for step in timeline.steps)
