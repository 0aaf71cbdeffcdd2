"""The route of a visit as a pure function of a person's dated history and today (docs/clinical.md, 'Return
visits'): when a return visit applies, which remembered answers stand in for questions, the 28-day and
12-week rules, age thresholds, weeks of pain counted on, a spinal procedure's 3 months, and the checks made
when the content files are loaded."""

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicecare.errors import ConfigError
from voicecare.records import Person, PersonHistory, Remembered, Visit
from voicecare.screening.advice import load_advice
from voicecare.screening.answers import Reply
from voicecare.screening.findings import FINDINGS_FILE, Tier, load_screening
from voicecare.screening.return_visit import (
    FALL,
    RETURN_VISIT_FILE,
    SINCE,
    WHO,
    Route,
    age_limits,
    load_return_visit,
    may_have_passed,
    plan_visit,
    stable_keys,
    weeks_since,
)
from voicecare.screening.rules import evaluate

SCREENING = load_screening()
ADVICE = load_advice()
MARCH_1 = date(2026, 3, 1)
ANN = Person(1, "Ann", MARCH_1)
CANCER = "cancer_history.ever_or_testing"
THIN_BONES = "fragile_bones_injury.thin_bones_or_steroids"
INFECTION = "infection_risk.drugs_immunity_tb"
SPINE = "recent_spinal_procedure.last_3_months"
STABLE = stable_keys(SCREENING, ADVICE)


def history(
    answers: dict[str, str] | None = None,
    on: date = MARCH_1,
    disposition: str | None = "self_care",
    completed: bool = True,
) -> PersonHistory:
    """Ann, screened on ``on`` with that outcome: a healthy first visit's stable answers (all no), age 42
    and 2 weeks of pain, changed by ``answers``."""
    given_answers = {key: "no" for key in STABLE} | {
        "age": "42",
        "pain_weeks": "2",
        "serious_accident.accident": "no",
    }
    given_answers |= answers or {}
    remembered = {key: Remembered(answer, on, 7) for key, answer in given_answers.items()}
    return PersonHistory(ANN, remembered, Visit(7, on, disposition, completed))


def days(n: int) -> date:
    return MARCH_1 + timedelta(days=n)


def test_the_stable_history_is_the_data_marked_stable() -> None:
    assert STABLE == (
        CANCER,
        THIN_BONES,
        INFECTION,
        SPINE,
        "aneurysm_risk.risk_factors",
        "kidney_heart_or_blood_pressure",
        "bleeding_or_nsaid_risk",
    )


def test_a_healthy_return_10_days_later_uses_what_is_remembered() -> None:
    plan = plan_visit(history(), days(10))
    assert plan.route is Route.RETURN_VISIT and plan.name == "Ann" and plan.last_visit == MARCH_1
    assert plan.extra_questions == (WHO, SINCE, FALL)
    assert not plan.stable_due and not plan.offer_startback
    used = plan.prefilled(since_clear_no=True, fall_clear_no=True)
    assert {key: p.answer for key, p in used.items()} == {
        **{key: Reply.NO for key in STABLE},
        "age": 42,
        "pain_weeks": 4,
        "serious_accident.accident": Reply.NO,
    }
    assert {p.on for p in used.values()} == {MARCH_1}, "each with the day it was said"


def test_anything_but_a_clear_no_to_r1_or_the_fall_question_asks_again() -> None:
    plan = plan_visit(history(), days(10))
    assert set(plan.prefilled(since_clear_no=False, fall_clear_no=True)) == {
        "age",
        "pain_weeks",
        "serious_accident.accident",
    }
    assert set(plan.prefilled(since_clear_no=True, fall_clear_no=False)) == {*STABLE, "age", "pain_weeks"}


@pytest.mark.parametrize(("day", "due"), [(0, False), (27, False), (28, True), (83, True)])
def test_the_stable_history_is_asked_in_full_from_28_days(day: int, due: bool) -> None:
    plan = plan_visit(history(), days(day))
    assert plan.route is Route.RETURN_VISIT and plan.stable_due is due
    if due:
        assert plan.extra_questions == (WHO, FALL), "R1 is not asked when everything is asked anyway"
        assert set(plan.prefilled(since_clear_no=True, fall_clear_no=True)) == {
            "age",
            "pain_weeks",
            "serious_accident.accident",
        }


def test_one_stale_stable_answer_makes_the_whole_stable_history_due() -> None:
    fresh = history(on=days(20))
    stale = replace(fresh, answers={**fresh.answers, INFECTION: Remembered("no", MARCH_1, 3)})
    assert plan_visit(stale, days(30)).stable_due
    assert not plan_visit(fresh, days(30)).stable_due


@pytest.mark.parametrize(
    ("changed", "why"),
    [
        (lambda h: None, "nothing is remembered"),
        (lambda h: replace(h, ignored_because="it is kept under another person's name"), "ignored"),
        (lambda h: replace(h, last_screening=None), "no earlier screening"),
        (lambda h: history(completed=False), "not completed"),
        (lambda h: history(disposition="urgent"), "the last outcome was urgent"),
        (lambda h: history(disposition="emergency"), "the last outcome was emergency"),
        (lambda h: history(disposition=None), "the last outcome was None"),
        (lambda h: history({CANCER: "unsure"}), "not a clear yes or no"),
        (lambda h: history({"kidney_heart_or_blood_pressure": "unanswered"}), "not a clear yes or no"),
    ],
)
def test_otherwise_the_first_visit_route(changed: object, why: str) -> None:
    assert callable(changed)
    plan = plan_visit(changed(history()), days(10))
    assert plan.route is Route.FIRST_VISIT and why in plan.why
    assert plan.extra_questions == () and plan.offer_startback
    assert plan.prefilled(since_clear_no=True, fall_clear_no=True) == {}


@pytest.mark.parametrize(
    ("day", "route"), [(83, Route.RETURN_VISIT), (84, Route.FIRST_VISIT), (90, Route.FIRST_VISIT)]
)
def test_from_12_weeks_the_first_visit_route_and_startback_again(day: int, route: Route) -> None:
    plan = plan_visit(history(), days(day))
    assert plan.route is route
    assert plan.offer_startback is (route is Route.FIRST_VISIT)


@pytest.mark.parametrize(
    ("age", "day", "asked"),
    [
        (42, 10, False),
        (49, 1, True),
        (49, 0, False),
        (19, 10, True),
        (15, 10, True),
        (55, 10, True),
        (64, 10, True),
        (65, 83, False),
        (48, 83, False),
    ],
)
def test_age_is_asked_again_when_a_threshold_may_have_been_passed(age: int, day: int, asked: bool) -> None:
    plan = plan_visit(history({"age": str(age)}), days(day))
    assert ("age" not in plan.numbers) is asked


def test_the_ages_come_from_the_rules() -> None:
    assert age_limits(SCREENING, ADVICE) == (16, 20, 50, 56, 65)
    assert may_have_passed(49, MARCH_1, days(1), (50,))
    assert not may_have_passed(48, MARCH_1, days(364), (50,))
    assert may_have_passed(48, MARCH_1, days(366), (50,))


@pytest.mark.parametrize(
    ("weeks", "day", "now"), [(2, 0, 2), (2, 1, 3), (2, 7, 3), (2, 10, 4), (0, 30, 5), (6, 83, 18)]
)
def test_weeks_of_pain_are_counted_on_and_rounded_up(weeks: int, day: int, now: int) -> None:
    assert weeks_since(weeks, MARCH_1, days(day)) == now
    plan = plan_visit(history({"pain_weeks": str(weeks)}), days(day))
    assert plan.numbers["pain_weeks"].answer == now and plan.numbers["pain_weeks"].on == MARCH_1


def test_a_number_not_heard_last_time_is_asked() -> None:
    plan = plan_visit(history({"age": "unanswered", "pain_weeks": "unsure"}), days(10))
    assert plan.route is Route.RETURN_VISIT and plan.numbers == {}


def test_a_remembered_yes_keeps_counting_and_a_spinal_procedure_for_3_months() -> None:
    plan = plan_visit(history({THIN_BONES: "yes", SPINE: "yes"}), days(10))
    used = plan.prefilled(since_clear_no=True, fall_clear_no=True)
    assert used[THIN_BONES].answer is Reply.YES and used[SPINE].answer is Reply.YES
    assert set(plan.remembered_yes) == {THIN_BONES, SPINE}
    later = plan_visit(history({THIN_BONES: "yes", SPINE: "yes"}, on=days(-10)), days(81))
    assert set(later.remembered_yes) == {THIN_BONES}, "the procedure's yes has lasted its 91 days"


def test_the_first_visit_route_still_checks_a_remembered_yes() -> None:
    plan = plan_visit(history({CANCER: "yes"}, disposition="urgent"), days(10))
    assert plan.route is Route.FIRST_VISIT and set(plan.remembered_yes) == {CANCER}


SYMPTOMS = {
    q.id
    for f in SCREENING.findings.values()
    for q in f.questions
    if not q.stable and f.kind.value == "yes_no"
}


@given(
    st.dictionaries(
        st.sampled_from([*STABLE, "age", "pain_weeks"]), st.sampled_from(["yes", "no", "30", "60"])
    ),
    st.integers(0, 120),
    st.sampled_from(["soon", "self_care", "urgent"]),
    st.booleans(),
    st.booleans(),
)
def test_no_symptom_or_gate_is_ever_taken_from_memory(
    answers: dict[str, str], day: int, disposition: str, since_no: bool, fall_no: bool
) -> None:
    used = plan_visit(history(answers, disposition=disposition), days(day)).prefilled(since_no, fall_no)
    taken = set(used) - {"age", "pain_weeks"}
    assert not taken & (SYMPTOMS - {"serious_accident.accident", "fragile_bones_injury.minor_injury"})
    assert not taken & set(SCREENING.gates)
    if taken - set(STABLE) and not fall_no:
        pytest.fail("the fall question's questions are taken only after a clear no")


def test_what_is_taken_from_memory_never_hides_a_new_warning_sign() -> None:
    """The rules are unchanged: a remembered no plus a new yes gives what the yes gives on a first visit."""
    used = plan_visit(history(), days(10)).prefilled(since_clear_no=True, fall_clear_no=True)
    answers = {key: p.answer for key, p in used.items() if key not in {c.id for c in ADVICE.context}}
    assert evaluate(answers).disposition is Tier.SOON, "4 weeks of pain, counted on"
    assert evaluate({**answers, "saddle_numbness.skin": Reply.YES}).disposition is Tier.EMERGENCY


def copy_with(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text()
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1))
    return path


def test_an_emergency_symptom_cannot_be_marked_stable(tmp_path: Path) -> None:
    old = 'readback = "numbness or tingling around your bottom or between your legs"\n'
    findings = copy_with(tmp_path, FINDINGS_FILE, old, old + "stable = true\n")
    with pytest.raises(ConfigError, match="stable"):
        load_screening(findings)


def test_yes_lasts_days_needs_stable(tmp_path: Path) -> None:
    findings = copy_with(
        tmp_path, FINDINGS_FILE, "stable = true\nyes_lasts_days = 91\n", "yes_lasts_days = 91\n"
    )
    with pytest.raises(ConfigError, match="yes_lasts_days"):
        load_screening(findings)


def test_every_stable_key_needs_its_wording(tmp_path: Path) -> None:
    content = copy_with(
        tmp_path,
        RETURN_VISIT_FILE,
        "[remembered.bleeding_or_nsaid_risk]\n",
        "[remembered.not_stable_at_all]\n",
    )
    with pytest.raises(ConfigError, match="not stable history"):
        load_return_visit(content, SCREENING, ADVICE)


def test_the_fall_question_covers_only_questions(tmp_path: Path) -> None:
    content = copy_with(tmp_path, RETURN_VISIT_FILE, '"serious_accident.accident"', '"serious_accident"')
    with pytest.raises(ConfigError, match="covers"):
        load_return_visit(content, SCREENING, ADVICE)
