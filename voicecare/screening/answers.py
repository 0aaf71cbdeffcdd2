"""Answer kinds the screening rules take, and the four-valued truth they combine with."""

from collections.abc import Mapping
from enum import Enum


class Reply(Enum):
    """A final answer to one question, after read-back and re-asks.

    ``UNSURE`` is "I don't know" or "not sure"; ``UNANSWERED`` is still not understood after the re-asks.
    Neither is a no. A question not asked at all is simply absent from the answers.
    """

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"
    UNANSWERED = "unanswered"


Answer = Reply | int
"""A reply, or a number (years for ``age``, weeks for ``pain_weeks``)."""

Answers = Mapping[str, Answer]
"""Answers keyed by question id (``saddle_numbness.skin``), gate id (``pregnant``), number finding id
(``age``), or a whole yes/no finding id (``fever``) when one answer stands for all its questions."""


class Truth(Enum):
    """How far a condition holds, ordered: AND is the lowest of its parts, OR the highest.

    ``ASSUMED`` holds by rule because a number was not given ("an unanswered age counts as meeting its
    threshold"): it acts as a yes but is not certain. ``UNSURE`` rests on a "not sure" or not-understood
    answer: it makes the finding *possible*.
    """

    NO = 0
    UNSURE = 1
    ASSUMED = 2
    YES = 3

    @property
    def holds(self) -> bool:
        """True for YES and ASSUMED."""
        return self.value >= Truth.ASSUMED.value


def all_of(truths: list[Truth]) -> Truth:
    """Logical AND (YES for an empty list)."""
    return min(truths, key=lambda t: t.value, default=Truth.YES)


def any_of(truths: list[Truth]) -> Truth:
    """Logical OR (NO for an empty list)."""
    return max(truths, key=lambda t: t.value, default=Truth.NO)


def reply_truth(answer: Answer | None, key: str) -> Truth:
    """The truth of a yes/no answer: not asked counts as no; unsure and not understood as UNSURE."""
    if answer is None or answer is Reply.NO:
        return Truth.NO
    if answer is Reply.YES:
        return Truth.YES
    if answer in (Reply.UNSURE, Reply.UNANSWERED):
        return Truth.UNSURE
    raise ValueError(f"answer to '{key}' is the number {answer!r}, but it is a yes/no question")


def number_value(answers: Answers, key: str) -> int | Reply | None:
    """A number finding's answer: the number, UNSURE/UNANSWERED (treated alike), or None when not asked."""
    answer = answers.get(key)
    if answer in (Reply.YES, Reply.NO):
        raise ValueError(f"answer to '{key}' is {answer}, but it asks for a number")
    if isinstance(answer, bool):
        raise ValueError(f"answer to '{key}' is {answer}, but it asks for a number")
    return answer


def at_least_truth(value: int | Reply | None, limit: int | None, below: int | None = None) -> Truth:
    """Whether a number meets ``limit`` <= value < ``below``; not given counts as meeting it (ASSUMED)."""
    if value is None:
        return Truth.NO
    if isinstance(value, Reply):
        return Truth.ASSUMED
    low_ok = limit is None or value >= limit
    high_ok = below is None or value < below
    return Truth.YES if low_ok and high_ok else Truth.NO
