"""``TurnUnderstanding``: the object a conversation asks what phrases to listen for and what a reply means.

It fits the dialogue's ``Understanding`` protocol: any prompt with ``kind`` and ``options`` will do.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import (
    UNCLEAR,
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
    Unclear,
    Unsure,
    Yes,
)
from voicecare.understanding.grammar_phrases import grammar_phrases
from voicecare.understanding.names import NameBook
from voicecare.understanding.parse import OptionLike, parse
from voicecare.understanding.vocabulary import Vocabulary, default_vocabulary

SPOKEN_WEEKS = (0, 52)
"""Bare numbers of weeks the recogniser listens for; typed text takes up to ten years of weeks."""
TYPED_WEEKS = (0, 520)


class TurnLike(Protocol):
    """A question as understanding needs it: how replies are read, and the options of a choice.

    A ``DURATION`` question asks how many weeks ("How many weeks have you had this back pain?"), so a bare
    number ("six") counts as weeks as well as a length of time ("six weeks", "about three months").
    A yes/no question may also have ``items`` (a tuple of what naming an item of it sounds like: a yes);
    a name question or the menu ``names`` (a ``NameBook``: a reply giving a name is ``FreeText(name)``)."""

    @property
    def kind(self) -> AnswerKind: ...

    @property
    def options(self) -> Sequence[OptionLike]: ...

    @property
    def number_range(self) -> tuple[int, int] | None:
        """The whole numbers a ``NUMBER`` question takes (None: ages)."""
        ...


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
                kind,
                prompt.options,
                extra_commands=extra,
                number_range=prompt.number_range,
                vocabulary=vocabulary,
                items=_items(prompt),
            )
        book = _names(prompt)
        if book is not None:
            phrases += book.phrases()
        self_harm = [" ".join(p) for p in vocabulary.spoken_self_harm]
        return list(dict.fromkeys(phrases + self_harm))

    def parse(self, text: str, prompt: TurnLike) -> Answer:
        """The answer ``text`` gives to ``prompt``: ``Unclear`` when it gives none."""
        extra, vocabulary = self.extra_commands, self.vocabulary
        kind = prompt.kind
        if kind is not AnswerKind.DURATION:
            options, items, bounds = prompt.options, _items(prompt), prompt.number_range
            answer = parse(
                text,
                kind,
                options,
                extra_commands=extra,
                number_range=bounds,
                vocabulary=vocabulary,
                items=items,
            )
            book = _names(prompt)
            return answer if book is None else self._named(text, answer, book)
        answer = parse(text, kind, extra_commands=extra, vocabulary=vocabulary)
        if not isinstance(answer, Unclear):
            return answer
        number = parse(
            text, AnswerKind.NUMBER, extra_commands=extra, number_range=TYPED_WEEKS, vocabulary=vocabulary
        )
        if isinstance(number, Number):
            return Duration(float(number.value), Qualifier.EXACT, float(number.value))
        return answer

    def _named(self, text: str, answer: Answer, book: NameBook) -> Answer:
        """A reply to a name question or the menu: a choice, command, doubt or self-harm words as they
        are; a yes or no is no name; else ``FreeText`` with the name, or ``Unclear``."""
        if isinstance(answer, Choice | Command | SelfHarm | Unsure | Done):
            return answer
        if isinstance(parse(text, AnswerKind.YES_NO, vocabulary=self.vocabulary), Yes | No):
            return UNCLEAR
        name = book.parse(text)
        return UNCLEAR if name is None else FreeText(name)


def _names(prompt: TurnLike) -> NameBook | None:
    book = getattr(prompt, "names", None)
    return book if isinstance(book, NameBook) else None


def _items(prompt: TurnLike) -> tuple[str, ...]:
    """The items of a yes/no question ("the tingling", "pads"), when the prompt has any."""
    items = getattr(prompt, "items", ())
    return tuple(str(item) for item in items)
