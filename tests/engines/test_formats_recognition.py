"""Tier 3: one real recording in every WAV/FLAC/AIFF encoding of tests/data/formats/, read and recognised.

``read_wav`` converts each file to 16 kHz mono int16; the recogniser must then hear the same words in
every encoding, under a grammar where near misses ("one two", "three two one", single digits) compete.
The recording pauses about 0.6 s between its words, which the endpointer takes as the end of an answer,
so each file is decoded whole in one session.
"""

from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import DATA
from voicecare.audio.pcm import split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.errors import AudioFileError
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from voicecare.recognition.ports import Heard

DIGITS = ("zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ONE_TWO_THREE_TURN = ("one two three", "one two", "three two one", "two three", *DIGITS)
FORMATS = sorted((DATA / "formats").glob("*.wav"))


@pytest.fixture(scope="module")
def recognizer() -> PocketsphinxRecognizer:
    return PocketsphinxRecognizer.load()


@pytest.mark.parametrize("path", FORMATS, ids=[p.name for p in FORMATS])
def test_every_encoding_is_heard_as_one_two_three(recognizer: PocketsphinxRecognizer, path: Path) -> None:
    heard = decode(recognizer, read_wav(path), ONE_TWO_THREE_TURN)
    assert heard.accepted and heard.text == "one two three"


def test_the_44k_recording_is_heard_as_one_two_three(recognizer: PocketsphinxRecognizer) -> None:
    heard = decode(recognizer, read_wav(DATA / "one_two_three_44k.wav"), ONE_TWO_THREE_TURN)
    assert heard.accepted and heard.text == "one two three"


def decode(recognizer: PocketsphinxRecognizer, pcm: bytes, phrases: Sequence[str]) -> Heard:
    session = recognizer.open(phrases)
    for chunk in split_chunks(pcm):
        session.feed(chunk)
    return session.finish()


def test_flac_and_aiff_are_refused_with_a_domain_error() -> None:
    for path in sorted((DATA / "formats").glob("*.[fa]*")):
        with pytest.raises(AudioFileError, match="WAV"):
            read_wav(path)


def test_a_long_digit_string_beats_near_misses(recognizer: PocketsphinxRecognizer) -> None:
    said = "one zero zero zero one nine oh two one oh zero one eight zero three"
    near_misses = [
        "one zero zero zero one nine oh two one oh zero one eight zero two",
        "one zero zero one one nine oh two one oh zero one eight zero three",
        "one zero zero zero one five oh two one oh zero one eight zero three",
        "one zero zero zero one nine oh two one oh",
    ]
    assert decode(recognizer, read_wav(DATA / "digits_16k.wav"), [said, *near_misses]).text == said
