"""Tier 1: pronunciations looked up in the real CMU dictionary file of the pocketsphinx wheel."""

from voicecare.recognition.pocketsphinx_engine import model_dir
from voicecare.recognition.pronunciations import lookup_pronunciations

DICTIONARY = model_dir() / "cmudict-en-us.dict"


def test_every_pronunciation_of_a_word_is_found_in_order() -> None:
    found = lookup_pronunciations(DICTIONARY, ["don't", "no"])
    assert found == {"don't": ["D OW N T", "D OW N"], "no": ["N OW"]}


def test_words_not_in_the_dictionary_are_left_out() -> None:
    assert lookup_pronunciations(DICTIONARY, ["yes", "xqzzyv"]) == {"yes": ["Y EH S"]}


def test_no_words_reads_nothing() -> None:
    assert lookup_pronunciations(DICTIONARY, []) == {}
