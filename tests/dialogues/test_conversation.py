"""Tier 2: asking one question through the real text channel with typed replies."""

import io
import os
import threading

import pytest

from tests.support.dialogue_helpers import events, spoken, typed_conversation
from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.conversation import Conversation, StopRequested
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.events import AskEvent, HeardEvent
from voicecare.dialogue.prompt import Prompt
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import NO, SILENCE, UNCLEAR, UNSURE, YES, Duration, Number
from voicecare.understanding.turn_understanding import TurnUnderstanding

FEVER = Prompt(
    "fever.temperature",
    "Do you have a high temperature?",
    finding="fever",
    help="A temperature of 38 degrees or more.",
    reask="Have you felt hot and shivery?",
)
AGE = Prompt("age", "How old are you?", kind=AnswerKind.NUMBER, finding="age")


@pytest.mark.parametrize(
    ("reply", "answer"),
    [("yes", YES), ("Nope.", NO), ("not sure", UNSURE), ("I don't know", UNSURE), ("not really", NO)],
)
def test_a_plain_reply_is_understood_at_once(reply: str, answer: object) -> None:
    conversation = typed_conversation(reply)
    assert conversation.ask(FEVER) == answer
    assert spoken(conversation) == [FEVER.text]


def test_an_unclear_reply_is_asked_again_in_other_words_then_given_up_as_unclear() -> None:
    conversation = typed_conversation("banana", "purple", "yes and no")
    assert conversation.ask(FEVER) == UNCLEAR
    said = spoken(conversation)
    assert said[0] == FEVER.text
    assert said[1] == f"Sorry, I didn't catch that. {FEVER.reask}"
    assert said[2].endswith(FEVER.reask)
    assert len(said) == 3


def test_an_unclear_reply_then_a_clear_one_gives_the_clear_one() -> None:
    assert typed_conversation("what about lunch", "yes").ask(FEVER) == YES


def test_numbers_as_words_and_digits() -> None:
    assert typed_conversation("fifty two").ask(AGE) == Number(52)
    assert typed_conversation("52").ask(AGE) == Number(52)


def test_end_of_input_is_silence_and_never_no() -> None:
    conversation = typed_conversation()
    assert conversation.ask(FEVER) == SILENCE


def test_silence_reprompts_once_then_gives_silence() -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as reader, os.fdopen(write_end, "w"):
        conversation = Conversation(
            TextChannel(reader, io.StringIO()), RecordingSink(), TurnUnderstanding(), timeout_s=0.05
        )
        assert conversation.ask(FEVER) == SILENCE
    assert spoken(conversation) == [FEVER.text, f"I didn't hear an answer. {FEVER.text}"]


def test_help_explains_the_question_then_asks_it_again() -> None:
    conversation = typed_conversation("help", "no")
    assert conversation.ask(FEVER) == NO
    said = spoken(conversation)
    assert FEVER.help in said[1] and "yes, no, or not sure" in said[1]
    assert said[2] == FEVER.text


def test_repeat_asks_again_word_for_word() -> None:
    conversation = typed_conversation("say that again", "yes")
    assert conversation.ask(FEVER) == YES
    assert spoken(conversation) == [FEVER.text, FEVER.text]


def test_slower_and_faster_change_the_rate_and_tell_the_listener() -> None:
    changes: list[int] = []
    conversation = typed_conversation("slower", "slower", "faster", "yes")
    conversation.on_speech_change = lambda speech: changes.append(speech.rate_wpm)
    start = conversation.speech.rate_wpm
    assert conversation.ask(FEVER) == YES
    assert changes[0] < start and changes[1] < changes[0] and changes[2] > changes[1]


def test_pause_waits_for_resume_then_asks_again() -> None:
    conversation = typed_conversation("pause", "yes", "resume", "no")
    assert conversation.ask(FEVER) == NO
    said = spoken(conversation)
    assert said[1].startswith("Paused.") and said[2] == "Carrying on." and said[3] == FEVER.text


class _Watched(io.StringIO):
    """An output that sets ``seen`` once ``text`` has been written to it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text, self.seen = text, threading.Event()

    def write(self, s: str) -> int:
        if self.text in s:
            self.seen.set()
        return super().write(s)


def test_a_long_pause_reminds_the_person_how_to_go_on() -> None:
    read_end, write_end = os.pipe()
    output = _Watched("Still paused")
    with os.fdopen(read_end) as reader, os.fdopen(write_end, "w") as writer:

        def person() -> None:
            writer.write("pause\n")
            writer.flush()
            output.seen.wait(timeout=30)
            writer.write("resume\nno\n")
            writer.flush()

        conversation = Conversation(TextChannel(reader, output), RecordingSink(), TurnUnderstanding())
        conversation.pause_reminder_s = 0.05
        typist = threading.Thread(target=person)
        typist.start()
        answer = conversation.ask(FEVER)
        typist.join()
    assert answer == NO
    said = spoken(conversation)
    assert said[1].startswith("Paused.") and said[2].startswith("Still paused.")
    assert said[-2:] == ["Carrying on.", FEVER.text]


def test_stop_ends_the_question() -> None:
    with pytest.raises(StopRequested):
        typed_conversation("stop").ask(FEVER)


def test_words_of_self_harm_go_to_the_safety_check_and_are_not_echoed() -> None:
    checks: list[str] = []
    conversation = typed_conversation("I want to kill myself", "no")
    conversation.on_self_harm = lambda c: checks.append("checked")
    assert conversation.ask(FEVER) == NO
    assert checks == ["checked"]
    heard = [e for e in events(conversation) if isinstance(e, HeardEvent)]
    assert heard[0].answer == "self_harm" and heard[0].text == ""


def test_every_question_is_an_ask_event_with_its_finding() -> None:
    conversation = typed_conversation("banana", "yes")
    conversation.ask(FEVER)
    asks = [e for e in events(conversation) if isinstance(e, AskEvent)]
    expected = ("fever.temperature", "fever", AnswerKind.YES_NO)
    assert [(a.id, a.finding, a.kind) for a in asks] == [expected] * 2


PAIN_WEEKS = Prompt(
    "pain_weeks", "How many weeks have you had this back pain?", kind=AnswerKind.DURATION
)


@pytest.mark.parametrize(
    ("reply", "weeks"), [("six", 6.0), ("6", 6.0), ("six weeks", 6.0), ("a month", None)]
)
def test_a_weeks_question_takes_a_bare_number_as_weeks(reply: str, weeks: float | None) -> None:
    answer = typed_conversation(reply).ask(PAIN_WEEKS)
    assert isinstance(answer, Duration)
    if weeks is not None:
        assert answer.weeks == weeks


def test_the_weeks_grammar_holds_bare_numbers_and_durations() -> None:
    phrases = TurnUnderstanding().phrases(PAIN_WEEKS)
    assert {"six", "six weeks", "about three months", "stop"} <= set(phrases)
    assert len(phrases) == len(set(phrases))
