"""Whole numbers in words and digits: "fifty two", "fifty-two", "a hundred and five", "52" <-> ints."""

from collections.abc import Sequence

from voicecare.understanding.vocabulary import NumberWords


def read_number(words: Sequence[str], start: int, numbers: NumberWords) -> tuple[int, int] | None:
    """Read one whole number beginning at ``words[start]``.

    Returns ``(value, end)`` where ``end`` is the index after the last word used, or None when no number
    starts there. Reads digits ("52"), 0 to 99 in words, and hundreds ("a hundred and five", "one hundred
    five", "two hundred"). Two numbers side by side ("fifteen fifty") are read as two numbers.
    """
    if start >= len(words):
        return None
    word = words[start]
    if word.isdigit():
        return int(word), start + 1
    hundreds = _read_hundreds(words, start, numbers)
    if hundreds is not None:
        return hundreds
    return _read_below_hundred(words, start, numbers)


def number_to_words(value: int, numbers: NumberWords) -> str:
    """The canonical spoken form of ``value`` (0 to 999): 52 -> "fifty two", 105 -> "one hundred and five".

    Where a number has several words ("zero", "nought"), the first in phrases.toml is used.
    """
    if not 0 <= value <= 999:
        raise ValueError(f"{value} is outside 0 to 999")
    units: dict[int, str] = {}
    tens: dict[int, str] = {}
    for word, number in numbers.units.items():
        units.setdefault(number, word)
    for word, number in numbers.tens.items():
        tens.setdefault(number, word)
    one = "one" if "one" in numbers.one_before_hundred else sorted(numbers.one_before_hundred)[0]

    def below_hundred(n: int) -> str:
        if n < 20:
            return units[n]
        return tens[n - n % 10] + ("" if n % 10 == 0 else " " + units[n % 10])

    if value < 100:
        return below_hundred(value)
    head = f"{one if value < 200 else units[value // 100]} {numbers.hundred}"
    rest = value % 100
    return head if rest == 0 else f"{head} {numbers.joiner} {below_hundred(rest)}"


def _read_below_hundred(words: Sequence[str], start: int, numbers: NumberWords) -> tuple[int, int] | None:
    word = words[start]
    if word in numbers.tens:
        value = numbers.tens[word]
        following = words[start + 1] if start + 1 < len(words) else ""
        unit = numbers.units.get(following)
        if unit is not None and 1 <= unit <= 9:
            return value + unit, start + 2
        return value, start + 1
    if word in numbers.units:
        return numbers.units[word], start + 1
    return None


def _read_hundreds(words: Sequence[str], start: int, numbers: NumberWords) -> tuple[int, int] | None:
    word = words[start]
    if word == numbers.hundred:
        count, at = 1, start + 1
    elif start + 1 < len(words) and words[start + 1] == numbers.hundred:
        if word in numbers.one_before_hundred:
            count = 1
        elif 1 <= numbers.units.get(word, 0) <= 9:
            count = numbers.units[word]
        else:
            return None
        at = start + 2
    else:
        return None
    value = count * 100
    after = at + 1 if at < len(words) and words[at] == numbers.joiner else at
    rest = _read_below_hundred(words, after, numbers) if after < len(words) else None
    if rest is not None and 1 <= rest[0] <= 99:
        return value + rest[0], rest[1]
    return value, at
