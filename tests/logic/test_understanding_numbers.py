"""Number turns (age in years): words, hyphens, digits, hundreds, and fifteen never becoming fifty."""

import pytest

from tests.support.understanding_fixtures import vocabulary
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import UNCLEAR, UNSURE, Answer, Number
from voicecare.understanding.numbers import number_to_words, read_number
from voicecare.understanding.parse import parse


def age(text: str) -> Answer:
    return parse(text, AnswerKind.NUMBER, vocabulary=vocabulary())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zero", 0),
        ("one", 1),
        ("nine", 9),
        ("ten", 10),
        ("thirteen", 13),
        ("fifteen", 15),
        ("fifty", 50),
        ("sixteen", 16),
        ("sixty", 60),
        ("nineteen", 19),
        ("ninety", 90),
        ("fifty two", 52),
        ("fifty-two", 52),
        ("Fifty-Two.", 52),
        ("52", 52),
        ("7", 7),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("one hundred", 100),
        ("hundred", 100),
        ("a hundred and five", 105),
        ("one hundred and five", 105),
        ("a hundred five", 105),
        ("one hundred ten", 110),
        ("a hundred and ten", 110),
        ("110", 110),
        ("I'm fifty two", 52),
        ("I am 52 years old", 52),
        ("52yo", 52),
        ("52 yrs old", 52),
        ("about sixty", 60),
        ("um, forty one", 41),
        ("twenty one", 21),
        ("seventy eight years", 78),
        ("eighty, eighty", 80),
    ],
)
def test_ages(text: str, expected: int) -> None:
    assert age(text) == Number(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fifteen fifty", UNCLEAR),
        ("fifty or fifteen", UNCLEAR),
        ("five two", UNCLEAR),
        ("111", UNCLEAR),
        ("a hundred and twenty", UNCLEAR),
        ("two hundred", UNCLEAR),
        ("not fifty", UNCLEAR),
        ("no, fifty", UNCLEAR),
        ("yes", UNCLEAR),
        ("", UNCLEAR),
        ("old", UNCLEAR),
        ("not sure", UNSURE),
        ("I don't know", UNSURE),
        ("no idea", UNSURE),
        ("fifty, not sure", UNCLEAR),
    ],
)
def test_not_an_age(text: str, expected: Answer) -> None:
    assert age(text) == expected


def test_every_age_round_trips_through_words() -> None:
    numbers = vocabulary().numbers
    for value in range(0, 111):
        words = number_to_words(value, numbers)
        assert age(words) == Number(value), words
        assert read_number(words.split(), 0, numbers) == (value, len(words.split()))


def test_canonical_words() -> None:
    numbers = vocabulary().numbers
    assert number_to_words(15, numbers) == "fifteen"
    assert number_to_words(50, numbers) == "fifty"
    assert number_to_words(52, numbers) == "fifty two"
    assert number_to_words(105, numbers) == "one hundred and five"
    assert number_to_words(300, numbers) == "three hundred"
    with pytest.raises(ValueError, match="outside"):
        number_to_words(1000, numbers)


def test_reading_stops_after_one_number() -> None:
    numbers = vocabulary().numbers
    assert read_number(["fifteen", "fifty"], 0, numbers) == (15, 1)
    assert read_number(["fifty", "fifteen"], 0, numbers) == (50, 1)
    assert read_number(["weeks"], 0, numbers) is None
    assert read_number([], 0, numbers) is None
