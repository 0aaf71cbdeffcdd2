"""Tier 2: the optional STarT Back questionnaire after a soon or self_care outcome, in text mode.

Risks are worked out by hand from docs/clinical.md: items 1-8 agree = 1; item 9 scores 1 only for "very
much" or "extremely"; low is a total of 0-3; high is a subscale (items 5-9) of 4 or more; else medium.
"""

import pytest

from tests.support.screening_people import SILENT, Person, Screened, screen, screen_typed, transcript
from voicecare.dialogue.events import AskEvent
from voicecare.screening.findings import Tier
from voicecare.screening.startback import Risk, load_startback
from voicecare.understanding.answer_kind import AnswerKind

TOOL = load_startback()
OFFER = "Would you like nine more questions that help a physiotherapist plan your care?"


def items(*answers: str) -> dict[str, str | list[str]]:
    """Replies to items 1 to 9 in order, after saying yes to the offer."""
    assert len(answers) == 9
    return {"startback.offer": "yes", **{f"startback.{n}": a for n, a in enumerate(answers, start=1)}}


def risk_said(screened: Screened) -> Risk | None:
    said = screened.said()
    found = [risk for risk in Risk if TOOL.results[risk] in said]
    assert len(found) <= 1
    return found[0] if found else None


def startback_asks(screened: Screened) -> list[AskEvent]:
    return [a for a in screened.asks if a.id.startswith("startback.") and a.id != "startback.offer"]


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        (("disagree",) * 8 + ("slightly",), Risk.LOW),
        (
            (
                "agree",
                "agree",
                "agree",
                "disagree",
                "disagree",
                "disagree",
                "disagree",
                "disagree",
                "moderately",
            ),
            Risk.LOW,
        ),
        (("agree",) * 4 + ("disagree",) * 4 + ("moderately",), Risk.MEDIUM),
        (("yes", "yes", "no", "no", "I agree", "no", "no", "no", "very much"), Risk.MEDIUM),
        (("disagree",) * 4 + ("agree", "disagree", "disagree", "agree", "extremely"), Risk.LOW),
        (("disagree",) * 4 + ("agree", "agree", "agree", "disagree", "very much"), Risk.HIGH),
        (("agree",) * 8 + ("extremely",), Risk.HIGH),
    ],
)
def test_the_result_is_said_in_plain_words(answers: tuple[str, ...], risk: Risk) -> None:
    screened = screen(Person({"one_leg_sciatica": "yes", **items(*answers), "self_harm_check": "no"}))
    assert screened.outcome.disposition is Tier.SOON
    assert risk_said(screened) is risk
    said = screened.said()
    assert (TOOL.high_advice in said) is (risk is Risk.HIGH)
    assert said[-1] == TOOL.result_intro
    asks = startback_asks(screened)
    assert [a.id for a in asks] == [f"startback.{n}" for n in range(1, 10)]
    assert all(a.kind is AnswerKind.CHOICE and a.finding is None for a in asks)
    assert [a.text.split(". ")[0] for a in asks] == [item.text for item in TOOL.items], "wording is verbatim"


def test_offered_after_self_care_advice_and_declined() -> None:
    screened = screen(Person({"startback.offer": "no thanks"}))
    assert screened.outcome.disposition is Tier.SELF_CARE
    said = screened.said()
    assert said.index(OFFER) > said.index("Here are some things that can help.")
    assert said[-1] == TOOL.spoken.declined
    assert startback_asks(screened) == []


@pytest.mark.parametrize("replies", [{"fever.temperature": "yes"}, {"chest_pain.pain_or_breath": "yes"}])
def test_never_offered_after_urgent_or_emergency(replies: dict[str, str]) -> None:
    screened = screen(Person({**replies, "startback.offer": "yes"}))
    assert screened.outcome.disposition in (Tier.URGENT, Tier.EMERGENCY)
    assert OFFER not in screened.said()


def test_agreeing_with_items_6_to_8_asks_the_self_harm_question_once() -> None:
    screened = screen(
        Person({**items(*("disagree",) * 5, "agree", "agree", "agree", "slightly"), "self_harm_check": "no"})
    )
    checks = [i for i, a in enumerate(screened.asks) if a.id == "self_harm_check"]
    assert len(checks) == 1
    assert screened.asks[checks[0] - 1].id == "startback.6"
    assert risk_said(screened) is Risk.LOW  # total 3: items 6, 7, 8


def test_a_yes_to_the_self_harm_question_ends_everything_with_the_crisis_message() -> None:
    screened = screen(
        Person({**items(*("disagree",) * 6, "agree", "disagree", "slightly"), "self_harm_check": "yes"})
    )
    assert screened.asks[-1].id == "self_harm_check"
    assert screened.asks[-2].id == "startback.7"
    crisis = [line for line in screened.said() if "988" in line]
    assert len(crisis) == 2
    assert risk_said(screened) is None


def test_words_of_self_harm_during_an_item_ask_the_question_then_the_item_again() -> None:
    replies = items(*("disagree",) * 9)
    replies["startback.3"] = ["there's no point going on", "disagree"]
    replies["startback.9"] = "not at all"
    screened = screen(Person({**replies, "self_harm_check": "no"}))
    ids = [a.id for a in screened.asks]
    at = ids.index("self_harm_check")
    assert ids[at - 1 : at + 2] == ["startback.3", "self_harm_check", "startback.3"]
    assert risk_said(screened) is Risk.LOW


def test_unclear_answers_count_towards_more_care_and_the_person_is_told() -> None:
    replies = items("not sure", *("disagree",) * 7, "not at all")
    replies["startback.9"] = ["banana", "purple", "lunch"]
    screened = screen(Person(replies))
    said = screened.said()
    assert TOOL.spoken.unclear_counted in said
    assert risk_said(screened) is Risk.LOW  # item 1 as agree, item 9 as very much: total 2, subscale 1


def test_unclear_answers_can_raise_the_risk() -> None:
    replies = items(*("disagree",) * 4, "I'm not sure", "I don't know", "agree", "dunno", "very much")
    screened = screen(Person({**replies, "self_harm_check": "no"}))
    assert risk_said(screened) is Risk.HIGH


def test_silence_ends_the_questionnaire_unscored() -> None:
    replies = items(*("agree",) * 3, SILENT, *("agree",) * 4, "extremely")
    screened = screen(Person(replies))
    assert startback_asks(screened)[-1].id == "startback.4"
    assert risk_said(screened) is None


def test_the_same_replies_typed_give_the_same_questionnaire() -> None:
    screened = screen(
        Person({"getting_worse.severe_or_worse": "yes", **items("agree", *("disagree",) * 7, "very much")})
    )
    typed = screen_typed(screened.replies)
    assert transcript(typed.events) == transcript(screened.events)
    assert typed.said() == screened.said()
    assert risk_said(typed) is Risk.LOW
