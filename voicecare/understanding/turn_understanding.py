"""``TurnUnderstanding``: the object a conversation asks what phrases to listen for and what a reply means.

It fits the dialogue's ``Understanding`` protocol: any prompt with ``kind`` and ``options`` will do.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Answer, CommandName, Duration, Number, Qualifier, Unclear
from voicecare.understanding.grammar_phrases import grammar_phrases
from voicecare.understanding.parse import OptionLike, parse
from voicecare.understanding.vocabulary import Vocabulary, default_vocabulary

SPOKEN_WEEKS = (0, 52)
"""Bare numbers of weeks the recogniser listens for; typed text takes up to ten years of weeks."""
TYPED_WEEKS = (0, 520)


class TurnLike(Protocol):
    """A question as understanding needs it: how replies are read, and the options of a choice.

    A ``DURATION`` question asks how many weeks ("How many weeks have you had this back pain?"), so a bare
    number ("six") counts as weeks as well as a length of time ("six weeks", "about three months").
    A yes/no question may also have ``items`` (a tuple of what naming an item of it sounds like: a yes)."""

    @property
    def kind(self) -> AnswerKind: ...

    @property
    def options(self) -> Sequence[OptionLike]: ...


@dataclass(frozen=True)
class TurnUnderstanding:
    """Understands replies with ``vocabulary``; ``extra_commands`` adds skip or time_left (exercises)."""

    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    extra_commands: frozenset[CommandName] = frozenset()

    def phrases(self, prompt: TurnLike) -> list[str]:
        """Every phrase accepted for ``prompt``, the commands and the spoken self-harm phrases (safety.toml
        ``spoken``, so words of self-harm are heard in every question): the recogniser's grammar."""
        extra, vocabulary = self.extra_commands, self.vocabulary
        kind = prompt.kind
        if kind is AnswerKind.DURATION:
            durations = grammar_phrases(kind, extra_commands=extra, vocabulary=vocabulary)
            numbers = grammar_phrases(
                AnswerKind.NUMBER, extra_commands=extra, number_range=SPOKEN_WEEKS, vocabulary=vocabulary
            )
            phrases = durations + numbers
        else:
            phrases = grammar_phrases(
                kind, prompt.options, extra_commands=extra, vocabulary=vocabulary, items=_items(prompt)
            )
        self_harm = [" ".join(p) for p in vocabulary.spoken_self_harm]
        return list(dict.fromkeys(phrases + self_harm))

    def parse(self, text: str, prompt: TurnLike) -> Answer:
        """The answer ``text`` gives to ``prompt``: ``Unclear`` when it gives none."""
        extra, vocabulary = self.extra_commands, self.vocabulary
        kind = prompt.kind
        if kind is not AnswerKind.DURATION:
            items = _items(prompt)
            return parse(text, kind, prompt.options, extra_commands=extra, vocabulary=vocabulary, items=items)
        answer = parse(text, kind, extra_commands=extra, vocabulary=vocabulary)
        if not isinstance(answer, Unclear):
            return answer
        number = parse(
            text, AnswerKind.NUMBER, extra_commands=extra, number_range=TYPED_WEEKS, vocabulary=vocabulary
        )
        if isinstance(number, Number):
            return Duration(float(number.value), Qualifier.EXACT, float(number.value))
        return answer


def _items(prompt: TurnLike) -> tuple[str, ...]:
    """The items of a yes/no question ("the tingling", "pads"), when the prompt has any."""
    items = getattr(prompt, "items", ())
    return tuple(str(item) for item in items)
