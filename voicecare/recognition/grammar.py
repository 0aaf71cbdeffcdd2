"""Turn grammars for constrained recognition: phrase normalisation, JSGF text, pronunciation variants.

Pure logic (no engine import), shared by the engine adapters and their tests.

A turn grammar is the turn's phrases as whole alternatives, plus an optional *garbage loop*: one or more
pseudo-words, each pronounced as a single phone, that can absorb any speech the phrases do not fit.
When the decoder's best path runs through the loop, the utterance is out of grammar.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicecare.errors import EngineError

GARBAGE_PHONES = ("AA", "AH", "AY", "ER", "IY", "OW", "UW", "S", "F", "Z", "N", "M", "T", "K", "L", "R")
"""Phones of the garbage loop: one or two per broad class (vowels, fricatives, nasals, stops, liquids).
Fewer than all 39, since every one-phone word in a loop fans out into a triphone per left and right
context; the cost is in docs/measurements.md."""

GARBAGE_PREFIX = "garbage_"

NOISE_WORDS = {"garbage_noise": "+NSN+", "garbage_silence": "SIL"}
"""Pseudo-words for noise and silence, with the acoustic model's noise and silence phones."""
"""Pseudo-words of the garbage loop are named ``garbage_<phone>`` (lower case); no real word looks like it."""

_ALLOWED = re.compile(r"[^a-z0-9' ]+")
_VOWELS = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}


def normalise_phrase(phrase: str) -> str:
    """Lower-case ``phrase``, turn punctuation other than apostrophes into spaces, collapse spaces.

    Raises EngineError when nothing speakable is left.
    """
    text = _ALLOWED.sub(" ", phrase.lower().replace("\u2019", "'"))
    words = [w.strip("'") for w in text.split()]
    words = [w for w in words if w]
    if not words:
        raise EngineError(
            f"the phrase {phrase!r} has no words to listen for",
            "give each grammar phrase at least one word of letters or digits",
        )
    return " ".join(words)


def normalise_phrases(phrases: Iterable[str]) -> tuple[str, ...]:
    """Normalise every phrase, drop duplicates, keep first-seen order; raise EngineError on none."""
    seen: dict[str, None] = {}
    for phrase in phrases:
        seen.setdefault(normalise_phrase(phrase), None)
    if not seen:
        raise EngineError(
            "a listening turn was opened with no phrases", "pass at least one phrase to listen for"
        )
    return tuple(seen)


def garbage_word(phone: str) -> str:
    """The pseudo-word of the garbage loop pronounced as the single ``phone``."""
    return GARBAGE_PREFIX + phone.lower()


def is_garbage(word: str) -> bool:
    """True for a pseudo-word of the garbage loop."""
    return word.startswith(GARBAGE_PREFIX)


def accent_variants(phones: str) -> list[str]:
    """Extra pronunciations of a CMU-dictionary ``phones`` string (ARPABET, space separated) that
    British, Scottish and synthetic voices use and the American dictionary lacks.

    - non-rhotic: a final ``ER`` becomes ``AH`` ("faster" F AE S T AH), an ``R`` after a vowel and
      before a consonant or the end is dropped ("four" F AO);
    - trap-bath: ``AE`` before ``F``, ``S``, ``TH`` or ``N T``/``N S`` becomes ``AA`` ("faster" F AA S T ER).
    Returns the variants that differ from ``phones``, without duplicates, at most three.
    """
    base = phones.split()
    found: list[list[str]] = []
    non_rhotic = _non_rhotic(base)
    bath = _trap_bath(base)
    for candidate in (non_rhotic, bath, _trap_bath(non_rhotic)):
        if candidate != base and candidate not in found:
            found.append(candidate)
    return [" ".join(c) for c in found[:3]]


def _non_rhotic(phones: list[str]) -> list[str]:
    out: list[str] = []
    for i, phone in enumerate(phones):
        last = i == len(phones) - 1
        nxt = phones[i + 1] if not last else ""
        if phone == "ER" and last:
            out.append("AH")
        elif phone == "R" and out and out[-1] in _VOWELS and (last or nxt not in _VOWELS):
            continue
        else:
            out.append(phone)
    return out


def _trap_bath(phones: list[str]) -> list[str]:
    out = list(phones)
    for i, phone in enumerate(phones[:-1]):
        nxt = phones[i + 1]
        after = phones[i + 2] if i + 2 < len(phones) else ""
        if phone == "AE" and (nxt in {"F", "S", "TH"} or (nxt == "N" and after in {"T", "S"})):
            out[i] = "AA"
    return out


@dataclass(frozen=True)
class GrammarSpec:
    """What a turn grammar holds: its normalised ``phrases`` and the garbage loop's weight.

    ``garbage_weight`` is the JSGF weight of the garbage alternative against 1.0 for the phrases (0 turns
    the loop off); ``garbage_phones`` are the phones of the loop.
    """

    phrases: tuple[str, ...]
    garbage_weight: float = 0.0
    garbage_phones: tuple[str, ...] = GARBAGE_PHONES
    noise_weight: float = 0.0
    """JSGF weight of a loop of noise and silence only (``NOISE_WORDS``); 0 turns it off."""


def build_jsgf(spec: GrammarSpec, name: str = "turn") -> str:
    """JSGF text with one public rule: any one phrase of ``spec``, or the garbage loop, or noise only."""
    phrases = " | ".join(f"( {p} )" for p in spec.phrases)
    lines = ["#JSGF V1.0;", f"grammar {name};"]
    alternatives = ["/1.0/ <phrase>"]
    rules = [f"<phrase> = {phrases};"]
    if spec.garbage_weight > 0:
        loop = " | ".join(garbage_word(p) for p in spec.garbage_phones)
        alternatives.append(f"/{spec.garbage_weight:.3g}/ <garbage>")
        rules.append(f"<garbage> = ( {loop} )+;")
    if spec.noise_weight > 0:
        alternatives.append(f"/{spec.noise_weight:.3g}/ <noise>")
        rules.append(f"<noise> = ( {' | '.join(NOISE_WORDS)} )+;")
    lines.append(f"public <{name}> = {' | '.join(alternatives)};")
    lines.extend(rules)
    return "\n".join(lines) + "\n"


def build_phone_loop_jsgf(phones: Sequence[str] = GARBAGE_PHONES, name: str = "phones") -> str:
    """JSGF text of an unconstrained loop of the one-phone pseudo-words of ``phones``: the reference
    path that a phrase's acoustic score is compared with."""
    loop = " | ".join(garbage_word(p) for p in phones)
    return f"#JSGF V1.0;\ngrammar {name};\npublic <{name}> = ( {loop} )+;\n"


def words_of(phrases: Sequence[str]) -> list[str]:
    """The distinct words of ``phrases``, in first-seen order."""
    seen: dict[str, None] = {}
    for phrase in phrases:
        for word in phrase.split():
            seen.setdefault(word, None)
    return list(seen)
