"""The order property of spoken dialogues (``voicecare.simulation.question_order``, shared with
``scripts/bench_realtime.py``) as test helpers: assert it over a transcript of events or a printed one."""

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from voicecare.dialogue.events import AskEvent, Event, HeardEvent
from voicecare.screening.findings import load_screening
from voicecare.simulation.question_order import order_violations, printed_events
from voicecare.understanding.answer_kind import AnswerKind


def assert_in_order(events: Sequence[Event], recurring: Collection[str] = ()) -> None:
    """No question goes back and every reply concerns the question just asked (rules R1 and R2)."""
    violations = order_violations(events, recurring)
    assert not violations, "questions out of order:\n" + "\n".join(map(str, violations))


def screening_questions() -> dict[str, str]:
    """Every spoken wording of the packaged screening's questions and gates (and their re-ask wordings),
    each with its id: how a printed dialogue's asks are recognised."""
    screening = load_screening()
    texts: dict[str, str] = {}
    asked = [*screening.gates.values()]
    for finding in screening.findings.values():
        asked.extend(finding.questions)
    for question in asked:
        for text in (question.text, question.reask):
            if text:
                texts[text] = question.id
    return texts


def assert_printed_in_order(lines: Iterable[str]) -> None:
    """``assert_in_order`` over a printed dialogue (``voicecare demo``), its screening questions known
    by their wording."""
    assert_in_order(printed_events(lines, screening_questions()))


def from_json(events: Iterable[Mapping[str, Any]]) -> list[Event]:
    """The ask and heard events of a ``--json`` transcript (the others are not needed for the order)."""
    found: list[Event] = []
    for e in events:
        if e["type"] == "ask":
            kind = AnswerKind(e["kind"])
            found.append(AskEvent(e["id"], e["finding"], kind, e["text"], e.get("readback", False)))
        elif e["type"] == "heard":
            found.append(HeardEvent(e["id"], e["text"], e["answer"], e.get("revised", False)))
    return found


def assert_json_in_order(events: Iterable[Mapping[str, Any]]) -> None:
    """``assert_in_order`` over a ``--json`` transcript."""
    assert_in_order(from_json(events))
