"""Self-care advice tables: what is said for each personal context, per docs/clinical.md.

Version 2 (issue 11): the advice asks 2 questions of its own (``kidney_heart_or_blood_pressure``,
``bleeding_or_nsaid_risk``); pregnancy, thin bones or steroids, cancer history and age come from screening.
"""

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
from voicecare.screening.findings import Tier, load_screening

YES, NO, UNSURE, UNANSWERED = Reply.YES, Reply.NO, Reply.UNSURE, Reply.UNANSWERED
NOT_ASKED = None
"""The context is missing altogether (neither screening nor the advice got an answer)."""

ALL_CLEAR: dict[str, Answer] = {
    "pregnant": NO,
    "kidney_heart_or_blood_pressure": NO,
    "bleeding_or_nsaid_risk": NO,
    "fragile_bones": NO,
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
ASKED_BY_THE_ADVICE = ["kidney_heart_or_blood_pressure", "bleeding_or_nsaid_risk"]


def context_with(**changes: Answer | None) -> dict[str, Answer]:
    """ALL_CLEAR with ``changes``; a change to NOT_ASKED removes that context."""
    context = dict(ALL_CLEAR)
    for key, value in changes.items():
        if value is None:
            del context[key]
        else:
            context[key] = value
    return context


def advice_ids(outcome: Tier = Tier.SELF_CARE, /, **changes: Answer | None) -> list[str]:
    return [a.id for a in select_advice(outcome, context_with(**changes))]


def painkiller(**changes: Answer | None) -> str:
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
    assert "massage_gently_after_doctor_agrees" not in ids and "massage_in_pregnancy" not in ids


REPLIES = [YES, NO, UNSURE, UNANSWERED, NOT_ASKED]
REPLY_IDS = ["yes", "no", "not sure", "not understood", "not asked"]


@pytest.mark.parametrize("reply", REPLIES, ids=REPLY_IDS)
@pytest.mark.parametrize("context", ["pregnant", *ASKED_BY_THE_ADVICE])
def test_painkillers_for_each_answer_to_a_blocking_context(context: str, reply: Reply | None) -> None:
    """Any yes, or doubt, gives the safer of the version 1 outcomes: not suggested, ask a pharmacist."""
    expected = "nsaids_follow_the_label" if reply is NO else "nsaids_not_suggested"
    assert painkiller(**{context: reply}) == expected


@pytest.mark.parametrize("reply", REPLIES, ids=REPLY_IDS)
@pytest.mark.parametrize("context", ["fragile_bones", "cancer_history"])
def test_bones_and_cancer_do_not_change_the_painkiller(context: str, reply: Reply | None) -> None:
    assert painkiller(**{context: reply}) == "nsaids_follow_the_label"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"age": 64}, "nsaids_follow_the_label"),
        ({"age": 65}, "nsaids_ask_pharmacist_first"),
        ({"age": UNSURE}, "nsaids_ask_pharmacist_first"),
        ({"age": UNANSWERED}, "nsaids_ask_pharmacist_first"),
        ({"age": NOT_ASKED}, "nsaids_ask_pharmacist_first"),
        ({"age": 70, "kidney_heart_or_blood_pressure": YES}, "nsaids_not_suggested"),
        ({"age": 70, "bleeding_or_nsaid_risk": UNSURE}, "nsaids_not_suggested"),
        ({"age": 64, "kidney_heart_or_blood_pressure": YES}, "nsaids_not_suggested"),
    ],
)
def test_painkillers_by_age(changes: dict[str, Answer | None], expected: str) -> None:
    assert painkiller(**changes) == expected


@pytest.mark.parametrize("reply", REPLIES, ids=REPLY_IDS)
@pytest.mark.parametrize("context", ["fragile_bones", "cancer_history"])
def test_gentle_massage_for_each_answer_about_bones_or_cancer(context: str, reply: Reply | None) -> None:
    ids = advice_ids(**{context: reply})
    assert ("massage_gently_after_doctor_agrees" in ids) is (reply is not NO)
    assert "massage_not_advised" in ids and "massage_in_pregnancy" not in ids


@pytest.mark.parametrize(
    ("age", "gently"),
    [(64, False), (65, True), (80, True), (UNSURE, True), (UNANSWERED, True), (NOT_ASKED, True)],
)
def test_from_65_the_massage_caution_is_always_said(age: Answer | None, gently: bool) -> None:
    assert ("massage_gently_after_doctor_agrees" in advice_ids(age=age)) is gently
    assert "massage_gently_after_doctor_agrees" in advice_ids(age=age, fragile_bones=YES)


@pytest.mark.parametrize("reply", REPLIES, ids=REPLY_IDS)
def test_pregnancy_massage_for_each_answer_to_the_gate(reply: Reply | None) -> None:
    ids = advice_ids(pregnant=reply)
    assert ("massage_in_pregnancy" in ids) is (reply is not NO)
    assert "massage_gently_after_doctor_agrees" not in ids


@pytest.mark.parametrize("reply", REPLIES, ids=REPLY_IDS)
@pytest.mark.parametrize("context", ASKED_BY_THE_ADVICE)
def test_the_asked_contexts_change_only_the_painkiller(context: str, reply: Reply | None) -> None:
    others = [i for i in advice_ids(**{context: reply}) if i not in NSAID_IDS]
    assert others == [i for i in advice_ids() if i not in NSAID_IDS]


def test_advice_texts_say_what_the_specification_says() -> None:
    texts = {a.id: a.text for a in load_advice().advice}
    assert "numb" in texts["heat"]
    assert "not recommend" in texts["acupuncture"]
    assert "not suggested" in texts["nsaids_not_suggested"] and "pharmacist" in texts["nsaids_not_suggested"]
    assert (
        "pharmacist" in texts["nsaids_ask_pharmacist_first"]
        and "label" in texts["nsaids_ask_pharmacist_first"]
    )
    assert "fever" in texts["massage_not_advised"] and "shingles" in texts["massage_not_advised"]
    assert "broken bone" in texts["massage_not_advised"] and "broken skin" in texts["massage_not_advised"]
    gently = texts["massage_gently_after_doctor_agrees"]
    assert "doctor agrees" in gently
    assert all(reason in gently for reason in ("65 or over", "thin bones", "steroid", "cancer"))
    assert "pregnancy massage" in texts["massage_in_pregnancy"]


FRAGILE_BONES_QUESTIONS = [
    q.id for q in load_screening().findings["fragile_bones_injury"].questions if q.group == "fragile_bones"
]
CANCER_QUESTIONS = [q.id for q in load_screening().findings["cancer_history"].questions]


def test_context_from_screening_reuses_answers_so_they_are_not_asked_twice() -> None:
    screening_answers: dict[str, Answer] = {
        "pregnant": UNSURE,
        "age": 40,
        **{question: NO for question in CANCER_QUESTIONS},
        **{question: NO for question in FRAGILE_BONES_QUESTIONS},
    }
    known = context_from_screening(screening_answers)
    assert known == {"pregnant": UNSURE, "age": 40, "cancer_history": NO, "fragile_bones": NO}
    assert [q.id for q in context_to_ask(known)] == ASKED_BY_THE_ADVICE
    assert context_from_screening({CANCER_QUESTIONS[-1]: UNSURE})["cancer_history"] is UNSURE


@pytest.mark.parametrize("reply", [YES, UNSURE, UNANSWERED], ids=["yes", "not sure", "not understood"])
def test_thin_bones_or_steroids_come_from_the_fragile_bones_group(reply: Reply) -> None:
    """Any question of the screening's fragile_bones group counts, whatever its id; the injury does not."""
    assert FRAGILE_BONES_QUESTIONS
    for question in FRAGILE_BONES_QUESTIONS:
        others = {q: NO for q in FRAGILE_BONES_QUESTIONS if q != question}
        assert context_from_screening({**others, question: reply})["fragile_bones"] is reply_or_unsure(reply)
    injury_only = context_from_screening({"fragile_bones_injury.minor_injury": YES})
    assert "fragile_bones" not in injury_only


def reply_or_unsure(reply: Reply) -> Reply:
    return UNSURE if reply is UNANSWERED else reply


def test_thin_bones_are_never_asked_by_the_advice() -> None:
    """At 65 or over screening does not ask about thin bones; the massage caution is said anyway."""
    known = context_from_screening({"age": 70, "pregnant": NO, "fragile_bones_injury.minor_injury": NO})
    assert "fragile_bones" not in known
    asked = [q.id for q in context_to_ask(known)]
    assert asked == [*ASKED_BY_THE_ADVICE, "cancer_history"]
    said = [a.id for a in select_advice(Tier.SOON, {**known, "cancer_history": NO})]
    assert "massage_gently_after_doctor_agrees" in said


@pytest.mark.parametrize(("age", "pregnant"), [(55, None), (56, NO), (70, NO), (UNANSWERED, None)])
def test_pregnancy_comes_from_the_screening_gate_which_counts_as_no_from_56(
    age: Answer, pregnant: Reply | None
) -> None:
    """The gate's answer is reused; from the gate's no_from_age it is a clear no without being asked."""
    known = context_from_screening({"age": age})
    assert known.get("pregnant") is pregnant
    assert ("pregnant" in [q.id for q in context_to_ask(known)]) is (pregnant is None)
    assert context_from_screening({"age": 70, "pregnant": YES})["pregnant"] is YES


def test_each_asked_context_question_has_help_and_a_reask() -> None:
    asked = {c.id: c.question for c in load_advice().context if c.question is not None}
    for question in asked.values():
        assert question.text.endswith("?") and question.help and question.reask.endswith("?")
    kidneys = asked["kidney_heart_or_blood_pressure"]
    for item in ("kidney", "heart", "blood pressure"):
        assert item in kidneys.text and item in kidneys.help and item in kidneys.reask
    bleeding = asked["bleeding_or_nsaid_risk"]
    assert bleeding.text == (
        "Do you take a blood thinner, have you had a stomach ulcer or bleed, "
        "or does ibuprofen make your asthma worse?"
    )
    for item in ("clot", "ulcer", "bleed", "ibuprofen", "asthma"):
        assert item in bleeding.reask
    for item in ("blood thinner", "warfarin", "ulcer", "bleed", "ibuprofen", "breathing"):
        assert item in bleeding.help


ORIGINAL = ADVICE_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('id = "kidney_heart_or_blood_pressure"', 'id = "kidneys"', "context"),
        ('topic = "heat"\ntext', 'topic = "warmth"\ntext', "advice[4].topic"),
        ('when_any = ["pregnant"]', 'when_any = ["pregnancy"]', "advice[8].when_any"),
        ('from_screening = "age"', 'from_screening = "years"', "context[5].from_screening"),
        ('from_group = "fragile_bones"', 'from_group = "thin_bones"', "context[3].from_group"),
        ('from_screening = "fragile_bones_injury"\n', "", "context[3].from_group"),
        ('\ntext = "Do you have kidney disease', '\n# text = "', "context[1].text"),
        ('\nhelp = "Say yes if a doctor has told you that your kidneys', '\n# help = "', "context[1].help"),
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


def test_a_context_neither_asked_nor_from_screening_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "advice.toml"
    path.write_text(
        ORIGINAL.replace('from_screening = "fragile_bones_injury"\nfrom_group = "fragile_bones"\n', "", 1),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_advice(path)
    assert "context[3].text" in error.value.one_line()
