"""Table tests of the triage rules against docs/clinical.md: every finding, combination, boundary, answer."""

import pytest

from tests.support.screening_spec import (
    ALL_FINDINGS,
    COMBINED,
    EMERGENCY,
    NO_TIER,
    POSSIBLE_GIVES_EMERGENCY,
    SOON_YES_NO,
    URGENT,
)
from voicecare.screening.answers import Answer, Reply
from voicecare.screening.findings import Tier, load_screening
from voicecare.screening.rules import emergency_reached, evaluate, gate_reply, next_question, should_ask

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

V2_ROUTE = [
    ("cancer_history", {"cancer_history.ever_or_testing": YES}, Tier.URGENT),
    ("saddle_numbness", {"saddle_numbness.skin": YES}, Tier.EMERGENCY),
    ("saddle_numbness", {"saddle_numbness.wiping": YES}, Tier.EMERGENCY),
    ("bladder_change", {"bladder_change.starting": YES}, Tier.EMERGENCY),
    ("bladder_change", {"bladder_change.leaking": YES}, Tier.EMERGENCY),
    ("bladder_change", {"bladder_change.feeling": YES}, Tier.EMERGENCY),
    ("bowel_change", {"bowel_change.leaking": YES}, Tier.EMERGENCY),
    ("bowel_change", {"bowel_change.feeling": YES}, Tier.EMERGENCY),
    ("sexual_change", {"sexual_change.during_sex": YES}, Tier.EMERGENCY),
    ("both_legs", {"both_legs.symptoms": YES}, Tier.EMERGENCY),
    ("leg_weakness_worsening", {"leg_weakness_worsening.weak_or_worse": YES}, Tier.EMERGENCY),
    ("leg_weakness_worsening", {"leg_weakness_worsening.walking": YES}, Tier.EMERGENCY),
    ("chest_pain", {"chest_pain.pain_or_breath": YES}, Tier.EMERGENCY),
    ("sudden_severe_pain", {"sudden_severe_pain.sudden": YES}, Tier.EMERGENCY),
    ("sudden_severe_pain", {"sudden_severe_pain.faint": YES}, Tier.EMERGENCY),
    ("serious_accident", {"serious_accident.accident": YES}, Tier.EMERGENCY),
    ("sepsis_signs", {"sepsis_signs.confused_or_drowsy": YES}, Tier.EMERGENCY),
    ("sepsis_signs", {"sepsis_signs.very_ill_or_skin": YES}, Tier.EMERGENCY),
    ("pregnancy_emergency", {"pregnant": YES, "pregnancy_emergency.bleeding_or_pain": YES}, Tier.EMERGENCY),
    ("fever", {"fever.temperature": YES}, Tier.URGENT),
    ("weight_loss", {"weight_loss.unintended": YES}, Tier.URGENT),
    ("lump_or_shape", {"lump_or_shape.back": YES}, Tier.URGENT),
    ("night_pain", {"night_pain.wakes": YES}, Tier.URGENT),
    ("cough_sneeze_pain", {"cough_sneeze_pain.worse": YES}, Tier.URGENT),
    ("upper_back_pain", {"upper_back_pain.between_shoulders": YES}, Tier.URGENT),
    (
        "fragile_bones_injury",
        {"fragile_bones_injury.thin_bones_or_steroids": YES, "fragile_bones_injury.minor_injury": YES},
        Tier.URGENT,
    ),
    ("fragile_bones_injury", {"age": 65, "fragile_bones_injury.minor_injury": YES}, Tier.URGENT),
    ("infection_risk", {"infection_risk.drugs_immunity_tb": YES}, Tier.URGENT),
    ("recent_spinal_procedure", {"recent_spinal_procedure.last_3_months": YES}, Tier.URGENT),
    ("kidney_signs", {"kidney_signs.side_pain": YES, "kidney_signs.blood": YES}, Tier.URGENT),
    ("kidney_signs", {"kidney_signs.side_pain": YES, "fever.temperature": YES}, Tier.URGENT),
    ("shingles_rash", {"shingles_rash.rash": YES}, Tier.URGENT),
    ("pregnancy_warning", {"pregnant": YES, "pregnancy_warning.bleeding_or_fluid": YES}, Tier.URGENT),
    ("pregnancy_warning", {"pregnant": YES, "pregnancy_warning.tightenings_or_peeing": YES}, Tier.URGENT),
    ("pregnancy_warning", {"pregnant": YES, "fever.temperature": YES}, Tier.URGENT),
    ("pelvic_bleeding", {"pelvic_bleeding.pain_or_bleeding": YES}, Tier.URGENT),
    ("bruising_bleeding", {"bruising_bleeding.unexplained": YES}, Tier.URGENT),
    ("aneurysm_risk", {"aneurysm_risk.pulsing": YES, "aneurysm_risk.risk_factors": YES}, Tier.URGENT),
    ("aneurysm_risk", {"aneurysm_risk.pulsing": YES, "age": 65}, Tier.URGENT),
    ("aneurysm_risk", {"night_pain.wakes": YES, "aneurysm_risk.risk_factors": YES}, Tier.URGENT),
    ("daily_activities_stopped", {"daily_activities_stopped.stops": YES}, Tier.SOON),
    ("getting_worse", {"getting_worse.severe_or_worse": YES}, Tier.SOON),
    ("struggling_to_cope", {"struggling_to_cope.worried_or_coping": YES}, Tier.SOON),
    ("one_leg_sciatica", {"one_leg_sciatica.below_knee": YES}, Tier.SOON),
]
"""docs/clinical.md, 'Question route, version 2': every finding reached through its version 2 questions."""


@pytest.mark.parametrize(
    ("finding_id", "answers", "tier"), V2_ROUTE, ids=[f"{r[0]}:{next(iter(r[1]))}" for r in V2_ROUTE]
)
def test_version_2_questions_give_their_findings_tier(
    finding_id: str, answers: dict[str, Answer], tier: Tier
) -> None:
    result = evaluate({**ADULT, **answers})
    assert finding_id in result.rule_ids
    assert next(r for r in result.reasons if r.rule == finding_id).tier is tier
    assert result.disposition.at_least(tier)


def test_version_2_route_covers_every_finding_with_a_tier() -> None:
    assert {row[0] for row in V2_ROUTE} == set(SPEC_TIER)


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
        ({"fragile_bones_injury.thin_bones_or_steroids": YES}, Tier.SELF_CARE),
        (
            {"fragile_bones_injury.thin_bones_or_steroids": YES, "fragile_bones_injury.minor_injury": YES},
            Tier.URGENT,
        ),
        (
            {"fragile_bones_injury.thin_bones_or_steroids": UNSURE, "fragile_bones_injury.minor_injury": YES},
            Tier.URGENT,
        ),
        ({"fragile_bones_injury.minor_injury": YES, "age": 64}, Tier.SOON),
        ({"fragile_bones_injury.minor_injury": YES, "age": 65}, Tier.URGENT),
        (
            {
                "fragile_bones_injury.minor_injury": NO,
                "age": 80,
                "fragile_bones_injury.thin_bones_or_steroids": YES,
            },
            Tier.SOON,
        ),
        ({"aneurysm_risk.pulsing": YES}, Tier.SELF_CARE),
        ({"aneurysm_risk.risk_factors": YES}, Tier.SELF_CARE),
        ({"aneurysm_risk.pulsing": YES, "aneurysm_risk.risk_factors": YES}, Tier.URGENT),
        ({"aneurysm_risk.pulsing": YES, "age": 64}, Tier.SOON),
        ({"aneurysm_risk.pulsing": YES, "age": 65}, Tier.URGENT),
        ({"aneurysm_risk.pulsing": UNSURE, "aneurysm_risk.risk_factors": YES}, Tier.URGENT),
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


def test_aneurysm_persistent_pain_is_the_night_pain_answer() -> None:
    result = evaluate({**ADULT, "night_pain.wakes": YES, "aneurysm_risk.risk_factors": YES})
    assert "aneurysm_risk" in result.rule_ids
    reason = next(r for r in result.reasons if r.rule == "aneurysm_risk")
    assert "aneurysm_risk.persistent_pain" in reason.questions
    assert "aneurysm_risk" not in evaluate({**ADULT, "aneurysm_risk.risk_factors": YES}).rule_ids


@pytest.mark.parametrize("age", [65, 80])
def test_aneurysm_age_criterion_is_65_for_anyone(age: int) -> None:
    """Version 2: no question about sex; 65 or over counts for everyone."""
    result = evaluate({"age": age, "pain_weeks": 1, "aneurysm_risk.pulsing": YES})
    assert "aneurysm_risk" in result.rule_ids and result.disposition is Tier.URGENT
    assert (
        "aneurysm_risk" not in evaluate({"age": 64, "pain_weeks": 1, "aneurysm_risk.pulsing": YES}).rule_ids
    )


@pytest.mark.parametrize("finding_id", ["pregnancy_emergency", "pregnancy_warning"])
@pytest.mark.parametrize(("gate", "counts"), [(YES, True), (UNSURE, True), (UNANSWERED, True), (NO, False)])
def test_only_a_clear_no_to_pregnant_rules_out_pregnancy_findings(
    finding_id: str, gate: Reply, counts: bool
) -> None:
    question = SCREENING.findings[finding_id].questions[0].id
    result = evaluate({**ADULT, "pregnant": gate, question: YES})
    assert (finding_id in result.rule_ids) is counts


def test_pregnancy_findings_name_the_maternity_unit() -> None:
    emergency = evaluate({**ADULT, "pregnant": YES, "pregnancy_emergency.bleeding_or_pain": YES})
    warning = evaluate({**ADULT, "pregnant": YES, "pregnancy_warning.bleeding_or_fluid": YES})
    assert emergency.disposition is Tier.EMERGENCY
    assert "maternity_unit_as_well" in [i.id for i in emergency.instructions]
    assert warning.disposition is Tier.URGENT
    assert "maternity_unit_now" in [i.id for i in warning.instructions]


def test_fever_in_pregnancy_is_a_pregnancy_warning_only_once_the_gate_is_asked() -> None:
    assert "pregnancy_warning" in evaluate({**ADULT, "pregnant": YES, "fever.temperature": YES}).rule_ids
    assert "pregnancy_warning" not in evaluate({**ADULT, "fever.temperature": YES}).rule_ids
    assert "pregnancy_warning" not in evaluate({**ADULT, "pregnant": NO, "fever.temperature": YES}).rule_ids


@pytest.mark.parametrize(("age", "counts"), [(15, True), (16, True), (55, True), (56, False), (80, False)])
def test_from_56_the_pregnancy_gate_counts_as_no(age: int, counts: bool) -> None:
    """Version 2: the gate is asked of everyone aged 16 to 55 (and below 16: only 56 and over is exempt)."""
    answers: dict[str, Answer] = {"age": age, "pain_weeks": 1, "pregnancy_emergency.bleeding_or_pain": YES}
    assert ("pregnancy_emergency" in evaluate(answers).rule_ids) is counts
    assert should_ask("pregnant", {"age": age}) is counts


@pytest.mark.parametrize("reply", [UNSURE, UNANSWERED])
def test_with_an_unanswered_age_the_pregnancy_gate_is_asked(reply: Reply) -> None:
    assert should_ask("pregnant", {"age": reply})
    assert should_ask("pregnant", {})


def test_a_pregnancy_answer_given_counts_whatever_the_age() -> None:
    answers: dict[str, Answer] = {"age": 60, "pregnant": YES, "pregnancy_emergency.bleeding_or_pain": YES}
    assert evaluate(answers).disposition is Tier.EMERGENCY
    assert gate_reply("pregnant", {"age": 60}) is NO
    assert gate_reply("pregnant", {"age": 60, "pregnant": UNSURE}) is UNSURE
    assert gate_reply("pregnant", {"age": 40}) is None


# ---------------------------------------------------------------- rules that combine findings
COMBINATIONS = [
    ("fever_with_infection_risk", {"fever": YES, "infection_risk": YES}),
    ("fever_with_diabetes_or_recent_infection", {"fever": YES, "diabetes_or_recent_infection": YES}),
    ("fever_after_spinal_procedure", {"fever": YES, "recent_spinal_procedure": YES}),
    (
        "new_leg_pain_after_spinal_procedure",
        {"recent_spinal_procedure": YES, "one_leg_sciatica": YES, "sciatica_new_since_procedure": YES},
    ),
    (
        "new_leg_pain_after_spinal_procedure",
        {"recent_spinal_procedure": YES, "one_leg_sciatica": YES, "sciatica_new_since_procedure": UNSURE},
    ),
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
    if key in NO_TIER:
        return Tier.SELF_CARE
    return SPEC_TIER[key]


@pytest.mark.parametrize(("rule", "answers"), COMBINATIONS)
def test_each_half_of_a_combination_alone_gives_its_own_tier(rule: str, answers: dict[str, Answer]) -> None:
    for key, value in answers.items():
        result = evaluate({**ADULT, key: value})
        assert rule not in result.rule_ids
        assert result.disposition is _alone_tier(key, value)


def test_cancer_with_nerve_signs_names_the_24_hour_line() -> None:
    result = evaluate({**ADULT, "cancer_history.ever_or_testing": YES, "one_leg_sciatica.below_knee": YES})
    assert "cancer_team_24_hour_line" in [i.id for i in result.instructions]


def test_cancer_history_alone_is_urgent_with_the_acute_line() -> None:
    result = evaluate({**ADULT, "cancer_history.ever_or_testing": YES})
    assert result.disposition is Tier.URGENT
    assert [i.id for i in result.instructions] == ["cancer_team_acute_line_today"]


def test_age_50_with_pain_4_weeks_is_soon_with_a_doctor_within_a_week() -> None:
    """Version 2 (version 1 said urgent: over-triage): soon, see the doctor within a week and mention the
    age and how long the pain has lasted."""
    both = evaluate({"age": 50, "pain_weeks": 4})
    assert both.disposition is Tier.SOON and "age_50_with_pain_4_weeks" in both.rule_ids
    assert [i.id for i in both.instructions] == ["doctor_within_a_week"]
    assert "age" in both.instructions[0].text and "how long" in both.instructions[0].text
    for one in ({"age": 50, "pain_weeks": 3}, {"age": 49, "pain_weeks": 4}):
        alone = evaluate(one)
        assert alone.disposition is Tier.SOON and alone.instructions == ()


def test_fever_with_diabetes_or_recent_infection_is_an_emergency() -> None:
    key = "diabetes_or_recent_infection.diabetes_or_infection"
    result = evaluate({**ADULT, "fever.temperature": YES, key: YES})
    assert result.disposition is Tier.EMERGENCY
    assert [r.rule for r in result.deciding_reasons] == ["fever_with_diabetes_or_recent_infection"]
    assert evaluate({**ADULT, key: YES}).disposition is Tier.SELF_CARE
    assert evaluate({**ADULT, "fever.temperature": YES, key: NO}).disposition is Tier.URGENT
    doubt = evaluate({**ADULT, "fever.temperature": YES, key: UNSURE})
    assert doubt.disposition is Tier.URGENT
    assert doubt.instructions[0].symptoms == ("diabetes_or_recent_infection",)


def test_diabetes_alone_no_longer_gives_urgent() -> None:
    """Version 2: diabetes moved out of infection_risk; with no fever it is not even asked."""
    assert "diabetes" not in " ".join(q.id for q in SCREENING.findings["infection_risk"].questions)
    assert not should_ask(
        "diabetes_or_recent_infection.diabetes_or_infection", {**ADULT, "fever.temperature": NO}
    )


@pytest.mark.parametrize(("fever", "asked"), [(YES, True), (UNSURE, True), (UNANSWERED, True), (NO, False)])
def test_diabetes_is_asked_only_when_fever_is_yes_or_possible(fever: Reply, asked: bool) -> None:
    answers: dict[str, Answer] = {**ADULT, "fever.temperature": fever}
    assert should_ask("diabetes_or_recent_infection.diabetes_or_infection", answers) is asked


SPINAL = {"recent_spinal_procedure.last_3_months": YES, "one_leg_sciatica.below_knee": YES}
FOLLOW_UP = "sciatica_new_since_procedure.since_procedure"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [(YES, Tier.EMERGENCY), (UNSURE, Tier.EMERGENCY), (UNANSWERED, Tier.EMERGENCY), (NO, Tier.URGENT)],
)
def test_leg_pain_after_a_spinal_procedure_counts_when_new_worse_or_not_sure(
    reply: Reply, expected: Tier
) -> None:
    """Leg pain that merely persists (a clear no to the follow-up) is urgent for the procedure alone."""
    result = evaluate({**ADULT, **SPINAL, FOLLOW_UP: reply})
    assert result.disposition is expected
    assert ("new_leg_pain_after_spinal_procedure" in result.rule_ids) is (expected is Tier.EMERGENCY)
    if expected is Tier.EMERGENCY:
        assert next(r for r in result.reasons if r.rule == "new_leg_pain_after_spinal_procedure").certain


@pytest.mark.parametrize(
    ("procedure", "sciatica", "asked"),
    [(YES, YES, True), (UNSURE, YES, True), (YES, UNSURE, True), (NO, YES, False), (YES, NO, False)],
)
def test_the_follow_up_is_asked_only_after_a_procedure_with_leg_pain(
    procedure: Reply, sciatica: Reply, asked: bool
) -> None:
    answers = {
        **ADULT,
        "recent_spinal_procedure.last_3_months": procedure,
        "one_leg_sciatica.below_knee": sciatica,
    }
    assert should_ask(FOLLOW_UP, answers) is asked


def test_bladder_or_leg_weakness_after_a_procedure_needs_no_follow_up() -> None:
    for sign in ("bladder_change.feeling", "leg_weakness_worsening.walking"):
        result = evaluate({**ADULT, "recent_spinal_procedure.last_3_months": YES, sign: YES})
        assert "nerve_signs_after_spinal_procedure" in result.rule_ids


def test_possible_half_of_an_emergency_combination_gives_urgent_and_call_now() -> None:
    result = evaluate({**ADULT, "fever.temperature": UNSURE, "infection_risk.drugs_immunity_tb": YES})
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
    with_age = evaluate({"age": 50, "pain_weeks": reply})
    assert with_age.disposition is Tier.SOON and "age_50_with_pain_4_weeks" in with_age.rule_ids


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
    assert emergency_reached({**ADULT, "chest_pain.pain_or_breath": YES})
    assert not emergency_reached({**ADULT, "chest_pain.pain_or_breath": UNSURE})
    assert emergency_reached({**ADULT, "saddle_numbness.skin": UNSURE})
    assert emergency_reached(
        {**ADULT, "cancer_history.ever_or_testing": YES, "one_leg_sciatica.below_knee": YES}
    )


def test_next_question_starts_with_cancer_and_age_and_stops_at_an_emergency() -> None:
    answers: dict[str, Answer] = {}
    asked = []
    while (question_id := next_question(answers)) is not None:
        asked.append(question_id)
        answers[question_id] = YES if question_id == "bladder_change.leaking" else NO
        if question_id == "age":
            answers["age"] = 40
    assert asked[:2] == ["cancer_history.ever_or_testing", "age"]
    assert asked[-1] == "bladder_change.leaking"
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
        *NO_TIER,
    }
    assert "kidney_signs.fever" not in asked and "kidney_signs.burning" not in asked
    assert "fragile_bones_injury.minor_injury" not in asked and "aneurysm_risk.risk_factors" not in asked
    assert "fragile_bones_injury.thin_bones_or_steroids" in asked


HEALTHY_SCREENING_QUESTIONS = 39
"""The yes/no questions, the gate and the two numbers a healthy 30-year-old is asked (version 2); with
the two numbers' read-backs the screening takes 41 turns (tests/dialogues counts the whole visit)."""


def test_a_healthy_adult_is_asked_the_version_2_route() -> None:
    answers: dict[str, Answer] = {}
    asked = []
    while (question_id := next_question(answers)) is not None:
        asked.append(question_id)
        answers[question_id] = 30 if question_id == "age" else 1 if question_id == "pain_weeks" else NO
    assert len(asked) == HEALTHY_SCREENING_QUESTIONS, asked


@pytest.mark.parametrize(("gate", "asked"), [(YES, True), (UNSURE, True), (UNANSWERED, True), (NO, False)])
def test_pregnancy_follow_ups_are_skipped_only_after_a_clear_no(gate: Reply, asked: bool) -> None:
    answers: dict[str, Answer] = {**ADULT, "pregnant": gate}
    assert should_ask("pregnancy_emergency.bleeding_or_pain", answers) is asked
    assert should_ask("pregnancy_warning.bleeding_or_fluid", answers) is asked
    assert not should_ask("pregnant", answers)


THIN = "fragile_bones_injury.thin_bones_or_steroids"
INJURY = "fragile_bones_injury.minor_injury"


@pytest.mark.parametrize(
    ("answers", "thin_asked", "injury_asked"),
    [
        ({"age": 40}, True, True),
        ({"age": 40, THIN: NO}, False, False),
        ({"age": 40, THIN: YES}, False, True),
        ({"age": 40, THIN: UNSURE}, False, True),
        ({"age": 64, THIN: NO}, False, False),
        ({"age": 65}, False, True),
        ({"age": 80}, False, True),
        ({"age": UNANSWERED}, True, True),
        ({"age": UNANSWERED, THIN: NO}, False, True),
    ],
)
def test_fragile_bones_route_by_age(answers: dict[str, Answer], thin_asked: bool, injury_asked: bool) -> None:
    """Under 65 the thin-bones question first and the minor injury only after a yes (or a doubt); from 65
    the group is yes by age, so only the minor-injury question. An unknown age asks both."""
    assert should_ask(THIN, answers) is thin_asked
    assert should_ask(INJURY, answers) is injury_asked


RISK = "aneurysm_risk.risk_factors"


@pytest.mark.parametrize(
    ("answers", "asked"),
    [
        ({"age": 40, "night_pain.wakes": NO, "aneurysm_risk.pulsing": NO}, False),
        ({"age": 40, "night_pain.wakes": NO, "aneurysm_risk.pulsing": YES}, True),
        ({"age": 40, "night_pain.wakes": NO, "aneurysm_risk.pulsing": UNSURE}, True),
        ({"age": 40, "night_pain.wakes": YES, "aneurysm_risk.pulsing": NO}, True),
        ({"age": 65, "night_pain.wakes": NO, "aneurysm_risk.pulsing": YES}, False),
        ({"age": UNANSWERED, "night_pain.wakes": NO, "aneurysm_risk.pulsing": YES}, True),
    ],
)
def test_aneurysm_risk_group_is_asked_only_after_a_symptom_and_under_65(
    answers: dict[str, Answer], asked: bool
) -> None:
    assert should_ask(RISK, answers) is asked


def test_should_ask_skips_what_cannot_change_the_finding() -> None:
    assert not should_ask("aneurysm_risk.persistent_pain", {})
    assert should_ask("aneurysm_risk.pulsing", {"age": 70})
    assert not should_ask("bladder_change.feeling", {"bladder_change.starting": YES})
    assert should_ask("bladder_change.feeling", {"bladder_change.starting": UNSURE})
    assert not should_ask("kidney_signs.fever", {})
    assert not should_ask("kidney_signs.burning", {"kidney_signs.side_pain": NO})
