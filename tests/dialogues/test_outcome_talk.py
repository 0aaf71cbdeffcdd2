"""Tier 2: why the outcome is what it is, said in words that match what happened."""

from tests.support.dialogue_helpers import spoken, typed_conversation
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.records import NoRecorder

PLACES = {"emergency_number": "911", "urgent_line": "call your doctor today"}


def outcome_said(*typed: str) -> list[str]:
    conversation = typed_conversation(*typed)
    ScreeningSession(conversation, PLACES, NoRecorder()).run()
    return spoken(conversation)


def test_an_answer_never_heard_is_said_to_be_unheard_not_unsure() -> None:
    said = outcome_said("no", "no", "42", "yes")
    assert any("could not make out your answer about numbness around your bottom" in line for line in said)
    assert not any("you were not sure" in line for line in said)


def test_a_not_sure_is_said_as_not_sure() -> None:
    said = outcome_said("no", "no", "42", "yes", "not sure")
    assert any("you were not sure whether you have numbness around your bottom" in line for line in said)
