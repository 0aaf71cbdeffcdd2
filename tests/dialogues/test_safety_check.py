"""Tier 2: the self-harm check through the real text channel: only a clear no carries on."""

import pytest

from tests.support.dialogue_helpers import spoken, typed_conversation
from voicecare.dialogue.conversation import SafetyStop
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.safety_check import self_harm_check
from voicecare.screening.regions import region
from voicecare.screening.safety import load_safety
from voicecare.understanding.answers import NO

SAFETY = load_safety()
FEVER = Prompt("fever.temperature", "Do you have a high temperature?", finding="fever")


def crisis_messages(said: list[str]) -> list[str]:
    return [line for line in said if line.startswith("If you are in immediate danger")]


def test_a_clear_no_to_the_direct_question_carries_on_where_the_person_was() -> None:
    conversation = typed_conversation("there is no point going on", "no", "no")
    conversation.on_self_harm = self_harm_check(region("uk"))
    assert conversation.ask(FEVER) == NO
    said = spoken(conversation)
    assert said[:3] == [FEVER.text, SAFETY.question, FEVER.text]
    assert crisis_messages(said) == []


@pytest.mark.parametrize("reply", ["yes", "stop", "banana\nbanana\nbanana", ""])
def test_anything_but_a_clear_no_gives_the_crisis_message_twice_and_stops(reply: str) -> None:
    replies = ["I want to kill myself", *reply.splitlines()]
    conversation = typed_conversation(*replies)
    conversation.on_self_harm = self_harm_check(region("uk"))
    with pytest.raises(SafetyStop):
        conversation.ask(FEVER)
    said = spoken(conversation)
    assert len(crisis_messages(said)) == SAFETY.repeat == 2
    assert all("999" in line for line in crisis_messages(said))
    assert conversation.on_self_harm is not None
