"""The order property's checker (``voicecare.simulation.question_order``) on hand-made transcripts."""

from voicecare.dialogue.events import AskEvent, Event, HeardEvent, SayEvent
from voicecare.simulation.question_order import order_violations, printed_events
from voicecare.understanding.answer_kind import AnswerKind


def ask(prompt_id: str, text: str = "?") -> AskEvent:
    return AskEvent(prompt_id, None, AnswerKind.YES_NO, text)


def heard(prompt_id: str, text: str, answer: str = "no", revised: bool = False) -> HeardEvent:
    return HeardEvent(prompt_id, text, answer, revised)


def rules(events: list[Event], recurring: tuple[str, ...] = ()) -> list[str]:
    return [v.rule for v in order_violations(events, recurring)]


def test_a_plain_screening_is_in_order() -> None:
    events: list[Event] = [SayEvent("hello"), ask("a"), heard("a", "no"), ask("b"), heard("b", "yes", "yes")]
    events += [ask("b.readback"), heard("b.readback", "no"), ask("b"), heard("b", "no"), ask("c")]
    assert rules(events) == []


def test_re_asks_of_the_question_just_answered_are_in_order() -> None:
    events: list[Event] = [ask("a"), heard("a", "hmm", "unclear"), ask("a", "Sorry?"), heard("a", "no")]
    events += [ask("b")]
    assert rules(events) == []


def test_a_correction_before_the_next_question_is_in_order() -> None:
    events: list[Event] = [ask("a"), heard("a", "no"), heard("a", "no", "unclear", revised=True)]
    events += [ask("a", "Sorry?"), heard("a", "no"), ask("b")]
    assert rules(events) == []


def test_a_correction_after_the_next_question_began_is_the_reported_bug() -> None:
    """Issue 12: 'tearing?' '> no' 'Sorry, I didn't catch that. Did a very strong pain start...'"""
    events: list[Event] = [ask("sudden"), heard("sudden", "no"), ask("tearing")]
    events += [heard("sudden", "no", "unclear", revised=True), ask("sudden", "Sorry?")]
    assert rules(events) == ["R1"]


def test_going_on_over_the_next_question_is_the_same_answer() -> None:
    """'no', a pause in which the next question begins, 'i don't know': the whole reply is the answer
    to the first question, which may be put again."""
    events: list[Event] = [ask("a"), heard("a", "no"), ask("b")]
    events += [heard("a", "no i don't know", "unsure", revised=True), ask("b"), heard("b", "no")]
    assert rules(events) == []


def test_going_back_after_a_later_answer_is_a_violation() -> None:
    events: list[Event] = [ask("a"), heard("a", "no"), ask("b"), heard("b", "no"), ask("a", "Sorry?")]
    assert rules(events) == ["R2"]


def test_a_reply_to_another_question_is_a_violation() -> None:
    assert rules([ask("a"), heard("a", "no"), ask("b"), heard("a", "no")]) == ["R1"]


def test_the_self_harm_check_returns_to_the_question_it_interrupted() -> None:
    events: list[Event] = [ask("a"), heard("a", "", "self_harm"), ask("self_harm_check")]
    events += [heard("self_harm_check", "no"), ask("a"), heard("a", "no"), ask("b")]
    assert rules(events) == []


def test_a_command_puts_the_question_again() -> None:
    events: list[Event] = [ask("a"), heard("a", "repeat", "command:repeat"), ask("a"), heard("a", "no")]
    assert rules(events) == []


def test_recurring_questions_may_come_back() -> None:
    events: list[Event] = [ask("menu"), heard("menu", "check", "choice"), ask("a"), heard("a", "no")]
    events += [ask("menu"), heard("menu", "goodbye", "choice")]
    assert rules(events) == ["R2"]
    assert rules(events, recurring=("menu",)) == []


def test_a_printed_dialogue_is_read_as_events() -> None:
    questions = {"Sudden?": "sudden", "Did it start suddenly?": "sudden", "Tearing?": "tearing"}
    printed = ["Hello.", "Sudden?", "> no", "Tearing?", "> no"]
    printed += ["Sorry, I didn't catch that. Did it start suddenly?"]
    events = printed_events(printed, questions)
    assert [e.type for e in events] == ["ask", "heard", "ask", "heard", "ask"]
    assert [v.rule for v in order_violations(events)] == ["R2"]
