"""Property: the rules are monotone. More warning signs, or doubt in place of a no, never lowers urgency."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.screening_spec import NO_TIER
from voicecare.screening.answers import Answer, Reply
from voicecare.screening.findings import load_screening
from voicecare.screening.rules import evaluate

SCREENING = load_screening()
YES_NO_KEYS = sorted(
    {
        q.id
        for f in SCREENING.findings.values()
        for q in f.questions
        if f.kind.value == "yes_no" and not q.reuse
    }
    | set(SCREENING.gates)
    | set(NO_TIER)
)
"""Question and gate ids, and the findings with no tier of their own answered whole."""
VERSION_2_KEYS = sorted(
    {
        "fever.temperature",
        "diabetes_or_recent_infection.diabetes_or_infection",
        "infection_risk.drugs_immunity_tb",
        "recent_spinal_procedure.last_3_months",
        "one_leg_sciatica.below_knee",
        "sciatica_new_since_procedure.since_procedure",
        "bladder_change.feeling",
        "leg_weakness_worsening.walking",
        "pregnant",
        "pregnancy_emergency.bleeding_or_pain",
        "pregnancy_warning.tightenings_or_peeing",
        "fragile_bones_injury.thin_bones_or_steroids",
        "fragile_bones_injury.minor_injury",
        "aneurysm_risk.pulsing",
        "aneurysm_risk.risk_factors",
        "night_pain.wakes",
    }
)
"""The questions whose rules version 2 changed: drawn together often, so their combinations are met."""
REPLIES = [Reply.YES, Reply.NO, Reply.UNSURE, Reply.UNANSWERED]
MORE_WORRYING = {
    None: [Reply.YES, Reply.UNSURE, Reply.UNANSWERED],
    Reply.NO: [Reply.YES, Reply.UNSURE, Reply.UNANSWERED],
    Reply.UNSURE: [Reply.YES],
    Reply.UNANSWERED: [Reply.YES],
    Reply.YES: [Reply.YES],
}
"""For each answer (None = not asked), the answers that must never make the outcome less urgent."""

AGE_LIMITS = [15, 16, 19, 20, 49, 50, 55, 56, 64, 65]
"""Either side of every age the rules use: 16, 20, 50, the pregnancy gate's 56, and 65."""
numbers = st.one_of(
    st.none(),
    st.sampled_from([Reply.UNSURE, Reply.UNANSWERED]),
    st.sampled_from(AGE_LIMITS),
    st.integers(0, 100),
)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Answer]:
    pool = draw(st.sampled_from([YES_NO_KEYS, VERSION_2_KEYS]))
    keys = draw(st.lists(st.sampled_from(pool), unique=True, max_size=25))
    answers: dict[str, Answer] = {key: draw(st.sampled_from(REPLIES)) for key in keys}
    for number in ("age", "pain_weeks"):
        value = draw(numbers)
        if value is not None:
            answers[number] = value
    return answers


@settings(max_examples=200, deadline=None)
@given(answer_sets(), st.sampled_from(YES_NO_KEYS))
def test_a_more_worrying_answer_never_lowers_the_disposition(answers: dict[str, Answer], extra: str) -> None:
    before = evaluate(answers).disposition
    for key in {*answers, extra} - {"age", "pain_weeks"}:
        old = answers.get(key)
        assert not isinstance(old, int)
        for new in MORE_WORRYING[old]:
            after = evaluate({**answers, key: new}).disposition
            assert after.rank <= before.rank, (key, old, new)


@settings(max_examples=200, deadline=None)
@given(answer_sets())
def test_doubt_in_place_of_every_no_never_lowers_the_disposition(answers: dict[str, Answer]) -> None:
    doubtful = {k: Reply.UNSURE if v is Reply.NO else v for k, v in answers.items()}
    assert evaluate(doubtful).disposition.rank <= evaluate(answers).disposition.rank


@settings(max_examples=200, deadline=None)
@given(answer_sets())
def test_a_missing_number_is_never_safer_than_any_number(answers: dict[str, Answer]) -> None:
    for number in ("age", "pain_weeks"):
        if isinstance(answers.get(number), int):
            unanswered = {**answers, number: Reply.UNANSWERED}
            assert evaluate(unanswered).disposition.rank <= evaluate(answers).disposition.rank
