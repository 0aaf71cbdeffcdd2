"""Pronunciations from the CMU dictionary file, looked up on demand instead of loaded whole.

pocketsphinx loads a dictionary given at start into memory, all of cmudict-en-us; voicecare's grammars
use a few hundred words. So the decoders start with a one-word dictionary and each turn's new words are
added with their pronunciations from here: one pass over the file per batch of new words, keeping
nothing of it afterwards (sizes and times in docs/measurements.md).
"""

from collections.abc import Collection
from pathlib import Path


def lookup_pronunciations(dictionary: Path, words: Collection[str]) -> dict[str, list[str]]:
    """Every pronunciation (ARPABET phones, space separated, in the file's order) of each of ``words``
    found in the CMU-format ``dictionary`` file; words not in it are left out."""
    wanted = set(words)
    found: dict[str, list[str]] = {}
    if not wanted:
        return found
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            entry, _, phones = line.partition(" ")
            word = entry.split("(", 1)[0]
            if word in wanted:
                found.setdefault(word, []).append(" ".join(phones.split()))
    return found
