"""The advice context in whole dialogues, typed through the real text channel (issue 11: 6 -> 2 questions).

Each case first lets a test ``Person`` answer the whole session to learn the replies in order, then types
those replies into ``voicecare``'s text channel and checks that typed dialogue.
"""

from collections.abc import Mapping

import pytest

from tests.support.screening_people import Person, Reply, Screened, screen, screen_typed, transcript
from voicecare.dialogue.events import AskEvent, OutcomeEvent
from voicecare.screening.advice import load_advice
from voicecare.screening.findings import Tier, load_screening

ADVICE = load_advice()
CONTEXT_IDS = {c.id for c in ADVICE.context}
TEXTS = {a.id: a.text for a in ADVICE.advice}
QUESTIONS = {c.id: c.question for c in ADVICE.context if c.question is not None}


def typed(replies: Mapping[str, Reply]) -> Screened:
    """The session with ``replies`` (default no, age forty two), typed; it must match the simulated one."""
    simulated = screen(Person(replies))
    session = screen_typed(simulated.replies)
    assert transcript(session.events) == transcript(simulated.events)
    return session


def advice_asks(session: Screened) -> list[str]:
    """The context questions asked after the outcome, in order (re-asks and help repeat the id)."""
    outcome_at = session.events.index(session.outcome)
    return [e.id for e in session.events[outcome_at:] if isinstance(e, AskEvent) and e.id in CONTEXT_IDS]


def test_a_healthy_adult_is_asked_exactly_two_advice_questions() -> None:
    session = typed({})
    assert session.outcome.disposition is Tier.SELF_CARE
    assert advice_asks(session) == ["kidney_heart_or_blood_pressure", "bleeding_or_nsaid_risk"]
    assert sum(isinstance(e, OutcomeEvent) for e in session.events) == 1
    said = session.said()
    assert QUESTIONS["kidney_heart_or_blood_pressure"].text in said
    assert QUESTIONS["bleeding_or_nsaid_risk"].text in said
    assert TEXTS["nsaids_follow_the_label"] in said
    assert TEXTS["nsaids_not_suggested"] not in said and TEXTS["nsaids_ask_pharmacist_first"] not in said
    assert TEXTS["massage_gently_after_doctor_agrees"] not in said


@pytest.mark.parametrize("context", ["kidney_heart_or_blood_pressure", "bleeding_or_nsaid_risk"])
@pytest.mark.parametrize("reply", ["yes", "not sure"])
def test_a_yes_or_doubt_gets_the_pharmacist_line(context: str, reply: str) -> None:
    session = typed({context: reply})
    assert advice_asks(session) == ["kidney_heart_or_blood_pressure", "bleeding_or_nsaid_risk"]
    said = session.said()
    assert TEXTS["nsaids_not_suggested"] in said
    assert "ask a pharmacist" in TEXTS["nsaids_not_suggested"].lower()
    assert TEXTS["nsaids_follow_the_label"] not in said and TEXTS["nsaids_ask_pharmacist_first"] not in said


def test_help_explains_every_item_then_the_question_is_answered() -> None:
    session = typed({"bleeding_or_nsaid_risk": ["help", "no"]})
    said = session.said()
    assert any(QUESTIONS["bleeding_or_nsaid_risk"].help in text for text in said)
    assert TEXTS["nsaids_follow_the_label"] in said


def test_from_65_the_massage_caution_is_said_without_asking_about_bones() -> None:
    session = typed({"age": "seventy"})
    assert session.outcome.disposition is Tier.SOON
    assert advice_asks(session) == ["kidney_heart_or_blood_pressure", "bleeding_or_nsaid_risk"]
    said = session.said()
    assert TEXTS["massage_gently_after_doctor_agrees"] in said
    assert TEXTS["nsaids_ask_pharmacist_first"] in said


def test_thin_bones_or_steroids_said_in_screening_bring_the_massage_caution_unasked() -> None:
    fragile = load_screening().findings["fragile_bones_injury"]
    question = next(q.id for q in fragile.questions if q.group == "fragile_bones")
    session = typed({question: "yes"})
    assert session.outcome.disposition is Tier.SELF_CARE
    assert advice_asks(session) == ["kidney_heart_or_blood_pressure", "bleeding_or_nsaid_risk"]
    assert TEXTS["massage_gently_after_doctor_agrees"] in session.said()
