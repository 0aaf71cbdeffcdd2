"""How long, in weeks: "six weeks", "about three months", "a year and a half", "less than a week"."""

from collections.abc import Iterable, Sequence

from voicecare.understanding.answers import UNCLEAR, Duration, Qualifier, Unclear
from voicecare.understanding.numbers import number_to_words, read_number
from voicecare.understanding.vocabulary import DurationWords, NumberWords, Phrase

LESS_THAN_FRACTION = 0.5
"""With "less than N", the best estimate is this fraction of N ("less than a week" -> 0.5 weeks)."""


def read_duration(
    words: Sequence[str], start: int, durations: DurationWords, numbers: NumberWords
) -> tuple[Duration | Unclear, int] | None:
    """Read one length of time beginning at ``words[start]``.

    Returns ``(answer, end)`` with ``end`` the index after the last word used, or None when none starts
    there. A vague phrase ("a few weeks") reads as ``Unclear`` so that the question is asked again.
    Shape: [hedge] amount [and a half] unit [and a half], or one of the fixed phrases.
    """
    best: tuple[Duration | Unclear, int] | None = None
    fixed = _longest(words, start, durations.fixed.keys())
    if fixed is not None:
        best = Duration(durations.fixed[fixed], Qualifier.ABOUT, durations.fixed[fixed]), start + len(fixed)
    vague = _longest(words, start, durations.vague)
    if vague is not None and (best is None or start + len(vague) > best[1]):
        best = UNCLEAR, start + len(vague)
    measured = _read_measured(words, start, durations, numbers)
    if measured is not None and (best is None or measured[1] > best[1]):
        best = measured
    return best


def duration_grammar(durations: DurationWords, numbers: NumberWords) -> list[str]:
    """The duration phrases a recogniser is given: counted units, "a week", "about" forms, fixed phrases."""
    singular = {"days": "day", "weeks": "week", "months": "month", "years": "year"}
    phrases: list[str] = ["a day", "a week", "a fortnight", "a month", "a year"]
    for unit, amounts in durations.grammar_amounts.items():
        for amount in amounts:
            name = singular.get(unit, unit) if amount == 1 else unit
            phrases.append(f"{number_to_words(amount, numbers)} {name}")
    for unit, amounts in durations.grammar_about.items():
        for amount in amounts:
            phrases.append(f"about {number_to_words(amount, numbers)} {unit}")
    phrases.extend(" ".join(p) for p in durations.grammar_phrases)
    phrases.extend(" ".join(p) for p in durations.fixed)
    return list(dict.fromkeys(phrases))


def _read_measured(
    words: Sequence[str], start: int, durations: DurationWords, numbers: NumberWords
) -> tuple[Duration, int] | None:
    qualifier_phrase = _longest(words, start, durations.qualifiers.keys())
    qualifier = Qualifier.EXACT if qualifier_phrase is None else durations.qualifiers[qualifier_phrase]
    at = start if qualifier_phrase is None else start + len(qualifier_phrase)
    amount: float
    number = read_number(words, at, numbers)
    amount_phrase = _longest(words, at, durations.amounts.keys())
    if number is not None and (amount_phrase is None or number[1] - at >= len(amount_phrase)):
        amount, at = float(number[0]), number[1]
    elif amount_phrase is not None:
        amount, at = durations.amounts[amount_phrase], at + len(amount_phrase)
    else:
        return None
    halved = _starts_with(words, at, durations.half)
    if halved:
        amount, at = amount + 0.5, at + len(durations.half)
    if at >= len(words) or words[at] not in durations.units:
        return None
    stated = amount * durations.units[words[at]]
    at += 1
    if not halved and _starts_with(words, at, durations.half):
        stated, at = stated + 0.5 * durations.units[words[at - 1]], at + len(durations.half)
    if stated <= 0:
        return None
    weeks = stated * LESS_THAN_FRACTION if qualifier is Qualifier.LESS_THAN else stated
    return Duration(round(weeks, 3), qualifier, round(stated, 3)), at


def _starts_with(words: Sequence[str], start: int, phrase: Phrase) -> bool:
    return tuple(words[start : start + len(phrase)]) == phrase


def _longest(words: Sequence[str], start: int, phrases: Iterable[Phrase]) -> Phrase | None:
    best: Phrase | None = None
    for phrase in phrases:
        if _starts_with(words, start, phrase) and (best is None or len(phrase) > len(best)):
            best = phrase
    return best
