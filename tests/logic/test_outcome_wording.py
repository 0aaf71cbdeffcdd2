"""Every combination's reason line reads well: it never says the same thing twice."""

import re
from itertools import pairwise

import pytest

from voicecare.dialogue.outcome_talk import outcome_lines
from voicecare.dialogue.screening_talk import load_screening_talk
from voicecare.screening.answers import Answer, Reply
from voicecare.screening.findings import Combination, load_screening
from voicecare.screening.rules import evaluate

SCREENING = load_screening()
TALK = load_screening_talk()
PLACES = {"emergency_number": "911", "urgent_line": "call your doctor today"}
ADULT: dict[str, Answer] = {"age": 30, "pain_weeks": 1}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _answers_meeting(combination: Combination) -> dict[str, Answer]:
    """A 30-year-old with pain for a week, then every member of ``combination`` met."""
    answers = dict(ADULT)
    for ref in (*combination.all, *combination.any):
        threshold = SCREENING.thresholds.get(ref)
        if threshold is None:
            answers[ref] = Reply.YES
        else:
            low = threshold.at_least if threshold.at_least is not None else 0
            answers[threshold.finding] = low if threshold.below is None else min(low, threshold.below - 1)
    return answers


def _reason_line(combination: Combination) -> str:
    answers = _answers_meeting(combination)
    outcome = evaluate(answers, SCREENING)
    lines = outcome_lines(outcome, answers, SCREENING, TALK, PLACES)
    (line,) = [line for line in lines if combination.why in line]
    return line


@pytest.mark.parametrize("combination", SCREENING.combinations, ids=[c.id for c in SCREENING.combinations])
def test_a_combination_reason_line_never_repeats_itself(combination: Combination) -> None:
    line = _reason_line(combination)
    sentence = next(s for s in TALK.because_combination.split(".") if "{why}" in s)
    around_why = set(_words(sentence.replace("{why}", "")))
    assert around_why & set(_words(combination.why)) == set(), line
    assert line.lower().count("together") <= 1, line
    words = _words(line)
    doubled = [a for a, b in pairwise(words) if a == b]
    assert doubled == [], line
