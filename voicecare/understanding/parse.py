"""Text -> typed ``Answer`` for each kind of turn (yes/no, number, duration, choice, free).

One parser serves typed and recognised text: a recognised phrase is always one of the turn's grammar
phrases, and typed text is forgiven its case, punctuation, fillers ("um", "I think") and harmless extra
words. Order of precedence: self-harm words, then commands (only as the whole utterance), then the answers
the turn accepts. A mix of answers ("yes... actually no") is ``Unclear``, never resolved towards no; a no
with anything unexplained beside it is ``Unclear`` too; a no mixed only with doubt ("no, not sure") is
``Unsure``.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from voicecare.recognition.ports import Heard
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
    FreeText,
    No,
    Number,
    SelfHarm,
    Unclear,
    Unsure,
)
from voicecare.understanding.durations import read_duration
from voicecare.understanding.numbers import read_number
from voicecare.understanding.safety_spotting import find_self_harm
from voicecare.understanding.vocabulary import BREAK, Phrase, Vocabulary, default_vocabulary, phrase_of

TurnKind = Literal["yes_no", "number", "duration", "choice", "free"]
"""How a turn's replies are understood. ``number`` is an age in years; ``duration`` is in weeks."""

TURN_KINDS: tuple[TurnKind, ...] = ("yes_no", "number", "duration", "choice", "free")


class OptionLike(Protocol):
    """One option of a choice turn: its ``id`` and the phrases that pick it."""

    @property
    def id(self) -> str: ...

    @property
    def phrases(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class ChoiceOption:
    """One option of a choice turn: ``id`` comes back in ``Choice``; ``phrases`` are its spoken forms."""

    id: str
    phrases: tuple[str, ...]


Reader = Callable[[Sequence[str], int], tuple[Answer, int] | None]
"""Reads one answer starting at a word index: ``(answer, end)`` or None."""


@dataclass(frozen=True)
class TurnPhrases:
    """What a turn listens for: whole phrases (None marks a filler) and readers of numbers or durations."""

    table: dict[Phrase, Answer | None]
    readers: tuple[Reader, ...]

    @property
    def longest(self) -> int:
        """Words in the longest phrase of ``table``."""
        return max((len(p) for p in self.table), default=0)


def active_commands(vocabulary: Vocabulary, extra: Collection[CommandName] = ()) -> list[CommandName]:
    """The global commands plus ``extra`` (e.g. skip and time_left in an exercise), in a stable order."""
    return [c.name for c in vocabulary.commands.values() if c.is_global or c.name in extra]


def turn_phrases(
    kind: TurnKind,
    options: Sequence[OptionLike] = (),
    extra_commands: Collection[CommandName] = (),
    vocabulary: Vocabulary | None = None,
) -> TurnPhrases:
    """The phrase table and readers for one kind of turn. Later entries win: options beat commands."""
    vocabulary = vocabulary or default_vocabulary()
    if kind not in TURN_KINDS:
        raise ValueError(f"unknown turn kind {kind!r}; use one of {', '.join(TURN_KINDS)}")
    if kind == "choice" and not options:
        raise ValueError("a choice turn needs options")
    table: dict[Phrase, Answer | None] = dict.fromkeys(vocabulary.fillers)
    for name in active_commands(vocabulary, extra_commands):
        table.update(dict.fromkeys(vocabulary.commands[name].phrases, Command(name)))
    table.update(dict.fromkeys(vocabulary.unsure, UNSURE))
    readers: tuple[Reader, ...] = ()
    if kind == "yes_no":
        table.update(dict.fromkeys(vocabulary.yes, YES))
        table.update(dict.fromkeys(vocabulary.no, NO))
    elif kind == "number":
        numbers = vocabulary.numbers

        def number_reader(words: Sequence[str], start: int) -> tuple[Answer, int] | None:
            found = read_number(words, start, numbers)
            return None if found is None else (Number(found[0]), found[1])

        readers = (number_reader,)
    elif kind == "duration":
        durations, numbers = vocabulary.durations, vocabulary.numbers

        def duration_reader(words: Sequence[str], start: int) -> tuple[Answer, int] | None:
            return read_duration(words, start, durations, numbers)

        readers = (duration_reader,)
    elif kind == "choice":
        for option in options:
            for text in option.phrases:
                phrase = phrase_of(" ".join(vocabulary.words(text)), f"option {option.id}", "turn options")
                table[phrase] = Choice(option.id)
    else:
        table.update(dict.fromkeys(vocabulary.done, DONE))
    return TurnPhrases(table, readers)


def checked_range(number_range: tuple[int, int] | None, vocabulary: Vocabulary) -> tuple[int, int]:
    """``number_range``, or the age range when None; ValueError unless 0 <= low <= high <= 999."""
    low, high = number_range or (vocabulary.numbers.age_min, vocabulary.numbers.age_max)
    if not 0 <= low <= high <= 999:
        raise ValueError(f"number range {low} to {high} must lie within 0 to 999, low first")
    return low, high


def parse(
    text: str,
    kind: TurnKind,
    options: Sequence[OptionLike] = (),
    *,
    extra_commands: Collection[CommandName] = (),
    number_range: tuple[int, int] | None = None,
    vocabulary: Vocabulary | None = None,
) -> Answer:
    """Understand ``text`` (typed, or a recognised phrase) as a reply to a turn of ``kind``.

    ``options`` are the choices of a ``choice`` turn. ``extra_commands`` adds non-global commands (skip,
    time_left) to the global ones. ``number_range`` (inclusive) bounds a number turn, by default the age
    range of phrases.toml (0 to 110 years); a number outside it is ``Unclear``. Empty text is ``Unclear``;
    ``Silence`` comes only from ``understand``.
    """
    vocabulary = vocabulary or default_vocabulary()
    trigger = find_self_harm(vocabulary.words(text), vocabulary.self_harm)
    if trigger is not None:
        return SelfHarm(" ".join(trigger))
    words = vocabulary.words(text, keep_breaks=True)
    if all(word == BREAK for word in words):
        return UNCLEAR
    phrases = turn_phrases(kind, options, extra_commands, vocabulary)
    found, leftovers = _scan(words, phrases)
    if kind == "free":
        only = found[0] if len(set(found)) == 1 and not leftovers else None
        return only if isinstance(only, Command | Done | Unsure) else FreeText(text.strip())
    answer = _decide(found, leftovers, vocabulary.negators)
    if isinstance(answer, Number) and kind == "number":
        low, high = checked_range(number_range, vocabulary)
        return answer if low <= answer.value <= high else UNCLEAR
    return answer


def understand(
    heard: Heard,
    kind: TurnKind,
    options: Sequence[OptionLike] = (),
    *,
    extra_commands: Collection[CommandName] = (),
    number_range: tuple[int, int] | None = None,
    vocabulary: Vocabulary | None = None,
) -> Answer:
    """What a recogniser's result means: ``Silence`` on timeout, ``Unclear`` if rejected, else parsed."""
    if heard.timed_out:
        return SILENCE
    if heard.rejected:
        return UNCLEAR
    extra, bounds = extra_commands, number_range
    return parse(heard.text, kind, options, extra_commands=extra, number_range=bounds, vocabulary=vocabulary)


def _scan(words: Sequence[str], phrases: TurnPhrases) -> tuple[list[Answer], list[str]]:
    """Read ``words`` left to right, taking the longest phrase or reading at each point; fillers and breaks
    are dropped.

    Returns the answers found, in order, and the words that matched nothing.
    """
    found: list[Answer] = []
    leftovers: list[str] = []
    longest = phrases.longest
    at = 0
    while at < len(words):
        if words[at] == BREAK:
            at += 1
            continue
        best: tuple[Answer | None, int] | None = None
        for length in range(min(longest, len(words) - at), 0, -1):
            phrase = tuple(words[at : at + length])
            if phrase in phrases.table:
                best = phrases.table[phrase], at + length
                break
        for reader in phrases.readers:
            read = reader(words, at)
            if read is not None and (best is None or read[1] > best[1]):
                best = read
        if best is None:
            leftovers.append(words[at])
            at += 1
            continue
        if best[0] is not None:
            found.append(best[0])
        at = best[1]
    return found, leftovers


def _decide(found: Sequence[Answer], leftovers: Sequence[str], negators: Collection[str]) -> Answer:
    distinct = list(dict.fromkeys(found))
    if set(distinct) == {NO, UNSURE}:
        return UNSURE
    if len(distinct) != 1:
        return UNCLEAR
    answer = distinct[0]
    if isinstance(answer, Unsure | Unclear):
        return answer
    if isinstance(answer, Command | No):
        return UNCLEAR if leftovers else answer
    if any(word in negators for word in leftovers):
        return UNCLEAR
    return answer
