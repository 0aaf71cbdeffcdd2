"""``TurnUnderstanding``: the object a conversation asks what phrases to listen for and what a reply means.

It fits the dialogue's ``Understanding`` protocol: any prompt with ``parse_kind`` and ``options`` will do.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voicecare.understanding.answers import Answer, CommandName
from voicecare.understanding.grammar_phrases import grammar_phrases
from voicecare.understanding.parse import OptionLike, TurnKind, parse
from voicecare.understanding.vocabulary import Vocabulary, default_vocabulary


class TurnLike(Protocol):
    """A question as understanding needs it: how replies are read, and the options of a choice."""

    @property
    def parse_kind(self) -> TurnKind: ...

    @property
    def options(self) -> Sequence[OptionLike]: ...


@dataclass(frozen=True)
class TurnUnderstanding:
    """Understands replies with ``vocabulary``; ``extra_commands`` adds skip or time_left (exercises)."""

    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    extra_commands: frozenset[CommandName] = frozenset()

    def phrases(self, prompt: TurnLike) -> list[str]:
        """Every phrase accepted for ``prompt`` plus the commands: the recogniser's grammar for the turn."""
        return grammar_phrases(
            prompt.parse_kind, prompt.options, extra_commands=self.extra_commands, vocabulary=self.vocabulary
        )

    def parse(self, text: str, prompt: TurnLike) -> Answer:
        """The answer ``text`` gives to ``prompt``: ``Unclear`` when it gives none."""
        kind, extra, vocabulary = prompt.parse_kind, self.extra_commands, self.vocabulary
        return parse(text, kind, prompt.options, extra_commands=extra, vocabulary=vocabulary)
