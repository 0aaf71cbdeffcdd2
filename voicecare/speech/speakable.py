"""Text as it should be read aloud: phone numbers digit by digit ("911" is "nine one one").

Printed text (what the JSON events and the text mode show) keeps its digits; only the synthesiser gets
the spoken form. Numbers of one or two digits ("52 years") are left for the synthesiser to read.
"""

import re

_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_PHONE = re.compile(r"\b\d{3,}(?: \d{3,})*\b")


def speakable(text: str) -> str:
    """``text`` with every run of three or more digits read digit by digit, groups apart by commas."""
    return _PHONE.sub(_spell, text)


def _spell(match: re.Match[str]) -> str:
    return ", ".join(" ".join(_DIGITS[int(d)] for d in group) for group in match.group(0).split(" "))
