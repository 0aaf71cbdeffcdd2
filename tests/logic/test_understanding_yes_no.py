"""Yes/no turns: every phrasing in phrases.toml, typed forgiveness, and the answers that must not be a no."""

import pytest

from tests.support.understanding_fixtures import vocabulary
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import NO, UNCLEAR, UNSURE, YES, Answer
from voicecare.understanding.parse import parse


def yes_no(text: str) -> Answer:
    return parse(text, AnswerKind.YES_NO, vocabulary=vocabulary())


@pytest.mark.parametrize("phrase", [" ".join(p) for p in vocabulary().yes])
def test_every_yes_phrase_is_yes(phrase: str) -> None:
    assert yes_no(phrase) == YES


@pytest.mark.parametrize("phrase", [" ".join(p) for p in vocabulary().no])
def test_every_no_phrase_is_no(phrase: str) -> None:
    assert yes_no(phrase) == NO


@pytest.mark.parametrize("phrase", [" ".join(p) for p in vocabulary().unsure])
def test_every_unsure_phrase_is_unsure(phrase: str) -> None:
    assert yes_no(phrase) == UNSURE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Begin like a no, but are not a no.
        ("not sure", UNSURE),
        ("I'm not sure", UNSURE),
        ("no idea", UNSURE),
        ("I have no idea", UNSURE),
        ("I don't know", UNSURE),
        ("I dont know", UNSURE),
        ("don't know", UNSURE),
        ("probably not", UNSURE),
        ("not really sure", UNSURE),
        ("no, I'm not sure", UNSURE),
        # Are a no.
        ("not really", NO),
        ("I don't", NO),
        ("I dont", NO),
        ("never", NO),
        ("nope", NO),
        ("I don't think so", NO),
        ("no, not really", NO),
        ("I do not really", NO),
        # Mixed, or a no with something unexplained beside it: asked again.
        ("yes... actually no", UNCLEAR),
        ("yes no", UNCLEAR),
        ("no, yes", UNCLEAR),
        ("yes, not sure", UNCLEAR),
        ("I don't really know", UNCLEAR),
        ("no, but it used to", UNCLEAR),
        ("no wait", UNCLEAR),
        ("yes, but not now", UNCLEAR),
        # Nothing there.
        ("", UNCLEAR),
        ("   ", UNCLEAR),
        ("...", UNCLEAR),
        ("um", UNCLEAR),
        ("banana", UNCLEAR),
        ("fifty", UNCLEAR),
    ],
)
def test_tricky_answers(text: str, expected: Answer) -> None:
    assert yes_no(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "YES",
        "Yes.",
        "yes!",
        "  yes  ",
        "Yeah, I think so.",
        "um, yes",
        "I think yes",
        "yes please",
        "Yep!",
        "uh yeah",
        "yes, yes",
        "Yes I do.",
        "sure",
        "Yes, it wakes me at night",
        "I have, sadly",
        "y",
        "yes \u2014 I do",
        "\u201cyes\u201d",
        "That\u2019s right",
    ],
)
def test_typed_yes_is_forgiven(text: str) -> None:
    assert yes_no(text) == YES


@pytest.mark.parametrize(
    "text", ["NO", "No.", "no!", "Nope, thanks", "um no", "No I don't.", "no no", "Not really.", "n", "Nah"]
)
def test_typed_no_is_forgiven(text: str) -> None:
    assert yes_no(text) == NO


@pytest.mark.parametrize("text", ["yes", "no", "not sure", "i don't", "i don't know"])
def test_recognised_phrases_are_exact(text: str) -> None:
    assert yes_no(text) != UNCLEAR
