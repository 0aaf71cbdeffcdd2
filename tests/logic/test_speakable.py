"""Tier 1: phone numbers are read digit by digit; small numbers are left alone."""

import pytest

from voicecare.speech.speakable import speakable


@pytest.mark.parametrize(
    ("printed", "spoken"),
    [
        ("Call 911 now.", "Call nine one one now."),
        ("Samaritans on 116 123, or NHS 111", "Samaritans on one one six, one two three, or NHS one one one"),
        ("call or text 988;", "call or text nine eight eight;"),
        ("You said 52. Is that right?", "You said 52. Is that right?"),
        ("about 6 weeks", "about 6 weeks"),
    ],
)
def test_speakable(printed: str, spoken: str) -> None:
    assert speakable(printed) == spoken
