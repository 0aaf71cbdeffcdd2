"""Table tests of the triage rules against docs/clinical.md: every finding, combination, boundary, answer."""

import pytest

from tests.support.screening_spec import (
    ALL_FINDINGS,
    COMBINED,
    EMERGENCY,
    POSSIBLE_GIVES_EMERGENCY,
    SOON_YES_NO,
    URGENT,
)
from voicecare.screening.answers import Answer, Reply
from voicecare.screening.findings import Tier, load_screening
from voicecare.screening.rules import emergency_reached, evaluate, next_question, should_ask

YES, NO, UNSURE, UNANSWERED = Reply.YES, Reply.NO, Reply.UNSURE, Reply.UNANSWERED
SCREENING = load_screening()
ADULT = {"age": 30, "pain_weeks": 1}
"""A 30-year-old with pain for 1 week: no number threshold met."""

SPEC_TIER = {
    **dict.fromkeys(EMERGENCY, Tier.EMERGENCY),
    **dict.fromkeys(URGENT, Tier.URGENT),
    **dict.fromkeys(SOON_YES_NO, Tier.SOON),
}


def with_adult(answers: dict[str, Answer]) -> Tier:
    return evaluate({**ADULT, **answers}).disposition


def test_no_answers_at_all_is_self_care() -> None:
    result = evaluate(ADULT)
    assert result.disposition is Tier.SELF_CARE
    assert result.reasons == () and result.possible == () and result.instructions == ()


def test_all_clear_no_answers_give_self_care() -> None:
    answers: dict[str, Answer] = {**ADULT, "pregnant": NO}
    answers.update({q: NO for q in SCREENING.asking_order() if q not in answers})
    assert evaluate(answers).disposition is Tier.SELF_CARE


@pytest.mark.parametrize("finding_id", sorted(SPEC_TIER))
def test_finding_yes_alone_gives_its_tier(finding_id: str) -> None:
    result = evaluate({**ADULT, finding_id: YES})
    assert result.disposition is SPEC_TIER[finding_id]
    assert finding_id in result.rule_ids


SINGLE_QUESTIONS = [
    (f.id, q.id)
    for f in SCREENING.findings.values()
    if f.id in SPEC_TIER and f.id not in COMBINED
    for q in f.questions
    if q.reuse is None
]


@pytest.mark.parametrize(("finding_id", "question_id"), SINGLE_QUESTIONS)
def test_any_one_question_yes_gives_the_finding(finding_id: str, question_id: str) -> None:
    result = evaluate({**ADULT, question_id: YES})
    assert result.disposition is SPEC_TIER[finding_id]
    assert finding_id in result.rule_ids
    assert question_id in next(r for r in result.reasons if r.rule == finding_id).questions


@pytest.mark.parametrize("reply", [UNSURE, UNANSWERED])
@pytest.mark.parametrize("finding_id", sorted(SPEC_TIER))
def test_possible_finding_follows_the_rules_for_answers(finding_id: str, reply: Reply) -> None:
    result = evaluate({**ADULT, finding_id: reply})
    if finding_id in POSSIBLE_GIVES_EMERGENCY:
        expected = Tier.EMERGENCY
    elif finding_id in EMERGENCY or finding_id in URGENT:
        expected = Tier.URGENT
    else:
        expected = Tier.SOON
    assert result.disposition is expected
    assert result.possible == (finding_id,)
    call_now = [i for i in result.instructions if i.id == "call_now_if_you_do_have"]
    if finding_id in EMERGENCY and finding_id not in POSSIBLE_GIVES_EMERGENCY:
        assert call_now and call_now[0].symptoms == (finding_id,)
    else:
        assert not call_now


@pytest.mark.parametrize("finding_id", sorted(SPEC_TIER))
def test_a_clear_no_gives_nothing(finding_id: str) -> None:
    assert with_adult({finding_id: NO}) is Tier.SELF_CARE


# ---------------------------------------------------------------- combined findings and gates
@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"fragile_bones_injury.minor_injury": YES}, Tier.SELF_CARE),
        ({"fragile_bones_injury.osteoporosis": YES}, Tier.SELF_CARE),
        ({"fragile_bones_injury.minor_injury": YES, "fragile_bones_injury.osteoporosis": YES}, Tier.URGENT),
        ({"fragile_bones_injury.minor_injury": YES, "fragile_bones_injury.steroids": YES}, Tier.URGENT),
        ({"fragile_bones_injury.minor_injury": YES, "fragile_bones_injury.steroids": UNSURE}, Tier.URGENT),
        ({"fragile_bones_injury.minor_injury": YES, "age": 64}, Tier.SOON),
        ({"fragile_bones_injury.minor_injury": YES, "age": 65}, Tier.URGENT),
        (
            {"fragile_bones_injury.minor_injury": NO, "age": 80, "fragile_bones_injury.osteoporosis": YES},
            Tier.SOON,
        ),
        ({"aneurysm_risk.pulsing": YES}, Tier.SELF_CARE),
        ({"aneurysm_risk.smoker": YES}, Tier.SELF_CARE),
        ({"aneurysm_risk.pulsing": YES, "aneurysm_risk.smoker": YES}, Tier.URGENT),
        ({"aneurysm_risk.persistent_pain": YES, "aneurysm_risk.high_blood_pressure": YES}, Tier.URGENT),
        ({"aneurysm_risk.persistent_pain": YES, "aneurysm_risk.family": YES}, Tier.URGENT),
        ({"aneurysm_risk.pulsing": YES, "aneurysm_risk.born_male": YES, "age": 64}, Tier.SOON),
        ({"aneurysm_risk.pulsing": YES, "aneurysm_risk.born_male": YES, "age": 65}, Tier.URGENT),
        ({"aneurysm_risk.pulsing": UNSURE, "aneurysm_risk.smoker": YES}, Tier.URGENT),
        ({"kidney_signs.side_pain": YES}, Tier.SELF_CARE),
        ({"kidney_signs.burning": YES}, Tier.SELF_CARE),
        ({"kidney_signs.side_pain": YES, "kidney_signs.burning": YES}, Tier.URGENT),
        ({"kidney_signs.side_pain": YES, "kidney_signs.blood": YES}, Tier.URGENT),
    ],
)
def test_combined_findings_need_every_part(answers: dict[str, Answer], expected: Tier) -> None:
    assert with_adult(answers) is expected


def test_combined_finding_age_boundaries_use_the_real_age() -> None:
    young = evaluate({"age": 64, "pain_weeks": 1, "fragile_bones_injury.minor_injury": YES})
    old = evaluate({"age": 65, "pain_weeks": 1, "fragile_bones_injury.minor_injury": YES})
    assert "fragile_bones_injury" not in young.rule_ids
    assert "fragile_bones_injury" in old.rule_ids


def test_kidney_signs_reuse_the_fever_answer() -> None:
    result = evaluate({**ADULT, "kidney_signs.side_pain": YES, "fever.temperature": YES})
    assert "kidney_signs" in result.rule_ids


@pytest.mark.parametrize("finding_id", ["pregnancy_emergency", "pregnancy_warning"])
@pytest.mark.parametrize(("gate", "counts"), [(YES, True), (UNSURE, True), (UNANSWERED, True), (NO, False)])
def test_only_a_clear_no_to_pregnant_rules_out_pregnancy_findings(
    finding_id: str, gate: Reply, counts: bool
) -> None:
    question = SCREENING.findings[finding_id].questions[0].id
    result = evaluate({**ADULT, "pregnant": gate, question: YES})
    assert (finding_id in result.rule_ids) is counts


def test_pregnancy_findings_name_the_maternity_unit() -> None:
    emergency = evaluate({**ADULT, "pregnant": YES, "pregnancy_emergency.bleeding": YES})
    warning = evaluate({**ADULT, "pregnant": YES, "pregnancy_warning.fluid": YES})
    assert emergency.disposition is Tier.EMERGENCY
    assert "maternity_unit_as_well" in [i.id for i in emergency.instructions]
    assert warning.disposition is Tier.URGENT
    assert "maternity_unit_now" in [i.id for i in warning.instructions]


def test_fever_in_pregnancy_is_a_pregnancy_warning_only_once_the_gate_is_asked() -> None:
    assert "pregnancy_warning" in evaluate({**ADULT, "pregnant": YES, "fever.temperature": YES}).rule_ids
    assert "pregnancy_warning" not in evaluate({**ADULT, "fever.temperature": YES}).rule_ids
    assert "pregnancy_warning" not in evaluate({**ADULT, "pregnant": NO, "fever.temperature": YES}).rule_ids


# ---------------------------------------------------------------- rules that combine findings
COMBINATIONS = [
    ("fever_with_infection_risk", {"fever": YES, "infection_risk": YES}),
    ("fever_after_spinal_procedure", {"fever": YES, "recent_spinal_procedure": YES}),
    ("nerve_signs_after_spinal_procedure", {"recent_spinal_procedure": YES, "one_leg_sciatica": YES}),
    ("nerve_signs_after_spinal_procedure", {"recent_spinal_procedure": YES, "bladder_change": YES}),
    ("nerve_signs_after_spinal_procedure", {"recent_spinal_procedure": YES, "leg_weakness_worsening": YES}),
    ("cancer_with_nerve_signs", {"cancer_history": YES, "one_leg_sciatica": YES}),
    ("cancer_with_nerve_signs", {"cancer_history": YES, "both_legs": YES}),
    ("cancer_with_nerve_signs", {"cancer_history": YES, "leg_weakness_worsening": YES}),
    ("bleeding_with_sudden_severe_pain", {"bruising_bleeding": YES, "sudden_severe_pain": YES}),
    ("child_with_red_flag", {"age": 15, "fever": YES}),
    ("child_with_red_flag", {"age": 15, "night_pain": YES}),
    ("child_with_red_flag", {"age": 15, "weight_loss": YES}),
]


@pytest.mark.parametrize(("rule", "answers"), COMBINATIONS)
def test_emergency_combination_present_gives_emergency(rule: str, answers: dict[str, Answer]) -> None:
    result = evaluate({**ADULT, **answers})
    assert result.disposition is Tier.EMERGENCY
    assert rule in [r.rule for r in result.deciding_reasons]
    assert emergency_reached({**ADULT, **answers})


def _alone_tier(key: str, value: Answer) -> Tier:
    if key == "age":
        return Tier.URGENT if isinstance(value, int) and value < 16 else Tier.SELF_CARE
    return SPEC_TIER[key]


@pytest.mark.parametrize(("rule", "answers"), COMBINATIONS)
def test_each_half_of_a_combination_alone_gives_its_own_tier(rule: str, answers: dict[str, Answer]) -> None:
    for key, value in answers.items():
        result = evaluate({**ADULT, key: value})
        assert rule not in result.rule_ids
        assert result.disposition is _alone_tier(key, value)


def test_cancer_with_nerve_signs_names_the_24_hour_line() -> None:
    result = evaluate({**ADULT, "cancer_history.ever": YES, "one_leg_sciatica.below_knee": YES})
    assert "cancer_team_24_hour_line" in [i.id for i in result.instructions]


def test_cancer_history_alone_is_urgent_with_the_acute_line() -> None:
    result = evaluate({**ADULT, "cancer_history.tests": YES})
    assert result.disposition is Tier.URGENT
    assert [i.id for i in result.instructions] == ["cancer_team_acute_line_today"]


def test_age_50_with_pain_4_weeks_is_urgent_and_each_alone_soon() -> None:
    both = evaluate({"age": 50, "pain_weeks": 4})
    assert both.disposition is Tier.URGENT and "age_50_with_pain_4_weeks" in both.rule_ids
    assert evaluate({"age": 50, "pain_weeks": 3}).disposition is Tier.SOON
    assert evaluate({"age": 49, "pain_weeks": 4}).disposition is Tier.SOON


def test_possible_half_of_an_emergency_combination_gives_urgent_and_call_now() -> None:
    result = evaluate({**ADULT, "fever.temperature": UNSURE, "infection_risk.diabetes": YES})
    assert result.disposition is Tier.URGENT
    combination = next(r for r in result.reasons if r.rule == "fever_with_infection_risk")
    assert combination.tier is Tier.URGENT and not combination.certain
    assert result.instructions[0].id == "call_now_if_you_do_have"
    assert result.instructions[0].symptoms == ("fever",)


# ---------------------------------------------------------------- number boundaries
@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (10, Tier.URGENT),
        (15, Tier.URGENT),
        (16, Tier.SOON),
        (19, Tier.SOON),
        (20, Tier.SELF_CARE),
        (49, Tier.SELF_CARE),
        (50, Tier.SOON),
        (64, Tier.SOON),
        (65, Tier.SOON),
        (90, Tier.SOON),
    ],
)
def test_age_boundaries(age: int, expected: Tier) -> None:
    assert evaluate({"age": age, "pain_weeks": 1}).disposition is expected


def test_under_16_is_told_to_see_a_doctor_today() -> None:
    result = evaluate({"age": 15})
    assert [i.id for i in result.instructions] == ["child_seen_today"]
    assert "child_seen_today" not in [i.id for i in evaluate({"age": 16}).instructions]


@pytest.mark.parametrize("age", [15, 16])
@pytest.mark.parametrize("finding_id", ["fever", "night_pain", "weight_loss"])
def test_child_red_flag_boundary(age: int, finding_id: str) -> None:
    expected = Tier.EMERGENCY if age < 16 else Tier.URGENT
    assert evaluate({"age": age, finding_id: YES}).disposition is expected


@pytest.mark.parametrize(
    ("weeks", "expected"), [(0, Tier.SELF_CARE), (3, Tier.SELF_CARE), (4, Tier.SOON), (52, Tier.SOON)]
)
def test_pain_weeks_boundary(weeks: int, expected: Tier) -> None:
    assert evaluate({"age": 30, "pain_weeks": weeks}).disposition is expected


@pytest.mark.parametrize("reply", [UNANSWERED, UNSURE])
def test_unanswered_pain_weeks_counts_as_4_or_more(reply: Reply) -> None:
    alone = evaluate({"age": 30, "pain_weeks": reply})
    assert alone.disposition is Tier.SOON and alone.possible == ("pain_weeks",)
    assert evaluate({"age": 50, "pain_weeks": reply}).disposition is Tier.URGENT


@pytest.mark.parametrize("reply", [UNANSWERED, UNSURE])
def test_unanswered_age_counts_as_meeting_every_age_threshold(reply: Reply) -> None:
    result = evaluate({"age": reply, "pain_weeks": 1})
    assert result.disposition is Tier.URGENT
    assert {"age_under_16", "age_16_to_19", "age_50_or_over"} <= set(result.rule_ids)
    assert not any(r.certain for r in result.reasons)
    assert [i.id for i in result.instructions] == ["child_seen_today_if_under_16"]
    assert evaluate({"age": reply, "pain_weeks": 4}).disposition is Tier.URGENT
    assert evaluate({"age": reply, "fragile_bones_injury.minor_injury": YES}).disposition is Tier.URGENT


def test_numbers_must_be_numbers_and_yes_no_must_not_be() -> None:
    with pytest.raises(ValueError, match="age"):
        evaluate({"age": YES})
    with pytest.raises(ValueError, match="fever"):
        evaluate({"fever": 3})
    with pytest.raises(ValueError, match="not_a_question"):
        evaluate({"not_a_question": YES})


# ---------------------------------------------------------------- reasons
def test_outcome_names_every_reason_most_urgent_first() -> None:
    result = evaluate({"age": 55, "pain_weeks": 6, "saddle_numbness.wiping": YES, "night_pain.wakes": YES})
    assert result.disposition is Tier.EMERGENCY
    assert result.rule_ids[0] == "saddle_numbness"
    assert [r.tier for r in result.reasons] == sorted((r.tier for r in result.reasons), key=lambda t: t.rank)
    assert {"night_pain", "age_50_with_pain_4_weeks", "age_50_or_over", "pain_4_weeks_or_more"} <= set(
        result.rule_ids
    )
    assert all(r.source for r in result.reasons)
    assert [r.rule for r in result.deciding_reasons] == ["saddle_numbness"]


# ---------------------------------------------------------------- stopping early and what to ask next
def test_emergency_reached_only_at_an_emergency() -> None:
    assert not emergency_reached({**ADULT, "fever": YES})
    assert emergency_reached({**ADULT, "chest_pain.breath": YES})
    assert not emergency_reached({**ADULT, "chest_pain.breath": UNSURE})
    assert emergency_reached({**ADULT, "saddle_numbness.skin": UNSURE})
    assert emergency_reached({**ADULT, "cancer_history.ever": YES, "one_leg_sciatica.below_knee": YES})


def test_next_question_starts_with_cancer_and_age_and_stops_at_an_emergency() -> None:
    answers: dict[str, Answer] = {}
    asked = []
    while (question_id := next_question(answers)) is not None:
        asked.append(question_id)
        answers[question_id] = YES if question_id == "bladder_change.cannot" else NO
        if question_id == "age":
            answers["age"] = 40
    assert asked[:3] == ["cancer_history.ever", "cancer_history.tests", "age"]
    assert asked[-1] == "bladder_change.cannot"
    assert evaluate(answers).disposition is Tier.EMERGENCY


def test_a_full_screening_asks_every_finding_and_the_gate_once() -> None:
    answers: dict[str, Answer] = {}
    asked = []
    while (question_id := next_question(answers)) is not None:
        asked.append(question_id)
        answers[question_id] = 30 if question_id == "age" else 1 if question_id == "pain_weeks" else NO
    assert asked.count("pregnant") == 1
    assert len(asked) == len(set(asked))
    assert {SCREENING.question(q).finding for q in asked if q != "pregnant"} == set(ALL_FINDINGS) - {
        "pregnancy_emergency",
        "pregnancy_warning",
    }
    assert "kidney_signs.fever" not in asked and "kidney_signs.burning" not in asked
    assert "fragile_bones_injury.osteoporosis" not in asked and "aneurysm_risk.smoker" not in asked


@pytest.mark.parametrize(("gate", "asked"), [(YES, True), (UNSURE, True), (UNANSWERED, True), (NO, False)])
def test_pregnancy_follow_ups_are_skipped_only_after_a_clear_no(gate: Reply, asked: bool) -> None:
    answers: dict[str, Answer] = {**ADULT, "pregnant": gate}
    assert should_ask("pregnancy_emergency.bleeding", answers) is asked
    assert should_ask("pregnancy_warning.fluid", answers) is asked
    assert not should_ask("pregnant", answers)


def test_should_ask_skips_what_cannot_change_the_finding() -> None:
    assert not should_ask("aneurysm_risk.born_male", {"age": 64})
    assert should_ask("aneurysm_risk.born_male", {"age": 65})
    assert should_ask("aneurysm_risk.born_male", {"age": UNANSWERED})
    assert not should_ask("fragile_bones_injury.steroids", {"fragile_bones_injury.minor_injury": NO})
    assert should_ask("fragile_bones_injury.steroids", {"fragile_bones_injury.minor_injury": UNSURE})
    assert not should_ask(
        "fragile_bones_injury.steroids", {"age": 70, "fragile_bones_injury.minor_injury": YES}
    )
    assert not should_ask("fever.night_sweats", {"fever.temperature": YES})
    assert should_ask("fever.night_sweats", {"fever.temperature": UNSURE})
    assert not should_ask("kidney_signs.fever", {})
