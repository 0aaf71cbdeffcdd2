"""Self-care advice tables: what is said for each personal context, per docs/clinical.md."""

from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.screening.advice import (
    ADVICE_FILE,
    context_from_screening,
    context_to_ask,
    load_advice,
    select_advice,
)
from voicecare.screening.answers import Answer, Reply
from voicecare.screening.findings import Tier

YES, NO, UNSURE, UNANSWERED = Reply.YES, Reply.NO, Reply.UNSURE, Reply.UNANSWERED
ALL_CLEAR: dict[str, Answer] = {
    "pregnant": NO,
    "kidney_disease": NO,
    "stomach_ulcer_or_bleeding": NO,
    "blood_thinners": NO,
    "asthma_worse_with_nsaids": NO,
    "heart_failure_or_high_blood_pressure": NO,
    "osteoporosis": NO,
    "cancer_history": NO,
    "age": 40,
}
ALWAYS = [
    "stay_active",
    "heat",
    "massage_suitable",
    "massage_not_advised",
    "physical_therapy",
    "acupuncture",
    "exercises_offer",
]
NSAID_IDS = {"nsaids_not_suggested", "nsaids_ask_pharmacist_first", "nsaids_follow_the_label"}


def advice_ids(outcome: Tier = Tier.SELF_CARE, /, **changes: Answer) -> list[str]:
    return [a.id for a in select_advice(outcome, {**ALL_CLEAR, **changes})]


def painkiller(**changes: Answer) -> str:
    chosen = [i for i in advice_ids(**changes) if i in NSAID_IDS]
    assert len(chosen) == 1
    return chosen[0]


@pytest.mark.parametrize("outcome", [Tier.EMERGENCY, Tier.URGENT])
def test_no_advice_and_no_exercises_after_emergency_or_urgent(outcome: Tier) -> None:
    assert select_advice(outcome, ALL_CLEAR) == ()
    assert select_advice(outcome, {}) == ()


@pytest.mark.parametrize("outcome", [Tier.SOON, Tier.SELF_CARE])
def test_always_offered_at_soon_and_self_care(outcome: Tier) -> None:
    ids = advice_ids(outcome)
    assert [i for i in ids if i in ALWAYS] == ALWAYS
    assert painkiller() == "nsaids_follow_the_label"


BLOCKERS = [
    "pregnant",
    "kidney_disease",
    "stomach_ulcer_or_bleeding",
    "blood_thinners",
    "asthma_worse_with_nsaids",
]


@pytest.mark.parametrize("reply", [YES, UNSURE, UNANSWERED])
@pytest.mark.parametrize("condition", BLOCKERS)
def test_nsaids_not_suggested_with_a_blocking_condition_or_doubt(condition: str, reply: Reply) -> None:
    assert painkiller(**{condition: reply}) == "nsaids_not_suggested"


@pytest.mark.parametrize("condition", BLOCKERS)
def test_a_blocking_condition_not_asked_is_treated_as_present(condition: str) -> None:
    context = {k: v for k, v in ALL_CLEAR.items() if k != condition}
    ids = [a.id for a in select_advice(Tier.SOON, context)]
    assert "nsaids_not_suggested" in ids and "nsaids_follow_the_label" not in ids


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"heart_failure_or_high_blood_pressure": YES}, "nsaids_ask_pharmacist_first"),
        ({"heart_failure_or_high_blood_pressure": UNSURE}, "nsaids_ask_pharmacist_first"),
        ({"age": 64}, "nsaids_follow_the_label"),
        ({"age": 65}, "nsaids_ask_pharmacist_first"),
        ({"age": UNANSWERED}, "nsaids_ask_pharmacist_first"),
        ({"age": 70, "kidney_disease": YES}, "nsaids_not_suggested"),
        ({"heart_failure_or_high_blood_pressure": YES, "blood_thinners": YES}, "nsaids_not_suggested"),
    ],
)
def test_nsaid_advice_table(changes: dict[str, Answer], expected: str) -> None:
    assert painkiller(**changes) == expected


@pytest.mark.parametrize(
    ("changes", "gently", "pregnancy"),
    [
        ({}, False, False),
        ({"osteoporosis": YES}, True, False),
        ({"osteoporosis": UNSURE}, True, False),
        ({"cancer_history": YES}, True, False),
        ({"pregnant": YES}, False, True),
        ({"pregnant": UNSURE}, False, True),
        ({"pregnant": YES, "osteoporosis": YES}, True, True),
    ],
)
def test_massage_cautions(changes: dict[str, Answer], gently: bool, pregnancy: bool) -> None:
    ids = advice_ids(**changes)
    assert ("massage_gently_after_doctor_agrees" in ids) is gently
    assert ("massage_in_pregnancy" in ids) is pregnancy
    assert "massage_not_advised" in ids


def test_advice_texts_say_what_the_specification_says() -> None:
    texts = {a.id: a.text for a in load_advice().advice}
    assert "numb" in texts["heat"]
    assert "not recommend" in texts["acupuncture"]
    assert (
        "pharmacist" in texts["nsaids_ask_pharmacist_first"]
        and "label" in texts["nsaids_ask_pharmacist_first"]
    )
    assert "fever" in texts["massage_not_advised"] and "shingles" in texts["massage_not_advised"]
    assert "broken bone" in texts["massage_not_advised"] and "broken skin" in texts["massage_not_advised"]
    assert "doctor agrees" in texts["massage_gently_after_doctor_agrees"]
    assert "pregnancy massage" in texts["massage_in_pregnancy"]


def test_context_from_screening_reuses_answers_so_they_are_not_asked_twice() -> None:
    screening_answers: dict[str, Answer] = {
        "pregnant": UNSURE,
        "age": 70,
        "cancer_history.ever": NO,
        "cancer_history.tests": NO,
        "fragile_bones_injury.minor_injury": NO,
    }
    known = context_from_screening(screening_answers)
    assert known == {"pregnant": UNSURE, "age": 70, "cancer_history": NO}
    to_ask = [q.id for q in context_to_ask(known)]
    assert to_ask == [
        "kidney_disease",
        "stomach_ulcer_or_bleeding",
        "blood_thinners",
        "asthma_worse_with_nsaids",
        "heart_failure_or_high_blood_pressure",
        "osteoporosis",
    ]
    assert context_from_screening({"cancer_history.tests": UNSURE})["cancer_history"] is UNSURE
    assert context_from_screening({"fragile_bones_injury.osteoporosis": YES})["osteoporosis"] is YES


def test_context_questions_read_as_yes_means_present() -> None:
    for question in load_advice().context:
        assert question.text.endswith("?") and question.help and question.reask


ORIGINAL = ADVICE_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('id = "kidney_disease"', 'id = "kidneys"', "context"),
        ('topic = "heat"\ntext', 'topic = "warmth"\ntext', "advice[4].topic"),
        ('when_any = ["pregnant"]', 'when_any = ["pregnancy"]', "advice[8].when_any"),
        ('from_screening = "age"', 'from_screening = "years"', "context[8].from_screening"),
        ('id = "acupuncture"\n', 'id = "acupuncture"\noutcomes = ["urgent"]\n', "advice[10].outcomes"),
        ('id = "heat"\ntopic', 'id = "heat"\nwhen = "always"\ntopic', "advice[4].when"),
        ('\nchoose = "first"', '\nchoose = "some"', "topic[1].choose"),
    ],
)
def test_advice_validator_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in ORIGINAL
    path = tmp_path / "advice.toml"
    path.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_advice(path)
    assert "advice.toml" in error.value.one_line() and key in error.value.one_line()
