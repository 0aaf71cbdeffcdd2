"""Cutting text into pieces for the synthesiser: sentences first, long sentences at clauses, then words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicecare.speech.sentences import MAX_PIECE_CHARS, split_for_speech, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("", []),
        ("   \n ", []),
        ("Yes.", ["Yes."]),
        ("Hello there. How are you? Fine!", ["Hello there.", "How are you?", "Fine!"]),
        ("Dr. Smith will call. Take 2.5 mg now.", ["Dr. Smith will call.", "Take 2.5 mg now."]),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("Rest a while.\nThen walk", ["Rest a while.", "Then walk"]),
        ("First part\n\nSecond part", ["First part", "Second part"]),
        ("Do this:\n- bend\n- stretch", ["Do this:", "- bend", "- stretch"]),
        ("no   full stop  at the end", ["no full stop at the end"]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_a_long_sentence_is_cut_at_commas_and_neighbouring_clauses_packed_up_to_the_limit() -> None:
    sentence = (
        "If the pain spreads down both legs, or you have numbness around your bottom, "
        "or you cannot control when you pass water, call your emergency number now."
    )
    pieces = split_for_speech(sentence, max_chars=80)
    assert pieces == [
        "If the pain spreads down both legs, or you have numbness around your bottom,",
        "or you cannot control when you pass water, call your emergency number now.",
    ]


def test_a_sentence_without_commas_is_cut_between_words() -> None:
    pieces = split_for_speech("word " * 60, max_chars=50)
    assert all(len(piece) <= 50 for piece in pieces)
    assert " ".join(pieces) == " ".join(["word"] * 60)


def test_short_sentences_stay_separate() -> None:
    assert split_for_speech("Yes. No.") == ["Yes.", "No."]


def test_a_word_longer_than_the_limit_stays_whole() -> None:
    assert split_for_speech("a" * 30, max_chars=10) == ["a" * 30]


text_strategy = st.lists(
    st.sampled_from([*"abcdefg XYZ.,;:!?-\n\t'\"", "Dr. ", "e.g. ", "\u2014 "]), max_size=200
).map("".join)


@given(text=text_strategy, max_chars=st.integers(min_value=5, max_value=MAX_PIECE_CHARS))
def test_pieces_keep_all_the_words_in_order_and_respect_the_limit(text: str, max_chars: int) -> None:
    pieces = split_for_speech(text, max_chars)
    assert " ".join(pieces).split() == text.split()
    for piece in pieces:
        assert piece == piece.strip() and piece
        assert len(piece) <= max_chars or " " not in piece
