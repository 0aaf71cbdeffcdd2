"""Commands in every kind of turn, choice and free turns, and self-harm words beating everything."""

import pytest

from tests.support.understanding_fixtures import SELF_HARM_EXAMPLES, vocabulary
from voicecare.recognition.ports import Heard
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import (
    DONE,
    NO,
    SILENCE,
    UNCLEAR,
    UNSURE,
    YES,
    Choice,
    Command,
    CommandName,
    FreeText,
    SelfHarm,
)
from voicecare.understanding.parse import ChoiceOption, parse, understand
from voicecare.understanding.safety_spotting import self_harm_keyphrases, spot_self_harm

BOTHER = (
    ChoiceOption("not_at_all", ("not at all",)),
    ChoiceOption("slightly", ("slightly", "a little")),
    ChoiceOption("moderately", ("moderately",)),
    ChoiceOption("very_much", ("very much",)),
    ChoiceOption("extremely", ("extremely",)),
)


def reply(text: str, kind: AnswerKind, extra: tuple[CommandName, ...] = ()) -> object:
    return parse(
        text, kind, BOTHER if kind is AnswerKind.CHOICE else (), extra_commands=extra, vocabulary=vocabulary()
    )


GLOBAL_PHRASES = [
    (" ".join(p), c.name) for c in vocabulary().commands.values() if c.is_global for p in c.phrases
]


@pytest.mark.parametrize("kind", list(AnswerKind))
@pytest.mark.parametrize(("phrase", "name"), GLOBAL_PHRASES)
def test_global_commands_in_every_kind(kind: AnswerKind, phrase: str, name: CommandName) -> None:
    assert reply(phrase, kind) == Command(name)


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_typed_commands_are_forgiven(kind: AnswerKind) -> None:
    assert reply("Can you say that again, please?", kind) == Command(CommandName.REPEAT)
    assert reply("STOP!", kind) == Command(CommandName.STOP)
    assert reply("um, slow down please", kind) == Command(CommandName.SLOWER)
    assert reply("pardon?", kind) == Command(CommandName.REPEAT)
    assert reply("sorry, pardon?", kind) == Command(CommandName.REPEAT)


@pytest.mark.parametrize("kind", list(AnswerKind))
def test_skip_and_time_left_only_when_asked_for(kind: AnswerKind) -> None:
    extra = (CommandName.SKIP, CommandName.TIME_LEFT)
    assert reply("skip this", kind, extra) == Command(CommandName.SKIP)
    assert reply("how much longer", kind, extra) == Command(CommandName.TIME_LEFT)
    assert reply("skip this", kind) != Command(CommandName.SKIP)
    assert reply("how much longer", kind) != Command(CommandName.TIME_LEFT)


def test_a_command_is_the_whole_utterance() -> None:
    assert reply("yes stop", AnswerKind.YES_NO) == UNCLEAR
    assert reply("stop the pain", AnswerKind.YES_NO) == UNCLEAR
    assert reply("I want to stop thinking about the pain", AnswerKind.FREE) == FreeText(
        "I want to stop thinking about the pain"
    )
    assert reply("I want to stop", AnswerKind.FREE) == Command(CommandName.STOP)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("very much", Choice("very_much")),
        ("Very much.", Choice("very_much")),
        ("not at all", Choice("not_at_all")),
        ("a little", Choice("slightly")),
        ("um, extremely", Choice("extremely")),
        ("moderately I think", Choice("moderately")),
        ("slightly or moderately", UNCLEAR),
        ("not sure", UNSURE),
        ("yes", UNCLEAR),
        ("", UNCLEAR),
    ],
)
def test_choice(text: str, expected: object) -> None:
    assert reply(text, AnswerKind.CHOICE) == expected


def test_choice_needs_options() -> None:
    with pytest.raises(ValueError, match="options"):
        parse("yes", AnswerKind.CHOICE, vocabulary=vocabulary())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My boss shouted at me.", FreeText("My boss shouted at me.")),
        ("no", FreeText("no")),
        ("done", DONE),
        ("I'm done.", DONE),
        ("done, done", DONE),
        ("that's all", DONE),
        ("I'm done with this pain", FreeText("I'm done with this pain")),
        ("I don't know", UNSURE),
        ("", UNCLEAR),
    ],
)
def test_free(text: str, expected: object) -> None:
    assert reply(text, AnswerKind.FREE) == expected


@pytest.mark.parametrize("kind", list(AnswerKind))
@pytest.mark.parametrize("phrase", SELF_HARM_EXAMPLES)
def test_self_harm_beats_everything(kind: AnswerKind, phrase: str) -> None:
    for text in (
        phrase,
        f"yes, {phrase}",
        f"no. I want to {phrase}",
        f"stop, {phrase.upper()}!",
        f"fifty two weeks and I {phrase}",
        f"not sure, {phrase}",
    ):
        answer = reply(text, kind)
        assert isinstance(answer, SelfHarm), text
        assert spot_self_harm(text, vocabulary())


def test_self_harm_keyphrases_cover_the_clinical_examples() -> None:
    keyphrases = self_harm_keyphrases(vocabulary())
    for phrase in SELF_HARM_EXAMPLES:
        assert phrase in keyphrases


def test_no_self_harm_in_ordinary_answers() -> None:
    for text in ("yes", "no", "not sure", "fifty two", "six weeks", "stop", "go on", "I hurt my back"):
        assert not spot_self_harm(text, vocabulary())


def test_understand_heard() -> None:
    v = vocabulary()
    assert understand(Heard("", 0.0, timed_out=True), AnswerKind.YES_NO, vocabulary=v) == SILENCE
    assert understand(Heard("", 0.2, rejected=True), AnswerKind.YES_NO, vocabulary=v) == UNCLEAR
    assert understand(Heard("yes i do", 0.9), AnswerKind.YES_NO, vocabulary=v) == YES
    assert understand(Heard("not really", 0.9), AnswerKind.YES_NO, vocabulary=v) == NO


@pytest.mark.parametrize(
    "text",
    [
        "I can't go on like this",
        "Sometimes I think they'd be better off without me.",
        "I want to end it all",
        "I've been thinking about suicide",
        "self-harm",
        "There's no point in going on.",
        "I just want to die",
    ],
)
def test_everyday_wordings_of_self_harm_are_spotted(text: str) -> None:
    assert spot_self_harm(text, vocabulary())
    for kind in AnswerKind:
        assert isinstance(reply(text, kind), SelfHarm)


@pytest.mark.parametrize(
    "text", ["go on", "carry on", "end", "I want to stop", "my leg hurts", "it's the end"]
)
def test_commands_and_ordinary_words_are_not_self_harm(text: str) -> None:
    assert not spot_self_harm(text, vocabulary())
