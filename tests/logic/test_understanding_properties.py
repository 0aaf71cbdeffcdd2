"""Properties over every phrasing: a mix of yes and no is never a no, doubt is never a no, nothing crashes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.understanding_fixtures import vocabulary
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import NO, UNCLEAR, UNSURE, YES, Number
from voicecare.understanding.parse import ChoiceOption, parse

V = vocabulary()
YES_PHRASES = st.sampled_from([" ".join(p) for p in V.yes])
NO_PHRASES = st.sampled_from([" ".join(p) for p in V.no])
UNSURE_PHRASES = st.sampled_from([" ".join(p) for p in V.unsure])
FILLERS = st.sampled_from(["", "um ", "uh, ", "well, ", "I think ", "okay "])
BREAKS = st.sampled_from([", ", "... ", ". ", " - ", "; ", "! ", " \u2014 ", "? "])
OPTIONS = (ChoiceOption("a", ("first",)), ChoiceOption("b", ("second",)))


def yes_no(text: str) -> object:
    return parse(text, AnswerKind.YES_NO, vocabulary=V)


@settings(max_examples=300)
@given(YES_PHRASES, NO_PHRASES, BREAKS, st.booleans())
def test_yes_and_no_together_are_unclear(yes: str, no: str, gap: str, yes_first: bool) -> None:
    text = f"{yes}{gap}{no}" if yes_first else f"{no}{gap}{yes}"
    assert yes_no(text) == UNCLEAR


@settings(max_examples=300)
@given(NO_PHRASES, UNSURE_PHRASES, BREAKS, st.booleans())
def test_no_with_doubt_is_unsure(no: str, unsure: str, gap: str, no_first: bool) -> None:
    text = f"{no}{gap}{unsure}" if no_first else f"{unsure}{gap}{no}"
    assert yes_no(text) == UNSURE


@settings(max_examples=200)
@given(YES_PHRASES, FILLERS, st.sampled_from(["", ".", "!", " please", ", thanks"]))
def test_yes_survives_fillers_and_punctuation(yes: str, before: str, after: str) -> None:
    assert yes_no(f"{before}{yes.capitalize()}{after}") == YES


@settings(max_examples=200)
@given(NO_PHRASES, FILLERS, st.sampled_from(["", ".", "!", ", thanks"]))
def test_no_survives_fillers_and_punctuation(no: str, before: str, after: str) -> None:
    assert yes_no(f"{before}{no.upper()}{after}") == NO


@settings(max_examples=200)
@given(st.integers(0, 110), FILLERS, st.sampled_from(["", " years old", " years", "."]))
def test_digits_are_ages(value: int, before: str, after: str) -> None:
    assert parse(f"{before}{value}{after}", AnswerKind.NUMBER, vocabulary=V) == Number(value)


ANSWERS_OF_EVERY_TURN = {"unsure", "unclear", "command", "self_harm"}
ANSWERS_OF = {
    AnswerKind.YES_NO: {"yes", "no"},
    AnswerKind.NUMBER: {"number"},
    AnswerKind.DURATION: {"duration"},
    AnswerKind.CHOICE: {"choice"},
    AnswerKind.FREE: {"free_text", "done"},
}
"""The answer labels each kind of turn may give besides those every turn may give."""


@settings(max_examples=300)
@given(st.text(max_size=60), st.sampled_from(AnswerKind))
def test_any_text_gives_an_answer_that_the_turn_accepts(text: str, kind: AnswerKind) -> None:
    answer = parse(text, kind, OPTIONS if kind is AnswerKind.CHOICE else (), vocabulary=V)
    assert answer.label in ANSWERS_OF[kind] | ANSWERS_OF_EVERY_TURN, (text, answer)
    if isinstance(answer, Number):
        assert 0 <= answer.value <= V.numbers.age_max


@settings(max_examples=300)
@given(st.lists(st.sampled_from(sorted({w for p in V.yes + V.no + V.unsure for w in p})), max_size=6))
def test_word_salad_is_never_no_unless_a_no_phrase_is_there(words: list[str]) -> None:
    text = " ".join(words)
    if yes_no(text) == NO:
        assert any(" ".join(p) in text for p in V.no)


def test_number_range() -> None:
    assert parse("seven", AnswerKind.NUMBER, number_range=(0, 10), vocabulary=V) == Number(7)
    assert parse("eleven", AnswerKind.NUMBER, number_range=(0, 10), vocabulary=V) == UNCLEAR
    with pytest.raises(ValueError, match="number range"):
        parse("seven", AnswerKind.NUMBER, number_range=(10, 0), vocabulary=V)
