"""Pronunciations from the CMU dictionary file, looked up on demand instead of loaded whole.

pocketsphinx loads a dictionary given at start into memory, all of cmudict-en-us; voicecare's grammars
use a few hundred words. So the decoders start with a one-word dictionary and each turn's new words are
added with their pronunciations from here: one pass over the file per batch of new words, keeping
nothing of it afterwards (sizes and times in docs/measurements.md).
"""

import importlib.util
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


def default_dictionary() -> Path | None:
    """The CMU dictionary file of the installed pocketsphinx wheel, found without importing pocketsphinx;
    None when pocketsphinx or its English model is not installed."""
    spec = importlib.util.find_spec("pocketsphinx")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "model" / "en-us" / "cmudict-en-us.dict"
        if path.is_file():
            return path
    return None


_KNOWN: dict[tuple[Path, str], bool] = {}


def known_words(words: Collection[str], dictionary: Path | None = None) -> frozenset[str]:
    """Those of ``words`` that ``dictionary`` (by default ``default_dictionary()``) pronounces; none when
    there is no dictionary. Each word is looked up once per process."""
    path = dictionary or default_dictionary()
    if path is None:
        return frozenset()
    new = [word for word in dict.fromkeys(words) if (path, word) not in _KNOWN]
    if new:
        found = lookup_pronunciations(path, new)
        _KNOWN.update({(path, word): word in found for word in new})
    return frozenset(word for word in words if _KNOWN[(path, word)])
