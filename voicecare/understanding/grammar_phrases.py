"""The exact phrase list a recogniser is given for one turn: every phrase the turn accepts plus the commands.

For answers and commands, a recogniser is given the spoken subsets chosen in phrases.toml's [grammar] and
commands.toml's ``spoken`` (typed text accepts every phrasing); numbers, durations and options in full.

Phrases are lower-case words separated by spaces, with no punctuation but the apostrophe inside a word
("don't"); every word is in pocketsphinx's en-US dictionary. Self-harm words are not in these lists: a
recogniser spots them alongside (see ``safety_spotting.self_harm_keyphrases``). Sizes with the shipped
phrases: a yes/no turn 80 phrases, an age turn about 170 (the 111 numbers 0 to 110, the "a hundred" and
"one hundred" forms, 20 doubts, 27 commands), a duration turn about 160.
"""

from collections.abc import Collection, Sequence

from voicecare.understanding.answers import CommandName
from voicecare.understanding.durations import duration_grammar
from voicecare.understanding.numbers import number_to_words
from voicecare.understanding.parse import OptionLike, TurnKind, active_commands, checked_range
from voicecare.understanding.vocabulary import Phrase, Vocabulary, default_vocabulary


def grammar_phrases(
    kind: TurnKind,
    options: Sequence[OptionLike] | None = None,
    *,
    extra_commands: Collection[CommandName] = (),
    number_range: tuple[int, int] | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[str]:
    """The phrases for a recogniser in a turn of ``kind`` (``options`` for a choice turn), without repeats.

    ``number_range`` (inclusive) is the numbers of a number turn, by default ages 0 to 110.
    A ``free`` turn is open: it needs a recogniser without a grammar, and this list holds only the phrases
    that mean something there ("done", "not sure", the commands).
    """
    vocabulary = vocabulary or default_vocabulary()
    phrases: list[str] = []
    if kind == "yes_no":
        phrases += _joined(vocabulary.spoken_yes + vocabulary.spoken_no)
    elif kind == "number":
        numbers = vocabulary.numbers
        low, high = checked_range(number_range, vocabulary)
        phrases += [number_to_words(n, numbers) for n in range(low, high + 1)]
        for one in sorted(numbers.one_before_hundred):
            for n in range(max(100, low), min(199, high) + 1):
                rest = "" if n == 100 else f" {numbers.joiner} {number_to_words(n - 100, numbers)}"
                phrases.append(f"{one} {numbers.hundred}{rest}")
    elif kind == "duration":
        phrases += duration_grammar(vocabulary.durations, vocabulary.numbers)
    elif kind == "choice":
        if not options:
            raise ValueError("a choice turn needs options")
        phrases += [" ".join(vocabulary.words(p)) for option in options for p in option.phrases]
    elif kind == "free":
        phrases += _joined(vocabulary.done)
    else:
        raise ValueError(f"unknown turn kind {kind!r}")
    phrases += _joined(vocabulary.spoken_unsure)
    for name in active_commands(vocabulary, extra_commands):
        phrases += _joined(vocabulary.commands[name].spoken)
    return list(dict.fromkeys(phrases))


def _joined(phrases: Sequence[Phrase]) -> list[str]:
    return [" ".join(p) for p in phrases]
