"""The order of questions in a transcript: voicecare never goes back to a question once a later one has
been answered, and every reply, re-ask and correction concerns the question the person just answered.

Checked over the events of a session (``ask`` and ``heard``; the others are ignored), or over the
dialogue as ``voicecare demo`` prints it (``printed_events``). A prompt's *question* is its id without
``.readback``: a read-back belongs to the question it reads back. The rules:

R1, replies in order. Every ``heard`` is for the prompt asked last, except a revision (``revised``) of
the reply heard just before it, for the same prompt. A revision may come after the next question was
begun only where the person went on speaking over it (the next question is cut short): its text then
has more words than the reply it replaces. A revision that merely corrects the reply (the final
decoding disagreed) must come before the next question is asked.

R2, no going back. Once a reply to question B has stood (the next ``heard`` is not a revision of it),
every other question asked before B's latest ask, whose latest reply was an answer (not a command nor
words of self-harm, after which the question is put again), is closed: asking it again is a violation.
``recurring`` questions (a menu asked after each activity) are never closed.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from voicecare.dialogue.events import AskEvent, Event, HeardEvent
from voicecare.understanding.answer_kind import AnswerKind

NOT_ANSWERS = ("self_harm",)
"""Labels (besides commands) after which the question is put again rather than answered."""


@dataclass(frozen=True)
class Violation:
    """One break of the order: ``index`` of the event in the transcript, the rule and what happened."""

    index: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"event {self.index}: {self.rule}: {self.detail}"


def question_of(prompt_id: str) -> str:
    """The question a prompt belongs to (a read-back belongs to the question it reads back)."""
    return prompt_id.removesuffix(".readback")


def order_violations(events: Sequence[Event], recurring: Collection[str] = ()) -> list[Violation]:
    """Every break of R1 and R2 (module docstring) in ``events``, in order; empty when in order."""
    talk = [(index, e) for index, e in enumerate(events) if isinstance(e, AskEvent | HeardEvent)]
    found: list[Violation] = []
    last_ask: AskEvent | None = None
    last_heard: HeardEvent | None = None
    asked_at: dict[str, int] = {}
    """Each question's latest ask (position in ``talk``)."""
    last_reply: dict[str, HeardEvent] = {}
    closed: dict[str, str] = {}
    """Closed questions, each with the question whose answer closed it."""
    for position, (index, event) in enumerate(talk):
        if isinstance(event, AskEvent):
            question = question_of(event.id)
            if question in closed:
                went_back = f"went back to {question!r} after {closed[question]!r} was answered"
                found.append(Violation(index, "R2", went_back))
            asked_at[question] = position
            last_ask = event
            continue
        found.extend(_reply_violations(index, event, last_ask, last_heard))
        last_heard = event
        question = question_of(event.id)
        last_reply[question] = event
        if not _stood(talk, position):
            continue
        for other, at in asked_at.items():
            reply = last_reply.get(other)
            answered = reply is not None and not _put_again(reply)
            if other != question and other not in recurring and at < asked_at.get(question, -1) and answered:
                closed.setdefault(other, question)
    return found


def _reply_violations(
    index: int, heard: HeardEvent, last_ask: AskEvent | None, last_heard: HeardEvent | None
) -> list[Violation]:
    """R1 for one ``heard``."""
    if last_ask is not None and heard.id == last_ask.id:
        return []
    if not heard.revised or last_heard is None or last_heard.id != heard.id:
        asked = last_ask.id if last_ask is not None else None
        return [Violation(index, "R1", f"a reply to {heard.id!r} heard while {asked!r} was asked")]
    if len(_words(heard.text)) > len(_words(last_heard.text)):
        return []
    return [
        Violation(
            index,
            "R1",
            f"{heard.id!r}'s reply {last_heard.text!r} corrected to {heard.text!r} after "
            f"{last_ask.id if last_ask else None!r} was begun, though the person did not go on",
        )
    ]


def _stood(talk: Sequence[tuple[int, Event]], position: int) -> bool:
    """Whether the ``heard`` at ``position`` stood: the next ``heard`` is not a revision of it."""
    heard = talk[position][1]
    assert isinstance(heard, HeardEvent)
    following = next((e for _, e in talk[position + 1 :] if isinstance(e, HeardEvent)), None)
    return following is None or not (following.revised and following.id == heard.id)


def _put_again(reply: HeardEvent) -> bool:
    """Whether the question is put again after ``reply`` (a command, words of self-harm)."""
    return reply.answer.startswith("command:") or reply.answer in NOT_ANSWERS


def _words(text: str) -> list[str]:
    return text.split()


def printed_events(lines: Iterable[str], questions: dict[str, str]) -> list[Event]:
    """The events of a printed dialogue (``voicecare demo``): a line that is, or ends with, one of
    ``questions`` (text -> question id: wordings and re-ask wordings) is an ask of it, a line "> text" a
    reply to the question asked last (a printed dialogue does not show revisions), any other line a
    saying. Replies before the first known question are dropped. Stricter than the events: a reply
    that replaced a provisional one is taken as a reply to the question asked last."""
    events: list[Event] = []
    asked: str | None = None
    ranked = sorted(questions.items(), key=lambda item: -len(item[0]))
    for line in lines:
        if line.startswith("> "):
            if asked is not None:
                events.append(HeardEvent(asked, line[2:], "answer"))
            continue
        for text, question_id in ranked:
            if line == text or line.endswith(" " + text):
                asked = question_id
                events.append(AskEvent(question_id, None, AnswerKind.YES_NO, line))
                break
    return events
