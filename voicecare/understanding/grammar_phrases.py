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

from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import CommandName
from voicecare.understanding.parse import OptionLike, active_commands, joined, spoken_answers, spoken_items
from voicecare.understanding.vocabulary import Vocabulary, default_vocabulary


def grammar_phrases(
    kind: AnswerKind,
    options: Sequence[OptionLike] | None = None,
    *,
    extra_commands: Collection[CommandName] = (),
    number_range: tuple[int, int] | None = None,
    vocabulary: Vocabulary | None = None,
    items: Sequence[str] = (),
) -> list[str]:
    """The phrases for a recogniser in a turn of ``kind`` (``options`` for a choice turn), without repeats.

    ``number_range`` (inclusive) is the numbers of a number turn, by default ages 0 to 110.
    A ``free`` turn is open: it needs a recogniser without a grammar, and this list holds only the phrases
    that mean something there ("done", "not sure", the commands). ``items`` of a yes/no turn add its
    items of one or two words ("tingling", "pads").
    """
    vocabulary = vocabulary or default_vocabulary()
    phrases = spoken_answers(kind, options or (), number_range, vocabulary)
    if kind is AnswerKind.YES_NO:
        phrases += spoken_items(items, vocabulary)
    phrases += joined(vocabulary.spoken_unsure)
    for name in active_commands(vocabulary, extra_commands):
        phrases += joined(vocabulary.commands[name].spoken)
    return list(dict.fromkeys(phrases))
