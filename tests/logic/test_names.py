"""Names by voice: ``NameBook`` reads a name from typed or recognised text, and content/names.toml holds
only names the pocketsphinx dictionary pronounces (the file is kept clean, nothing is dropped at load)."""

from pathlib import Path

import pytest

from tests.logic.test_understanding_grammar import dictionary_words
from voicecare.dialogue.naming import SOMEONE_NEW, load_naming_talk
from voicecare.dialogue.prompt import Prompt
from voicecare.errors import ConfigError
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice, Command, FreeText, Unclear, Unsure
from voicecare.understanding.names import NAMES_FILE, NameBook, load_name_words, typed_name
from voicecare.understanding.turn_understanding import TurnUnderstanding

BOOK = NameBook.for_household(["Siobhan", "Ann Lee"])


def test_every_name_of_the_file_is_pronounceable_and_there_are_a_few_hundred() -> None:
    words = load_name_words()
    known = dictionary_words()
    assert len(words.names) >= 300
    assert [name for name in words.names if name.lower() not in known] == []
    assert [w for lead in words.lead_ins for w in lead.split() if w not in known] == []


def test_the_grammar_is_names_bare_and_after_the_spoken_lead_ins_all_pronounceable() -> None:
    phrases = BOOK.phrases()
    assert {"sam", "this is sam", "it's sam", "my name is sam", "call me sam"} <= set(phrases)
    assert "you can call me sam" not in phrases
    known = dictionary_words()
    assert [w for phrase in phrases for w in phrase.split() if w not in known] == []
    rename = NameBook.for_rename(["Ann"]).phrases()
    assert "call me sam" in rename and "sam" not in rename


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("sam", "Sam"),
        ("Sam.", "Sam"),
        ("this is sam", "Sam"),
        ("it's sam", "Sam"),
        ("It\u2019s Sam", "Sam"),
        ("my name is sam", "Sam"),
        ("call me sam", "Sam"),
        ("SIOBHAN", "Siobhan"),
        ("ann   lee", "Ann Lee"),
        ("mary-jane", "Mary-Jane"),
        ("o'brien", "O'Brien"),
        ("  Zoë  ", "Zoë"),
        ("x" * 40, "X" + "x" * 39),
    ],
)
def test_a_name_is_read_from_any_of_its_forms(text: str, name: str) -> None:
    assert BOOK.parse(text) == name


@pytest.mark.parametrize("text", ["", "   ", "x" * 41, "sam2", "sam & jo", "--", "this is"])
def test_what_cannot_be_a_name_is_none(text: str) -> None:
    assert BOOK.parse(text) is None


def test_typed_names_keep_their_capitals() -> None:
    assert typed_name("McDonald") == "McDonald"
    assert typed_name("van der Berg") == "van der Berg"
    assert typed_name("van der berg") == "Van Der Berg"


def test_at_the_menu_only_a_rename_lead_in_gives_a_name() -> None:
    rename = NameBook.for_rename(["Ann"])
    assert rename.parse("sam") is None
    assert rename.parse("call me sam") == "Sam"
    assert rename.parse("my name is Ann") == "Ann"


NAME_QUESTION = Prompt("name", "What name?", kind=AnswerKind.FREE, names=BOOK)


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("sam", FreeText("Sam")),
        ("my name is Ann Lee", FreeText("Ann Lee")),
        ("yes", Unclear()),
        ("no", Unclear()),
        ("not sure", Unsure()),
        ("repeat", Command),
    ],
)
def test_the_name_question_understands_names_and_keeps_commands_and_doubts(text: str, answer: object) -> None:
    got = TurnUnderstanding().parse(text, NAME_QUESTION)
    assert isinstance(got, answer) if isinstance(answer, type) else got == answer


def test_who_am_i_speaking_with_hears_someone_new() -> None:
    talk = load_naming_talk()
    who = Prompt(talk.who.id, talk.who.text, kind=AnswerKind.CHOICE, options=talk.who.options, names=BOOK)
    assert TurnUnderstanding().parse("someone new", who) == Choice(SOMEONE_NEW)
    assert TurnUnderstanding().parse("it's Siobhan", who) == FreeText("Siobhan")
    assert "someone new" in TurnUnderstanding().phrases(who)


def test_a_broken_names_file_names_the_key(tmp_path: Path) -> None:
    original = NAMES_FILE.read_text(encoding="utf-8")
    path = tmp_path / "names.toml"
    path.write_text(original.replace('"Aaron"', '"Aaron", "Aaron"', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="names"):
        load_name_words(path)
    path.write_text(original.replace('"Aaron"', '"R2D2"', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"names\[0\]"):
        load_name_words(path)
