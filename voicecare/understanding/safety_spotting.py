"""Spotting words of self-harm or hopelessness ("kill myself", "no point going on") in any text.

Spotting runs before any other understanding, in every kind of turn. The trigger phrases live in
content/safety.toml; for a recogniser they are keyphrases to spot alongside the turn's grammar rather than
phrases forced into every grammar; only the few of safety.toml `spoken` join each question's grammar
(``TurnUnderstanding.phrases``).
"""

from collections.abc import Sequence

from voicecare.understanding.vocabulary import Phrase, Vocabulary, default_vocabulary


def find_self_harm(words: Sequence[str], triggers: Sequence[Phrase]) -> Phrase | None:
    """The first trigger phrase found as consecutive ``words`` (the longest at a position), or None."""
    for start in range(len(words)):
        found = [t for t in triggers if tuple(words[start : start + len(t)]) == t]
        if found:
            return max(found, key=len)
    return None


def spot_self_harm(text: str, vocabulary: Vocabulary | None = None) -> bool:
    """True when typed or recognised ``text`` holds a self-harm trigger phrase, whatever the case."""
    vocabulary = vocabulary or default_vocabulary()
    return find_self_harm(vocabulary.words(text), vocabulary.self_harm) is not None


def self_harm_keyphrases(vocabulary: Vocabulary | None = None) -> list[str]:
    """The trigger phrases for a recogniser to spot: lower-case words separated by spaces."""
    vocabulary = vocabulary or default_vocabulary()
    return [" ".join(p) for p in vocabulary.self_harm]
