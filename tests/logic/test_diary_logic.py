"""Tier 1: the pain diary's pure logic: the weekly trend (whole-number averages, the 2-point or 30% change of
Ostelo 2008, no trend from fewer than 3 ratings, the worst day), the check-in schedule (2, 4, 6 and 12 weeks
after the first screening of an episode; once a day; not now; remind me tomorrow; quiet hours and the chosen
time), the weekly question, leg pain, the wording file, and the grammar of every diary turn."""

from datetime import date, time, timedelta

import pytest

from tests.logic.test_understanding_grammar import dictionary_words
from voicecare.dialogue.diary_talk import RATING_RANGE
from voicecare.dialogue.prompt import Option, Prompt
from voicecare.dialogue.session_flow import CHOICES, load_session_talk
from voicecare.diary.days import long_date, spoken_day
from voicecare.diary.entries import has_leg_pain, plan_entry
from voicecare.diary.schedule import (
    ScreeningDay,
    change_question_due,
    due_checkin,
    episode_start,
    home_offer,
    in_quiet_hours,
)
from voicecare.diary.trend import Change, compare, trend, week_summary, weekly_table, whole
from voicecare.diary.wording import CHECKIN_CHOICES, load_diary_wording
from voicecare.records import CHANGE_ANSWERS, CheckinOutcome, CheckinRecord, Rating, ScreeningRecord
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice, Number, Unclear
from voicecare.understanding.turn_understanding import TurnUnderstanding

MARCH_1 = date(2026, 3, 1)


def back(day: date, rating: int) -> Rating:
    return Rating(day, "back_pain", rating)


def week_of(end: date, ratings: list[int]) -> list[Rating]:
    """``ratings`` on the last ``len(ratings)`` days up to ``end``."""
    return [back(end - timedelta(days=len(ratings) - 1 - i), r) for i, r in enumerate(ratings)]


@pytest.mark.parametrize(
    ("before", "now", "change"),
    [
        (5, 5, Change.ABOUT_THE_SAME),
        (6, 5, Change.A_LITTLE_BETTER),  # 1 point, 17%
        (6, 4, Change.BETTER),  # 2 points
        (3, 2, Change.BETTER),  # 1 point but 33%
        (4, 3, Change.A_LITTLE_BETTER),  # 1 point, 25%
        (10, 8, Change.BETTER),
        (5, 6, Change.A_LITTLE_WORSE),
        (5, 7, Change.WORSE),
        (3, 4, Change.WORSE),  # 1 point, 33%
        (0, 1, Change.A_LITTLE_WORSE),  # no percentage of nothing
        (0, 2, Change.WORSE),
        (1, 0, Change.BETTER),  # 100%
    ],
)
def test_a_change_of_2_points_or_30_percent_is_better_or_worse_and_1_point_a_little(
    before: int, now: int, change: Change
) -> None:
    assert compare(before, now) is change


def test_averages_are_whole_numbers_rounded_half_up() -> None:
    assert [whole(x) for x in (4.49, 4.5, 4.51, 0.0, 9.5)] == [4, 5, 5, 0, 10]
    week = week_summary(week_of(MARCH_1, [4, 5]), MARCH_1)
    assert (week.count, week.average) == (2, 5)


def test_the_trend_compares_this_week_with_the_week_before_and_names_the_worst_day() -> None:
    today = date(2026, 3, 14)
    ratings = week_of(today - timedelta(days=7), [6, 6, 7, 6, 6, 6, 5]) + week_of(
        today, [4, 3, 4, 5, 4, 3, 4]
    )
    result = trend(ratings, today)
    assert (result.week_before.average, result.this_week.average) == (6, 4)
    assert result.change is Change.BETTER and result.points == -2
    assert result.this_week.worst == back(date(2026, 3, 11), 5)
    assert not result.offers_screening


def test_the_worst_day_of_a_tie_is_the_latest() -> None:
    week = week_summary(week_of(MARCH_1, [7, 2, 7]), MARCH_1)
    assert week.worst == back(MARCH_1, 7)


@pytest.mark.parametrize(("before_count", "now_count"), [(2, 7), (7, 2), (0, 3), (3, 0)])
def test_no_trend_from_fewer_than_3_ratings_in_either_week(before_count: int, now_count: int) -> None:
    today = date(2026, 3, 14)
    ratings = week_of(today - timedelta(days=7), [5] * before_count) + week_of(today, [8] * now_count)
    result = trend(ratings, today)
    assert result.change is None and result.points is None and not result.offers_screening


def test_pain_2_points_worse_offers_the_screening_and_1_point_does_not() -> None:
    today = date(2026, 3, 14)
    worse = week_of(today - timedelta(days=7), [3, 3, 3]) + week_of(today, [5, 5, 5])
    little = week_of(today - timedelta(days=7), [4, 4, 4]) + week_of(today, [5, 5, 5])
    assert trend(worse, today).offers_screening and trend(worse, today).change is Change.WORSE
    assert not trend(little, today).offers_screening


def test_leg_ratings_do_not_count_towards_the_back_trend() -> None:
    today = date(2026, 3, 14)
    legs = [Rating(today - timedelta(days=d), "leg_pain", 9) for d in range(14)]
    assert trend(legs, today).this_week.count == 0
    assert trend(legs, today, "leg_pain").this_week.average == 9


def test_the_weekly_table_runs_back_from_the_last_day_with_empty_weeks_kept() -> None:
    ratings = [back(MARCH_1, 5), back(date(2026, 3, 22), 3)]
    weeks = weekly_table(ratings, MARCH_1, date(2026, 3, 22))
    assert [(w.start, w.end, w.count, w.average) for w in weeks] == [
        (date(2026, 2, 23), MARCH_1, 1, 5),
        (date(2026, 3, 2), date(2026, 3, 8), 0, None),
        (date(2026, 3, 9), date(2026, 3, 15), 0, None),
        (date(2026, 3, 16), date(2026, 3, 22), 1, 3),
    ]


def checkin(week: int, on: date, outcome: CheckinOutcome, start: date = MARCH_1) -> CheckinRecord:
    return CheckinRecord(start, week, on, outcome)


def test_an_episode_begins_at_the_first_screening_and_anew_after_12_weeks() -> None:
    days = [ScreeningDay(MARCH_1), ScreeningDay(date(2026, 3, 20))]
    assert episode_start(days, date(2026, 4, 1)) == MARCH_1
    assert episode_start([], date(2026, 4, 1)) is None
    later = [*days, ScreeningDay(MARCH_1 + timedelta(weeks=12), checkin=True)]
    assert episode_start(later, date(2026, 6, 1)) == MARCH_1, (
        "the 12-week check-in's screening is no new episode"
    )
    new = [*days, ScreeningDay(MARCH_1 + timedelta(weeks=13))]
    assert episode_start(new, date(2026, 7, 1)) == MARCH_1 + timedelta(weeks=13)
    assert episode_start(new, MARCH_1 + timedelta(weeks=12)) == MARCH_1, (
        "a screening after today is not counted"
    )


@pytest.mark.parametrize(
    ("days_in", "week"),
    [
        (0, None),
        (13, None),
        (14, 2),
        (27, 2),
        (28, 4),
        (41, 4),
        (42, 6),
        (83, 6),
        (84, 12),
        (111, 12),
        (112, None),
    ],
)
def test_check_ins_fall_due_at_2_4_6_and_12_weeks_and_stay_due_until_the_next(
    days_in: int, week: int | None
) -> None:
    assert due_checkin(MARCH_1, MARCH_1 + timedelta(days=days_in), []) == week


def test_a_check_in_is_offered_once_a_day_and_not_now_or_done_closes_it() -> None:
    day = MARCH_1 + timedelta(days=14)
    assert due_checkin(MARCH_1, day, [checkin(2, day, "no_answer")]) is None, "once a day"
    assert due_checkin(MARCH_1, day + timedelta(days=1), [checkin(2, day, "no_answer")]) == 2
    assert due_checkin(MARCH_1, day + timedelta(days=1), [checkin(2, day, "tomorrow")]) == 2
    assert due_checkin(MARCH_1, day + timedelta(days=1), [checkin(2, day, "stopped")]) == 2
    assert due_checkin(MARCH_1, day + timedelta(days=5), [checkin(2, day, "not_now")]) is None
    assert due_checkin(MARCH_1, day + timedelta(days=5), [checkin(2, day, "done")]) is None
    four = MARCH_1 + timedelta(weeks=4)
    assert due_checkin(MARCH_1, four, [checkin(2, day, "not_now")]) == 4, "the next check-in is its own"
    assert due_checkin(MARCH_1, day, [checkin(2, day, "done", start=date(2025, 1, 1))]) == 2, (
        "another episode's"
    )


def test_a_missed_check_in_is_not_made_up_only_the_latest_is_offered() -> None:
    assert due_checkin(MARCH_1, MARCH_1 + timedelta(weeks=6, days=1), []) == 6


@pytest.mark.parametrize(
    ("now", "quiet"),
    [
        (time(21, 29), False),
        (time(21, 30), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_wrap_past_midnight(now: time, quiet: bool) -> None:
    assert in_quiet_hours(now, (time(21, 30), time(8, 0))) is quiet
    assert not in_quiet_hours(now, None)


def test_home_mode_offers_a_due_check_in_from_the_chosen_time_and_never_in_quiet_hours() -> None:
    day = MARCH_1 + timedelta(weeks=2)
    quiet = (time(21, 30), time(8, 0))
    assert home_offer(MARCH_1, day, time(17, 59), time(18, 0), quiet, []) is None
    assert home_offer(MARCH_1, day, time(18, 0), time(18, 0), quiet, []) == 2
    assert home_offer(MARCH_1, day, time(22, 0), time(18, 0), quiet, []) is None
    assert home_offer(MARCH_1, day, time(7, 0), time(6, 0), quiet, []) is None, (
        "the chosen time in quiet hours"
    )
    assert home_offer(MARCH_1, day, time(18, 0), time(18, 0), quiet, [checkin(2, day, "tomorrow")]) is None


def test_the_weekly_question_is_asked_once_a_week_from_a_week_after_starting() -> None:
    assert not change_question_due(None, None, MARCH_1)
    assert not change_question_due(MARCH_1, None, MARCH_1 + timedelta(days=6))
    assert change_question_due(MARCH_1, None, MARCH_1 + timedelta(days=7))
    assert not change_question_due(MARCH_1, MARCH_1 + timedelta(days=8), MARCH_1 + timedelta(days=14))
    assert change_question_due(MARCH_1, MARCH_1 + timedelta(days=8), MARCH_1 + timedelta(days=15))


def screening_with(
    answers: list[tuple[str, str | None, str]], on: date = MARCH_1, session_id: int = 1
) -> ScreeningRecord:
    return ScreeningRecord(session_id, on, "complete", "soon", (), (), tuple(answers))


def test_leg_pain_is_asked_after_a_yes_to_a_leg_finding_at_the_latest_screening_that_asked() -> None:
    yes = screening_with([("one_leg_sciatica.down_one_leg", "one_leg_sciatica", "yes")])
    no_later = screening_with(
        [("one_leg_sciatica.down_one_leg", "one_leg_sciatica", "no")], date(2026, 4, 1), 2
    )
    unsure = screening_with([("both_legs.both", "both_legs", "unsure")])
    assert has_leg_pain([yes], [])
    assert not has_leg_pain([yes, no_later], [])
    assert not has_leg_pain([unsure], [])
    assert has_leg_pain([], [Rating(MARCH_1, "leg_pain", 3)]), "already rating the leg"
    plan = plan_entry([yes], [back(MARCH_1, 4)], [], MARCH_1 + timedelta(days=7))
    assert plan.leg_pain and plan.change_question and plan.earlier == (back(MARCH_1, 4),)


def test_days_are_written_and_said_in_words() -> None:
    assert long_date(date(2026, 3, 3)) == "3 March 2026"
    today = date(2026, 3, 14)
    assert spoken_day(today, today) == "today"
    assert spoken_day(date(2026, 3, 13), today) == "yesterday"
    assert spoken_day(date(2026, 3, 10), today) == "Tuesday 10 March"
    assert spoken_day(date(2025, 12, 30), today) == "Tuesday 30 December 2025"


def test_the_wording_file_holds_the_licence_free_questions_word_for_word() -> None:
    wording = load_diary_wording()
    assert wording.line("entry.back_question") == (
        "On a scale from 0 to 10, where 0 is no pain and 10 is the worst pain you can imagine, how bad has "
        "your back pain been today, on average?"
    )
    assert wording.line("entry.change_question") == (
        "Compared with when you started, is your back pain much better, a little better, about the same, a "
        "little worse, or much worse?"
    )
    text = " ".join(wording.lines.values()).lower()
    for licensed in ("oswestry", "roland", "promis"):
        assert licensed not in text


def understood(prompt: Prompt, text: str) -> object:
    return TurnUnderstanding().parse(text, prompt)


def diary_prompts() -> list[Prompt]:
    wording = load_diary_wording()
    change = tuple(Option(a, wording.change_phrases[a]) for a in CHANGE_ANSWERS)
    offer = tuple(Option(c, wording.checkin_phrases[c]) for c in CHECKIN_CHOICES)
    return [
        Prompt("rating", "", kind=AnswerKind.NUMBER, number_range=RATING_RANGE),
        Prompt("change", "", kind=AnswerKind.CHOICE, options=change),
        Prompt("offer", "", kind=AnswerKind.CHOICE, options=offer),
        Prompt("menu", "", kind=AnswerKind.CHOICE, options=load_session_talk().options),
    ]


@pytest.mark.parametrize("prompt", diary_prompts(), ids=lambda p: p.id)
def test_every_diary_grammar_word_is_in_the_dictionary_and_every_phrase_round_trips(prompt: Prompt) -> None:
    words = dictionary_words()
    understanding = TurnUnderstanding()
    for phrase in understanding.phrases(prompt):
        missing = [word for word in phrase.split() if word not in words]
        assert not missing, f"{phrase!r}: {missing} not in the pocketsphinx dictionary"
    for option in prompt.options:
        for phrase in option.phrases:
            assert understood(prompt, phrase) == Choice(option.id), phrase


@pytest.mark.parametrize(
    "said", ["eleven", "minus one", "-1", "11", "negative two", "a hundred", "four point five"]
)
def test_a_rating_out_of_range_is_not_understood(said: str) -> None:
    prompt = Prompt("rating", "", kind=AnswerKind.NUMBER, number_range=RATING_RANGE)
    assert understood(prompt, said) == Unclear()


@pytest.mark.parametrize(
    ("said", "value"), [("zero", 0), ("0", 0), ("ten", 10), ("seven", 7), ("about four", 4)]
)
def test_a_rating_from_0_to_10_is_a_number(said: str, value: int) -> None:
    prompt = Prompt("rating", "", kind=AnswerKind.NUMBER, number_range=RATING_RANGE)
    assert understood(prompt, said) == Number(value)
    assert said in TurnUnderstanding().phrases(prompt) or not said.isalpha() or " " in said


def test_the_menu_offers_the_diary_choices() -> None:
    assert {"diary", "trend", "report", "forget"} <= set(CHOICES)
    menu = load_session_talk()
    assert "log my pain" in menu.lines["menu"] and "how has my pain been" in menu.lines["menu"]
    assert "forget everything about me" in menu.lines["menu_help"]
