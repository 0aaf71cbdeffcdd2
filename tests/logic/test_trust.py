"""Tier 1: an uncertain "no" or command is asked again; other answers count once accepted."""

import pytest

from voicecare.recognition.ports import SURE_CONFIDENCE
from voicecare.understanding.answers import UNCLEAR, Answer, Command, CommandName, No, Number, Unsure, Yes
from voicecare.understanding.trust import believed, needs_sure

UNSURE_HEARING = SURE_CONFIDENCE - 0.01


@pytest.mark.parametrize(
    "answer",
    [No(), Command(CommandName.STOP), Command(CommandName.PAUSE), Command(CommandName.SLOWER)],
)
def test_doubt_ending_answers_need_a_sure_hearing(answer: Answer) -> None:
    assert needs_sure(answer)
    assert believed(answer, UNSURE_HEARING) == UNCLEAR
    assert believed(answer, SURE_CONFIDENCE) == answer


@pytest.mark.parametrize(
    "answer", [Yes(), Unsure(), Number(52), Command(CommandName.HELP), Command(CommandName.REPEAT)]
)
def test_answers_that_keep_doubt_open_count_when_accepted(answer: Answer) -> None:
    assert not needs_sure(answer)
    assert believed(answer, 0.0) == answer
