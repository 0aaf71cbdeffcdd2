"""Duration turns (how long the pain has lasted), as weeks: units, hedges, fixed phrases, vague ones."""

import pytest

from tests.support.understanding_fixtures import vocabulary
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import UNCLEAR, UNSURE, Answer, Duration, Qualifier
from voicecare.understanding.parse import parse

MONTH = 52.1775 / 12


def how_long(text: str) -> Answer:
    return parse(text, AnswerKind.DURATION, vocabulary=vocabulary())


def weeks_of(text: str) -> float:
    answer = how_long(text)
    assert isinstance(answer, Duration), f"{text!r} gave {answer}"
    return answer.weeks


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("three weeks", 3.0),
        ("four weeks", 4.0),
        ("six weeks", 6.0),
        ("a week", 1.0),
        ("one week", 1.0),
        ("6 weeks", 6.0),
        ("two week", 2.0),
        ("a fortnight", 2.0),
        ("a couple of weeks", 2.0),
        ("seven days", 1.0),
        ("fourteen days", 2.0),
        ("ten days", 10 / 7),
        ("a day", 1 / 7),
        ("a month", MONTH),
        ("one month", MONTH),
        ("two months", 2 * MONTH),
        ("about three months", 3 * MONTH),
        ("a year", 52.1775),
        ("two years", 2 * 52.1775),
        ("a year and a half", 1.5 * 52.1775),
        ("two and a half years", 2.5 * 52.1775),
        ("a week and a half", 1.5),
        ("half a year", 52.1775 / 2),
        ("twenty six weeks", 26.0),
        ("fifty two weeks", 52.0),
        ("a hundred days", 100 / 7),
        ("about a month", MONTH),
        ("nearly four weeks", 4.0),
        ("um, about six weeks I think", 6.0),
        ("For about three months.", 3 * MONTH),
        ("Six-weeks", 6.0),
        ("6wks", 6.0),
        ("2 yrs", 2 * 52.1775),
        ("3 mths", 3 * MONTH),
    ],
)
def test_counted_durations(text: str, weeks: float) -> None:
    assert weeks_of(text) == pytest.approx(weeks, abs=0.01)


def test_the_four_week_boundary() -> None:
    assert weeks_of("three weeks") < 4
    assert weeks_of("four weeks") == 4.0
    assert weeks_of("a month") == pytest.approx(4.35, abs=0.01)
    assert weeks_of("a month") >= 4
    assert weeks_of("less than a week") < 1
    assert weeks_of("about three months") == pytest.approx(13.04, abs=0.01)


@pytest.mark.parametrize(
    ("text", "qualifier", "stated"),
    [
        ("less than a week", Qualifier.LESS_THAN, 1.0),
        ("under two weeks", Qualifier.LESS_THAN, 2.0),
        ("more than a month", Qualifier.MORE_THAN, MONTH),
        ("over a year", Qualifier.MORE_THAN, 52.1775),
        ("at least six weeks", Qualifier.MORE_THAN, 6.0),
        ("about three months", Qualifier.ABOUT, 3 * MONTH),
        ("six weeks", Qualifier.EXACT, 6.0),
    ],
)
def test_hedges_are_kept(text: str, qualifier: Qualifier, stated: float) -> None:
    answer = how_long(text)
    assert isinstance(answer, Duration)
    assert answer.qualifier is qualifier
    assert answer.stated_weeks == pytest.approx(stated, abs=0.01)
    if qualifier is Qualifier.LESS_THAN:
        assert answer.weeks < stated
    else:
        assert answer.weeks == pytest.approx(stated, abs=0.01)


@pytest.mark.parametrize(
    ("text", "at_most"),
    [
        ("since yesterday", 0.2),
        ("a few days", 0.75),
        ("a couple of days", 0.5),
        ("today", 0.2),
        ("since this morning", 0.2),
        ("less than a week", 0.99),
    ],
)
def test_short_spells_are_under_a_week(text: str, at_most: float) -> None:
    assert 0 < weeks_of(text) <= at_most


@pytest.mark.parametrize("text", ["for years", "years", "for months", "all my life"])
def test_long_spells_are_over_the_threshold(text: str) -> None:
    assert weeks_of(text) >= 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("six", UNCLEAR),  # no unit: asked again rather than guessing weeks or months
        ("52", UNCLEAR),
        ("a few weeks", UNCLEAR),  # straddles four weeks
        ("several weeks", UNCLEAR),
        ("a while", UNCLEAR),
        ("ages", UNCLEAR),
        ("weeks", UNCLEAR),
        ("six weeks or two months", UNCLEAR),
        ("six weeks, no, two months", UNCLEAR),
        ("not six weeks", UNCLEAR),
        ("yes", UNCLEAR),
        ("", UNCLEAR),
        ("not sure", UNSURE),
        ("I don't know", UNSURE),
        ("no idea", UNSURE),
        ("I can't remember", UNSURE),
    ],
)
def test_not_a_duration(text: str, expected: Answer) -> None:
    assert how_long(text) == expected
