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
from typing import Protocol

from voicecare.recognition.ports import Heard
from voicecare.recognition.pronunciations import known_words
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
    FreeText,
    No,
    Number,
    SelfHarm,
    Unclear,
    Unsure,
)
from voicecare.understanding.durations import duration_grammar, read_duration
from voicecare.understanding.numbers import number_to_words, read_number
from voicecare.understanding.safety_spotting import find_self_harm
from voicecare.understanding.vocabulary import BREAK, Phrase, Vocabulary, default_vocabulary, phrase_of


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
    kind: AnswerKind,
    options: Sequence[OptionLike] = (),
    extra_commands: Collection[CommandName] = (),
    vocabulary: Vocabulary | None = None,
    items: Sequence[str] = (),
) -> TurnPhrases:
    """The phrase table and readers for one kind of turn. Later entries win: options beat commands.
    ``items`` of a yes/no turn are yes, but never take the place of an answer or a command."""
    vocabulary = vocabulary or default_vocabulary()
    rule = KIND_RULES[kind]
    _check_options(kind, options)
    table: dict[Phrase, Answer | None] = dict.fromkeys(vocabulary.fillers)
    for name in active_commands(vocabulary, extra_commands):
        table.update(dict.fromkeys(vocabulary.commands[name].phrases, Command(name)))
    table.update(dict.fromkeys(vocabulary.unsure, UNSURE))
    table.update(rule.answers(vocabulary, options))
    if kind is AnswerKind.YES_NO:
        for phrase in item_phrases(items, vocabulary):
            if table.get(phrase) is None:
                table[phrase] = YES
    return TurnPhrases(table, rule.readers(vocabulary))


MAX_SPOKEN_ITEM_WORDS = 2
"""Items of a yes/no question given to a recogniser: single words and two-word forms only (a small grammar);
longer items are understood in typed text."""


def item_phrases(items: Sequence[str], vocabulary: Vocabulary) -> list[Phrase]:
    """The items of a yes/no question ("the tingling", "pads") as phrases, each naming the item: a yes."""
    return [phrase_of(" ".join(vocabulary.words(item)), "item", "the question's items") for item in items]


def spoken_items(items: Sequence[str], vocabulary: Vocabulary) -> list[str]:
    """The items a recogniser listens for in a yes/no turn: those of at most ``MAX_SPOKEN_ITEM_WORDS``
    whose every word is in the pocketsphinx dictionary (``known_words``); others are understood when typed."""
    short = [p for p in item_phrases(items, vocabulary) if len(p) <= MAX_SPOKEN_ITEM_WORDS]
    known = known_words({word for phrase in short for word in phrase})
    return joined([p for p in short if all(word in known for word in p)])


def spoken_answers(
    kind: AnswerKind,
    options: Sequence[OptionLike],
    number_range: tuple[int, int] | None,
    vocabulary: Vocabulary,
) -> list[str]:
    """The answers a recogniser listens for in a turn of ``kind`` (``grammar_phrases`` adds doubts and
    commands); ``number_range`` is the numbers of a number turn."""
    _check_options(kind, options)
    return KIND_RULES[kind].spoken(vocabulary, options, number_range)


def _check_options(kind: AnswerKind, options: Sequence[OptionLike]) -> None:
    if kind is AnswerKind.CHOICE and not options:
        raise ValueError("a choice turn needs options")


@dataclass(frozen=True)
class KindRule:
    """What one kind of turn accepts: ``answers`` (whole phrases of typed or recognised text and their
    meaning), ``readers`` (of numbers or durations) and ``spoken`` (the answers given to a recogniser)."""

    answers: Callable[[Vocabulary, Sequence[OptionLike]], dict[Phrase, Answer]]
    readers: Callable[[Vocabulary], tuple[Reader, ...]]
    spoken: Callable[[Vocabulary, Sequence[OptionLike], tuple[int, int] | None], list[str]]


def _no_answers(vocabulary: Vocabulary, options: Sequence[OptionLike]) -> dict[Phrase, Answer]:
    return {}


def _no_readers(vocabulary: Vocabulary) -> tuple[Reader, ...]:
    return ()


def _yes_no(vocabulary: Vocabulary, options: Sequence[OptionLike]) -> dict[Phrase, Answer]:
    return {**dict.fromkeys(vocabulary.yes, YES), **dict.fromkeys(vocabulary.no, NO)}


def _spoken_yes_no(
    vocabulary: Vocabulary, options: Sequence[OptionLike], number_range: tuple[int, int] | None
) -> list[str]:
    return joined(vocabulary.spoken_yes + vocabulary.spoken_no)


def _number_readers(vocabulary: Vocabulary) -> tuple[Reader, ...]:
    numbers = vocabulary.numbers

    def number_reader(words: Sequence[str], start: int) -> tuple[Answer, int] | None:
        found = read_number(words, start, numbers)
        return None if found is None else (Number(found[0]), found[1])

    return (number_reader,)


def _spoken_numbers(
    vocabulary: Vocabulary, options: Sequence[OptionLike], number_range: tuple[int, int] | None
) -> list[str]:
    numbers = vocabulary.numbers
    low, high = checked_range(number_range, vocabulary)
    phrases = [number_to_words(n, numbers) for n in range(low, high + 1)]
    for one in sorted(numbers.one_before_hundred):
        for n in range(max(100, low), min(199, high) + 1):
            rest = "" if n == 100 else f" {numbers.joiner} {number_to_words(n - 100, numbers)}"
            phrases.append(f"{one} {numbers.hundred}{rest}")
    return phrases


def _duration_readers(vocabulary: Vocabulary) -> tuple[Reader, ...]:
    durations, numbers = vocabulary.durations, vocabulary.numbers

    def duration_reader(words: Sequence[str], start: int) -> tuple[Answer, int] | None:
        return read_duration(words, start, durations, numbers)

    return (duration_reader,)


def _spoken_durations(
    vocabulary: Vocabulary, options: Sequence[OptionLike], number_range: tuple[int, int] | None
) -> list[str]:
    return duration_grammar(vocabulary.durations, vocabulary.numbers)


def _choices(vocabulary: Vocabulary, options: Sequence[OptionLike]) -> dict[Phrase, Answer]:
    table: dict[Phrase, Answer] = {}
    for option in options:
        for text in option.phrases:
            phrase = phrase_of(" ".join(vocabulary.words(text)), f"option {option.id}", "turn options")
            table[phrase] = Choice(option.id)
    return table


def _spoken_choices(
    vocabulary: Vocabulary, options: Sequence[OptionLike], number_range: tuple[int, int] | None
) -> list[str]:
    return [" ".join(vocabulary.words(p)) for option in options for p in option.phrases]


def _done(vocabulary: Vocabulary, options: Sequence[OptionLike]) -> dict[Phrase, Answer]:
    return dict.fromkeys(vocabulary.done, DONE)


def _spoken_done(
    vocabulary: Vocabulary, options: Sequence[OptionLike], number_range: tuple[int, int] | None
) -> list[str]:
    return joined(vocabulary.done)


KIND_RULES: dict[AnswerKind, KindRule] = {
    AnswerKind.YES_NO: KindRule(_yes_no, _no_readers, _spoken_yes_no),
    AnswerKind.NUMBER: KindRule(_no_answers, _number_readers, _spoken_numbers),
    AnswerKind.DURATION: KindRule(_no_answers, _duration_readers, _spoken_durations),
    AnswerKind.CHOICE: KindRule(_choices, _no_readers, _spoken_choices),
    AnswerKind.FREE: KindRule(_done, _no_readers, _spoken_done),
}
"""The one place each kind of turn is described, for parsing and for the recogniser's grammar alike."""


def joined(phrases: Sequence[Phrase]) -> list[str]:
    """Phrases as space-separated text."""
    return [" ".join(p) for p in phrases]


def checked_range(number_range: tuple[int, int] | None, vocabulary: Vocabulary) -> tuple[int, int]:
    """``number_range``, or the age range when None; ValueError unless 0 <= low <= high <= 999."""
    low, high = number_range or (vocabulary.numbers.age_min, vocabulary.numbers.age_max)
    if not 0 <= low <= high <= 999:
        raise ValueError(f"number range {low} to {high} must lie within 0 to 999, low first")
    return low, high


def parse(
    text: str,
    kind: AnswerKind,
    options: Sequence[OptionLike] = (),
    *,
    extra_commands: Collection[CommandName] = (),
    number_range: tuple[int, int] | None = None,
    vocabulary: Vocabulary | None = None,
    items: Sequence[str] = (),
) -> Answer:
    """Understand ``text`` (typed, or a recognised phrase) as a reply to a turn of ``kind``.

    ``options`` are the choices of a ``choice`` turn. ``extra_commands`` adds non-global commands (skip,
    time_left) to the global ones. ``number_range`` (inclusive) bounds a number turn, by default the age
    range of phrases.toml (0 to 110 years); a number outside it is ``Unclear``. Empty text is ``Unclear``;
    ``Silence`` comes only from ``understand``. ``items`` of a yes/no turn name what the question asks
    about ("the tingling"): naming one is a yes, unless a no or a word of negation goes with it.
    """
    vocabulary = vocabulary or default_vocabulary()
    trigger = find_self_harm(vocabulary.words(text), vocabulary.self_harm)
    if trigger is not None:
        return SelfHarm(" ".join(trigger))
    words = vocabulary.words(text, keep_breaks=True)
    if all(word == BREAK for word in words):
        return UNCLEAR
    phrases = turn_phrases(kind, options, extra_commands, vocabulary, items)
    found, leftovers = _scan(words, phrases)
    if kind is AnswerKind.FREE:
        only = found[0] if len(set(found)) == 1 and not leftovers else None
        return only if isinstance(only, Command | Done | Unsure) else FreeText(text.strip())
    answer = _decide(found, leftovers, vocabulary.negators)
    if isinstance(answer, Number) and kind is AnswerKind.NUMBER:
        low, high = checked_range(number_range, vocabulary)
        return answer if low <= answer.value <= high else UNCLEAR
    return answer


def understand(
    heard: Heard,
    kind: AnswerKind,
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
