"""Naming an item of a merged yes/no question counts as yes (docs/clinical.md, 'Question route, version 2';
hazard R-01): items as data in findings.toml, validated at load, understood in typed text and heard by a
recogniser in their one- and two-word forms."""

from pathlib import Path

import pytest

from tests.logic.test_understanding_grammar import dictionary_words
from tests.support.understanding_fixtures import vocabulary
from voicecare.dialogue.prompt import Prompt
from voicecare.errors import ConfigError
from voicecare.screening.findings import FINDINGS_FILE, load_screening
from voicecare.understanding.answers import YES, Answer, Unclear, Unsure, Yes
from voicecare.understanding.parse import item_phrases
from voicecare.understanding.turn_understanding import TurnUnderstanding

ORIGINAL = FINDINGS_FILE.read_text(encoding="utf-8")


def prompt(question_id: str) -> Prompt:
    question = load_screening().question(question_id)
    return Prompt(question.id, question.text, items=question.items)


def understood(text: str, question_id: str) -> Answer:
    return TurnUnderstanding(vocabulary()).parse(text, prompt(question_id))


NAMED_YES = [
    ("the tingling", "saddle_numbness.skin"),
    ("tingling", "saddle_numbness.skin"),
    ("numb", "saddle_numbness.skin"),
    ("Pins and needles.", "saddle_numbness.skin"),
    ("pads", "bladder_change.leaking"),
    ("I needed pads", "bladder_change.leaking"),
    ("wind", "bowel_change.leaking"),
    ("night sweats", "fever.temperature"),
    ("the lump", "lump_or_shape.back"),
    ("an epidural", "recent_spinal_procedure.last_3_months"),
]


@pytest.mark.parametrize(("text", "question_id"), NAMED_YES)
def test_naming_an_item_of_the_question_is_yes(text: str, question_id: str) -> None:
    assert understood(text, question_id) == YES


NOT_YES = [
    ("no tingling", "saddle_numbness.skin", Unclear),
    ("I don't have any tingling", "saddle_numbness.skin", Unclear),
    ("not numb", "saddle_numbness.skin", Unclear),
    ("tingling, but not numb", "saddle_numbness.skin", Unclear),
    ("no pads", "bladder_change.leaking", Unclear),
    ("not sure", "saddle_numbness.skin", Unsure),
    ("not sure", "bladder_change.leaking", Unsure),
    ("pads", "saddle_numbness.skin", Unclear),
]


@pytest.mark.parametrize(("text", "question_id", "kind"), NOT_YES)
def test_a_negated_item_or_another_question_s_item_is_not_yes(
    text: str, question_id: str, kind: type
) -> None:
    answer = understood(text, question_id)
    assert not isinstance(answer, Yes)
    assert isinstance(answer, kind)


def test_plain_answers_are_unchanged_by_items() -> None:
    assert understood("yes", "saddle_numbness.skin") == YES
    assert understood("no", "saddle_numbness.skin").label == "no"


def test_every_merged_question_of_the_route_lists_its_items() -> None:
    screening = load_screening()
    merged = [
        "saddle_numbness.skin", "bladder_change.starting", "bladder_change.leaking", "bladder_change.feeling",
        "bowel_change.leaking", "bowel_change.feeling", "sexual_change.during_sex", "both_legs.symptoms",
        "leg_weakness_worsening.weak_or_worse", "leg_weakness_worsening.walking", "chest_pain.pain_or_breath",
        "sudden_severe_pain.sudden", "sepsis_signs.confused_or_drowsy", "sepsis_signs.very_ill_or_skin",
        "pregnancy_emergency.bleeding_or_pain", "fever.temperature", "lump_or_shape.back", "night_pain.wakes",
        "infection_risk.drugs_immunity_tb", "recent_spinal_procedure.last_3_months",
        "pregnancy_warning.bleeding_or_fluid", "pregnancy_warning.tightenings_or_peeing",
        "pelvic_bleeding.pain_or_bleeding", "getting_worse.severe_or_worse",
        "struggling_to_cope.worried_or_coping", "cancer_history.ever_or_testing",
    ]
    assert [q for q in merged if not screening.question(q).items] == []


def test_items_never_take_the_place_of_an_answer_or_a_command() -> None:
    words = vocabulary()
    taken = {*words.yes, *words.no, *words.unsure, *words.fillers, *((n,) for n in words.negators)}
    for command in words.commands.values():
        taken.update(command.phrases)
    clashes = [
        (question.id, phrase)
        for finding in load_screening().findings.values()
        for question in finding.questions
        for phrase in item_phrases(question.items, words)
        if phrase in taken
    ]
    assert clashes == []


def test_spoken_items_are_short_and_in_the_dictionary() -> None:
    known = dictionary_words()
    understanding = TurnUnderstanding(vocabulary())
    for finding in load_screening().findings.values():
        for question in finding.questions:
            phrases = understanding.phrases(prompt(question.id))
            items = {" ".join(i) for i in item_phrases(question.items, vocabulary())}
            spoken = [p for p in phrases if p in items]
            assert all(len(p.split()) <= 2 for p in spoken)
            assert [w for p in phrases for w in p.split() if w not in known] == [], question.id


def test_a_spoken_item_is_understood_as_yes() -> None:
    understanding = TurnUnderstanding(vocabulary())
    skin = prompt("saddle_numbness.skin")
    assert "tingling" in understanding.phrases(skin)
    assert "pins and needles" not in understanding.phrases(skin)
    assert understanding.parse("tingling", skin) == YES


def test_an_item_the_dictionary_lacks_is_understood_typed_but_not_listened_for() -> None:
    skin = prompt("saddle_numbness.skin")
    assert "tingly" in skin.items
    assert "tingly" not in dictionary_words()
    assert "tingly" not in TurnUnderstanding(vocabulary()).phrases(skin)
    assert understood("tingly", "saddle_numbness.skin") == YES


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in ORIGINAL, old
    path = tmp_path / "findings.toml"
    path.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('items = ["numb",', 'items = ["", "numb",', "items[0]"),
        ('items = ["numb",', 'items = ["Numb!", "numb",', "items[0]"),
        ('items = ["numb",', 'items = ["numbness", "numb",', "items"),
        ('readback = "{number}"\n', 'readback = "{number}"\nitems = ["forty"]\n', "items"),
    ],
)
def test_items_are_validated_at_load(tmp_path: Path, old: str, new: str, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_screening(broken(tmp_path, old, new))
    assert key in error.value.one_line()
