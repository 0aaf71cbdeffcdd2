"""Understanding: typed or recognised text -> a typed ``Answer``, and the phrases each turn listens for.

The API in one place::

    parse(text, kind, options=(), *, extra_commands=(), number_range=None, vocabulary=None) -> Answer
    understand(heard, kind, ...) -> Answer            # Silence on timeout, Unclear when rejected
    grammar_phrases(kind, options=None, *, extra_commands=(), number_range=None, vocabulary=None) -> list[str]
    spot_self_harm(text) -> bool; self_harm_keyphrases() -> list[str]
    TurnUnderstanding(vocabulary, extra_commands).phrases(prompt) / .parse(text, prompt)

``kind`` is an ``AnswerKind``: YES_NO, NUMBER, DURATION, CHOICE or FREE.
"""

from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import (
    DONE,
    NO,
    SILENCE,
    UNCLEAR,
    UNSURE,
    YES,
    Answer,
    Choice,
    Command,
    CommandName,
    Done,
    Duration,
    FreeText,
    No,
    Number,
    Qualifier,
    SelfHarm,
    Silence,
    Unclear,
    Unsure,
    Yes,
)
from voicecare.understanding.grammar_phrases import grammar_phrases
from voicecare.understanding.parse import ChoiceOption, parse, understand
from voicecare.understanding.safety_spotting import self_harm_keyphrases, spot_self_harm
from voicecare.understanding.turn_understanding import TurnUnderstanding
from voicecare.understanding.vocabulary import Vocabulary, default_vocabulary, load_vocabulary

__all__ = [
    "DONE",
    "NO",
    "SILENCE",
    "UNCLEAR",
    "UNSURE",
    "YES",
    "Answer",
    "AnswerKind",
    "Choice",
    "ChoiceOption",
    "Command",
    "CommandName",
    "Done",
    "Duration",
    "FreeText",
    "No",
    "Number",
    "Qualifier",
    "SelfHarm",
    "Silence",
    "TurnUnderstanding",
    "Unclear",
    "Unsure",
    "Vocabulary",
    "Yes",
    "default_vocabulary",
    "grammar_phrases",
    "load_vocabulary",
    "parse",
    "self_harm_keyphrases",
    "spot_self_harm",
    "understand",
]
