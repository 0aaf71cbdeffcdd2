"""Grammars: every phrase in the pocketsphinx en-US dictionary, and every phrase understood (round trip)."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pocketsphinx
import pytest

from tests.support.understanding_fixtures import vocabulary
from voicecare.narration.player import COMMANDS, command_grammar
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import (
    NO,
    UNSURE,
    YES,
    Choice,
    Command,
    CommandName,
    Done,
    Duration,
    Number,
    SelfHarm,
)
from voicecare.understanding.grammar_phrases import grammar_phrases
from voicecare.understanding.parse import ChoiceOption, parse
from voicecare.understanding.safety_spotting import self_harm_keyphrases
from voicecare.understanding.turn_understanding import TurnUnderstanding

OPTIONS = (ChoiceOption("breathing", ("breathing", "the breathing")), ChoiceOption("relax", ("relaxation",)))


@cache
def dictionary_words() -> frozenset[str]:
    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    with path.open(encoding="utf-8") as file:
        return frozenset(line.split(" ", 1)[0] for line in file if line.strip())


def phrases_for(kind: AnswerKind) -> list[str]:
    return grammar_phrases(kind, OPTIONS if kind is AnswerKind.CHOICE else None, vocabulary=vocabulary())


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_every_grammar_word_is_in_the_dictionary(kind: AnswerKind) -> None:
    words = dictionary_words()
    missing = sorted({w for phrase in phrases_for(kind) for w in phrase.split() if w not in words})
    assert missing == []


def test_self_harm_keyphrases_are_in_the_dictionary() -> None:
    words = dictionary_words()
    assert [w for p in self_harm_keyphrases(vocabulary()) for w in p.split() if w not in words] == []


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_phrases_are_plain_lower_case_words_without_repeats(kind: AnswerKind) -> None:
    phrases = phrases_for(kind)
    assert len(phrases) == len(set(phrases))
    for phrase in phrases:
        assert phrase == " ".join(phrase.split())
        assert all(word.replace("'", "").isalpha() and word.islower() for word in phrase.split()), phrase


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_every_grammar_phrase_round_trips(kind: AnswerKind) -> None:
    allowed = {
        AnswerKind.YES_NO: (type(YES), type(NO), type(UNSURE), Command),
        AnswerKind.NUMBER: (Number, type(UNSURE), Command),
        AnswerKind.DURATION: (Duration, type(UNSURE), Command),
        AnswerKind.CHOICE: (Choice, type(UNSURE), Command),
        AnswerKind.FREE: (Done, type(UNSURE), Command),
    }[kind]
    options = OPTIONS if kind is AnswerKind.CHOICE else ()
    for phrase in phrases_for(kind):
        answer = parse(phrase, kind, options, vocabulary=vocabulary())
        assert isinstance(answer, allowed), f"{kind}: {phrase!r} -> {answer}"


def test_yes_no_grammar_keeps_each_phrase_meaning() -> None:
    v = vocabulary()
    grammar = phrases_for(AnswerKind.YES_NO)
    spoken = ((v.spoken_yes, YES), (v.spoken_no, NO), (v.spoken_unsure, UNSURE))
    for group, expected in spoken:
        for phrase in group:
            assert " ".join(phrase) in grammar
            assert parse(" ".join(phrase), AnswerKind.YES_NO, vocabulary=v) == expected
    assert len(grammar) == sum(len(group) for group, _ in spoken) + len(commands_spoken())


def commands_spoken() -> list[str]:
    return [" ".join(p) for c in vocabulary().commands.values() if c.is_global for p in c.spoken]


def without_nt(phrase: str) -> str:
    """``phrase`` without its negation: "i didn't" and "i did not" -> "i did"."""
    return " ".join(w.removesuffix("n't") for w in phrase.split() if w != "not")


PLAINEST_NOS = {"no", "not really", "no i don't", "no i do not"}
"""Kept in although doubts begin with them ("no idea", "not really sure", "no i don't know"); see
phrases.toml [grammar]. Each doubt one of them begins is in the grammar too (tested below)."""


def test_no_grammar_no_sounds_like_a_yes_or_starts_a_doubt() -> None:
    v = vocabulary()
    grammar = set(phrases_for(AnswerKind.YES_NO))
    yeses = {" ".join(p) for p in v.yes} & grammar
    doubts = {" ".join(p) for p in v.unsure} & grammar
    for no in ({" ".join(p) for p in v.no} & grammar) - PLAINEST_NOS:
        assert without_nt(no) not in yeses, f"{no!r} differs from a yes only by n't or not"
        assert not any(d.startswith(no + " ") for d in doubts), f"{no!r} starts a doubt"


def test_every_doubt_a_plain_no_begins_is_in_the_grammar() -> None:
    """The listener waits for the rest of "no i don't" only if "no i don't know" is a phrase it can hear."""
    grammar = set(phrases_for(AnswerKind.YES_NO))
    assert {"no i don't know", "no i do not know", "no idea", "not really sure"} <= grammar
    assert {"no i don't", "no i do not"} <= grammar


@pytest.mark.parametrize("no", ["i didn't", "i did not", "i'm not", "i don't", "it isn't"])
def test_nos_like_a_yes_are_typed_only(no: str) -> None:
    assert no not in phrases_for(AnswerKind.YES_NO)
    assert parse(no, AnswerKind.YES_NO, vocabulary=vocabulary()) == NO


def test_number_grammar_holds_every_age_once_per_form() -> None:
    phrases, v = phrases_for(AnswerKind.NUMBER), vocabulary()
    for value in range(111):
        matching = [p for p in phrases if parse(p, AnswerKind.NUMBER, vocabulary=v) == Number(value)]
        assert matching, value
    assert "fifty two" in phrases and "fifteen" in phrases and "fifty" in phrases
    assert "a hundred and five" in phrases and "one hundred and ten" in phrases


def test_duration_grammar_holds_the_common_answers() -> None:
    phrases = phrases_for(AnswerKind.DURATION)
    for phrase in (
        "less than a week",
        "a few days",
        "six weeks",
        "about three months",
        "a year",
        "two years",
        "since yesterday",
        "three weeks",
        "four weeks",
        "a month",
    ):
        assert phrase in phrases


def test_grammar_sizes_stay_small() -> None:
    for kind in AnswerKind:
        assert len(phrases_for(kind)) < 260, kind


def test_commands_are_in_every_grammar_and_extras_only_when_asked() -> None:
    for kind in AnswerKind:
        assert {"repeat", "stop", "help", "pause", "resume", "slower", "faster"} <= set(phrases_for(kind))
        assert "skip" not in phrases_for(kind)
    extra = grammar_phrases(AnswerKind.YES_NO, extra_commands={CommandName.SKIP}, vocabulary=vocabulary())
    assert "skip" in extra


def test_choice_grammar_needs_options() -> None:
    with pytest.raises(ValueError, match="options"):
        grammar_phrases(AnswerKind.CHOICE, vocabulary=vocabulary())


@dataclass(frozen=True)
class Turn:
    kind: AnswerKind
    options: tuple[ChoiceOption, ...]
    number_range: tuple[int, int] | None = None


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_every_question_grammar_holds_the_spoken_self_harm_phrases(kind: AnswerKind) -> None:
    """A recogniser can only hear words of self-harm that are in the turn's grammar; each means SelfHarm."""
    v = vocabulary()
    spoken = [" ".join(p) for p in v.spoken_self_harm]
    assert "i want to die" in spoken
    prompt = Turn(kind, OPTIONS if kind is AnswerKind.CHOICE else ())
    understanding = TurnUnderstanding(vocabulary=v)
    phrases = understanding.phrases(prompt)
    for phrase in spoken:
        assert phrase in phrases
        assert isinstance(understanding.parse(phrase, prompt), SelfHarm), phrase
    dictionary = dictionary_words()
    assert [w for p in spoken for w in p.split() if w not in dictionary] == []


def test_the_narration_grammar_holds_commands_signs_and_the_spoken_self_harm_phrases_only() -> None:
    """Under the narration the grammar is kept small (command_grammar): the short commands, warning signs
    and the few spoken self-harm phrases, and no answers."""
    understanding = SignAwareUnderstanding(TurnUnderstanding(), load_warning_signs())
    narration, _ = command_grammar(understanding)
    assert {" ".join(p) for p in vocabulary().spoken_self_harm} <= set(narration)
    for phrase in narration:
        answer = understanding.turns.parse(phrase, COMMANDS)
        assert isinstance(answer, Command | SelfHarm) or understanding.signs.spot(phrase) is not None, phrase
