"""Tier 2: whole screenings in text mode, one person each, checked against docs/clinical.md.

Each case is a person with findings. The test checks the outcome and its reasons, the read-backs (every
yes to an emergency or urgent finding, every number), that screening stops at the first emergency, and
that the same replies typed through the real text channel give exactly the same questions and outcome.
"""

from dataclasses import dataclass, field

import pytest

from tests.support.screening_people import SILENT, Person, Screened, screen, screen_typed, transcript
from voicecare.dialogue.events import AskEvent, HeardEvent, OutcomeEvent, SayEvent
from voicecare.screening.answers import Reply
from voicecare.screening.findings import Tier, load_screening

SCREENING = load_screening()
READ_BACK_TIERS = (Tier.EMERGENCY, Tier.URGENT)


@dataclass(frozen=True)
class Case:
    """A person, the disposition docs/clinical.md gives them, and what must be true of their screening."""

    name: str
    replies: dict[str, str | list[str]]
    disposition: str
    reasons: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()
    read_back: tuple[str, ...] = ()
    """Question ids whose yes (or number) must be read back."""
    ended_by: str = "completed"
    said: tuple[str, ...] = field(default=())
    """Fragments that some sentence must contain."""
    asks: tuple[str, ...] = ()
    """Question or gate ids that must be asked."""
    never_asks: tuple[str, ...] = ()
    """Question or gate ids that must not be asked."""


DIABETES = "diabetes_or_recent_infection.diabetes_or_infection"
FOLLOW_UP = "sciatica_new_since_procedure.since_procedure"
THIN = "fragile_bones_injury.thin_bones_or_steroids"
RISK = "aneurysm_risk.risk_factors"


CASES = [
    Case("no warning signs", {}, "self_care", read_back=("age", "pain_weeks")),
    Case(
        "saddle numbness",
        {"saddle_numbness.skin": "yes"},
        "emergency",
        ("saddle_numbness",),
        read_back=("saddle_numbness.skin",),
        ended_by="emergency",
        said=("911",),
    ),
    Case(
        "numb when wiping",
        {"saddle_numbness.wiping": "yeah"},
        "emergency",
        ("saddle_numbness",),
        read_back=("saddle_numbness.wiping",),
        ended_by="emergency",
    ),
    Case(
        "leaking pee",
        {"bladder_change.leaking": "yes"},
        "emergency",
        ("bladder_change",),
        read_back=("bladder_change.leaking",),
        ended_by="emergency",
    ),
    Case(
        "cannot hold wind",
        {"bowel_change.leaking": "yes I have"},
        "emergency",
        ("bowel_change",),
        read_back=("bowel_change.leaking",),
        ended_by="emergency",
    ),
    Case(
        "erection trouble",
        {"sexual_change.during_sex": "yes"},
        "emergency",
        ("sexual_change",),
        ended_by="emergency",
    ),
    Case(
        "both legs, one worse",
        {"both_legs.symptoms": "yes"},
        "emergency",
        ("both_legs",),
        ended_by="emergency",
    ),
    Case(
        "foot drags",
        {"leg_weakness_worsening.walking": "yes"},
        "emergency",
        ("leg_weakness_worsening",),
        ended_by="emergency",
    ),
    Case(
        "short of breath",
        {"chest_pain.pain_or_breath": "yes"},
        "emergency",
        ("chest_pain",),
        ended_by="emergency",
    ),
    Case(
        "tearing pain",
        {"sudden_severe_pain.sudden": "yes"},
        "emergency",
        ("sudden_severe_pain",),
        ended_by="emergency",
    ),
    Case("car crash", {"serious_accident": "yes"}, "emergency", ("serious_accident",), ended_by="emergency"),
    Case(
        "slurred speech",
        {"sepsis_signs.confused_or_drowsy": "yes"},
        "emergency",
        ("sepsis_signs",),
        ended_by="emergency",
    ),
    Case(
        "pregnant and bleeding heavily",
        {"pregnant": "yes", "pregnancy_emergency.bleeding_or_pain": "yes"},
        "emergency",
        ("pregnancy_emergency",),
        read_back=("pregnancy_emergency.bleeding_or_pain",),
        ended_by="emergency",
    ),
    Case(
        "fever with diabetes",
        {"fever.temperature": "yes", "diabetes_or_recent_infection": "yes"},
        "emergency",
        ("fever", "diabetes_or_recent_infection"),
        read_back=("fever.temperature", DIABETES),
        ended_by="emergency",
        asks=(DIABETES,),
        said=("possible infection of the spine",),
    ),
    Case(
        "fever with a recent skin infection, read back",
        {"fever.temperature": "yes", DIABETES: "yes, a skin infection last week"},
        "emergency",
        ("fever", "diabetes_or_recent_infection"),
        read_back=(DIABETES,),
        ended_by="emergency",
    ),
    Case(
        "fever without diabetes or infection",
        {"fever.temperature": "yes", DIABETES: "no"},
        "urgent",
        ("fever",),
        asks=(DIABETES,),
    ),
    Case(
        "fever, not sure about diabetes",
        {"fever.temperature": "yes", DIABETES: "not sure"},
        "urgent",
        ("fever",),
        said=("If you do have diabetes or another recent infection, call 911 now.",),
    ),
    Case(
        "fever with a weakened immune system",
        {"fever.temperature": "yes", "infection_risk": "yes", DIABETES: "no"},
        "emergency",
        ("fever", "infection_risk"),
        read_back=("fever.temperature", "infection_risk.drugs_immunity_tb"),
        ended_by="emergency",
    ),
    Case(
        "fever after an epidural",
        {"fever.temperature": "yes", "recent_spinal_procedure.last_3_months": "yes"},
        "emergency",
        ("fever", "recent_spinal_procedure"),
        ended_by="emergency",
    ),
    Case(
        "leg pain new since spinal surgery",
        {"recent_spinal_procedure": "yes", "one_leg_sciatica": "yes", FOLLOW_UP: "yes"},
        "emergency",
        ("recent_spinal_procedure", "one_leg_sciatica", "sciatica_new_since_procedure"),
        read_back=("recent_spinal_procedure.last_3_months", FOLLOW_UP),
        ended_by="emergency",
        asks=(FOLLOW_UP,),
    ),
    Case(
        "not sure whether leg pain is new since spinal surgery",
        {"recent_spinal_procedure": "yes", "one_leg_sciatica": "yes", FOLLOW_UP: "not sure"},
        "emergency",
        ("recent_spinal_procedure", "one_leg_sciatica", "sciatica_new_since_procedure"),
        ended_by="emergency",
        said=("you were not sure whether you have leg pain that is new or worse since the procedure",),
    ),
    Case(
        "leg pain unchanged since spinal surgery",
        {"recent_spinal_procedure": "yes", "one_leg_sciatica": "yes", FOLLOW_UP: "no"},
        "urgent",
        ("recent_spinal_procedure",),
        asks=(FOLLOW_UP,),
    ),
    Case(
        "spinal surgery without leg pain",
        {"recent_spinal_procedure": "yes"},
        "urgent",
        ("recent_spinal_procedure",),
        never_asks=(FOLLOW_UP,),
    ),
    Case(
        "leg pain without spinal surgery",
        {"one_leg_sciatica": "yes"},
        "soon",
        ("one_leg_sciatica",),
        never_asks=(FOLLOW_UP,),
    ),
    Case(
        "cancer history and sciatica",
        {"cancer_history.ever_or_testing": "yes", "one_leg_sciatica": "yes"},
        "emergency",
        ("cancer_history", "one_leg_sciatica"),
        read_back=("cancer_history.ever_or_testing",),
        ended_by="emergency",
    ),
    Case(
        "a child with a fever",
        {"age": "twelve", "fever.temperature": "yes"},
        "emergency",
        ("age", "fever"),
        read_back=("age", "fever.temperature"),
        ended_by="emergency",
    ),
    Case(
        "not sure about saddle numbness",
        {"saddle_numbness.skin": "not sure"},
        "emergency",
        possible=("saddle_numbness",),
        ended_by="emergency",
    ),
    Case(
        "bladder never understood",
        {"bladder_change.starting": ["purple", "banana", "lunch"]},
        "emergency",
        possible=("bladder_change",),
        ended_by="emergency",
    ),
    Case(
        "read-back denied then yes again",
        {"bowel_change.leaking": ["yes", "yes"], "bowel_change.readback": "no"},
        "emergency",
        ("bowel_change",),
        ended_by="emergency",
    ),
    Case(
        "read-back not understood keeps the yes",
        {"chest_pain.pain_or_breath": "yes", "chest_pain.readback": "the moon is bright"},
        "emergency",
        ("chest_pain",),
        ended_by="emergency",
    ),
    Case(
        "read-back not sure keeps the yes",
        {"sepsis_signs.confused_or_drowsy": "yes", "sepsis_signs.readback": "I'm not sure"},
        "emergency",
        ("sepsis_signs",),
        ended_by="emergency",
    ),
    Case("a child without other signs", {"age": "twelve"}, "urgent", ("age",), said=("for adults",)),
    Case("fever", {"fever.temperature": "yes"}, "urgent", ("fever",), read_back=("fever.temperature",)),
    Case(
        "weight loss",
        {"weight_loss": "yes"},
        "urgent",
        ("weight_loss",),
        read_back=("weight_loss.unintended",),
    ),
    Case("woken at night", {"night_pain.wakes": "yes"}, "urgent", ("night_pain",)),
    Case(
        "being tested for cancer",
        {"cancer_history.ever_or_testing": "yes"},
        "urgent",
        ("cancer_history",),
        read_back=("cancer_history.ever_or_testing",),
    ),
    Case(
        "minor fall on steroids, under 65",
        {"fragile_bones_injury.minor_injury": "yes", THIN: "yes"},
        "urgent",
        ("fragile_bones_injury",),
        read_back=(THIN, "fragile_bones_injury.minor_injury"),
        asks=(THIN, "fragile_bones_injury.minor_injury"),
    ),
    Case(
        "not sure about steroids, then a minor fall",
        {"fragile_bones_injury.minor_injury": "yes", THIN: "not sure"},
        "urgent",
        possible=("fragile_bones_injury",),
        asks=(THIN, "fragile_bones_injury.minor_injury"),
    ),
    Case(
        "no thin bones under 65: the minor injury is not asked",
        {"fragile_bones_injury.minor_injury": "yes"},
        "self_care",
        asks=(THIN,),
        never_asks=("fragile_bones_injury.minor_injury",),
    ),
    Case(
        "a minor fall at seventy",
        {"age": "seventy", "fragile_bones_injury.minor_injury": "yes"},
        "urgent",
        ("fragile_bones_injury",),
        asks=("fragile_bones_injury.minor_injury",),
        never_asks=(THIN, "pregnant"),
    ),
    Case(
        "side pain with burning",
        {"kidney_signs.side_pain": "yes", "kidney_signs.burning": "yes"},
        "urgent",
        ("kidney_signs",),
    ),
    Case("shingles", {"shingles_rash": "yes"}, "urgent", ("shingles_rash",)),
    Case(
        "pulsing tummy and a smoker",
        {"aneurysm_risk.pulsing": "yes", RISK: "yes"},
        "urgent",
        ("aneurysm_risk",),
        read_back=("aneurysm_risk.pulsing", RISK),
    ),
    Case(
        "pulsing tummy at sixty five, anyone",
        {"age": "sixty five", "aneurysm_risk.pulsing": "yes"},
        "urgent",
        ("aneurysm_risk",),
        never_asks=(RISK,),
    ),
    Case(
        "pulsing tummy at sixty four without risk factors",
        {"age": "sixty four", "aneurysm_risk.pulsing": "yes"},
        "soon",
        ("age",),
        asks=(RISK,),
    ),
    Case(
        "night pain asks the aneurysm risk factors",
        {"night_pain": "yes", RISK: "yes"},
        "urgent",
        ("night_pain", "aneurysm_risk"),
        asks=(RISK,),
        never_asks=("aneurysm_risk.persistent_pain",),
    ),
    Case(
        "not sure about chest pain",
        {"chest_pain.pain_or_breath": "not sure"},
        "urgent",
        possible=("chest_pain",),
        said=("911",),
    ),
    Case(
        "read-back denied then no", {"fever.temperature": ["yes", "no"], "fever.readback": "no"}, "self_care"
    ),
    Case(
        "fifty five with pain for six weeks",
        {"age": "fifty five", "pain_weeks": "six weeks"},
        "soon",
        ("age", "pain_weeks"),
        read_back=("age", "pain_weeks"),
        said=(
            "This is because you are 55 years old and your pain has lasted 6 weeks. Together",
            "See your doctor within a week, and tell them your age and how long the pain has lasted.",
        ),
    ),
    Case(
        "fifty with pain for three weeks",
        {"age": "fifty", "pain_weeks": "three weeks"},
        "soon",
        ("age",),
    ),
    Case("fifteen: the pregnancy gate is asked", {"age": "fifteen"}, "urgent", ("age",), asks=("pregnant",)),
    Case("sixteen: the pregnancy gate is asked", {"age": "sixteen"}, "soon", ("age",), asks=("pregnant",)),
    Case("fifty five: the pregnancy gate is asked", {"age": "fifty five"}, "soon", asks=("pregnant",)),
    Case(
        "fifty six: the pregnancy gate is not asked",
        {"age": "fifty six"},
        "soon",
        never_asks=("pregnant", "pregnancy_emergency.bleeding_or_pain"),
    ),
    Case(
        "pregnant with tightenings",
        {"pregnant": "yes", "pregnancy_warning.tightenings_or_peeing": "yes"},
        "urgent",
        ("pregnancy_warning",),
        said=("Call your maternity unit or midwife now.",),
    ),
    Case(
        "pregnant with a fever: asked once, counted for both",
        {"pregnant": "yes", "fever.temperature": "yes", DIABETES: "no"},
        "urgent",
        ("fever", "pregnancy_warning"),
        never_asks=("pregnancy_warning.fever",),
    ),
    Case(
        "age misheard, corrected",
        {"age": ["fifteen", "fifty"], "age.readback": ["no", "yes"]},
        "soon",
        ("age",),
    ),
    Case("age never understood", {"age": ["blue", "green", "red"]}, "urgent", possible=("age",)),
    Case("pain for six weeks", {"pain_weeks": "6 weeks"}, "soon", ("pain_weeks",), read_back=("pain_weeks",)),
    Case("one leg sciatica", {"one_leg_sciatica": "yes"}, "soon", ("one_leg_sciatica",)),
    Case("getting worse", {"getting_worse.severe_or_worse": "yes"}, "soon", ("getting_worse",)),
    Case(
        "stopped daily activities", {"daily_activities_stopped": "yes"}, "soon", ("daily_activities_stopped",)
    ),
    Case(
        "struggling, not at risk",
        {"struggling_to_cope.worried_or_coping": "yes", "self_harm_check": "no"},
        "soon",
        ("struggling_to_cope",),
    ),
    Case(
        "struggling and at risk",
        {"struggling_to_cope": "yes", "self_harm_check": "yes"},
        "soon",
        ("struggling_to_cope",),
        ended_by="safety",
        said=("988",),
    ),
    Case(
        "words of self-harm",
        {"night_pain.wakes": ["I want to end it all", "no"], "self_harm_check": "no"},
        "self_care",
    ),
    Case(
        "stop in the middle",
        {"fever.temperature": "yes", "weight_loss": "stop"},
        "urgent",
        ("fever",),
        ended_by="stop",
    ),
]


def _check_read_backs(screened: Screened, case: Case) -> None:
    """Every yes to an emergency or urgent finding, and every number, is read back at once."""
    asks = screened.asks
    read_back = set()
    for event_index, event in enumerate(screened.events):
        if not isinstance(event, HeardEvent) or event.id.endswith(".readback") or event.id not in _QUESTIONS:
            continue
        finding = SCREENING.findings[_QUESTIONS[event.id]]
        needs = event.answer in ("number", "duration") or (
            event.answer == "yes" and (finding.tier in READ_BACK_TIERS or finding.tier is None)
        )
        following = [e for e in screened.events[event_index + 1 :] if isinstance(e, AskEvent)]
        earlier = [e for e in screened.events[:event_index] if isinstance(e, HeardEvent)]
        if earlier and earlier[-1].id == f"{event.id}.readback" and earlier[-1].answer == "no":
            needs = event.answer in ("number", "duration")
        if needs:
            read_back.add(event.id)
            assert following, f"{event.id}: no read-back"
            assert following[0].id == f"{event.id}.readback" and following[0].readback, event.id
            assert following[0].finding == finding.id
        elif following:
            assert not following[0].readback, f"{event.id} answered {event.answer} was read back"
    assert set(case.read_back) <= read_back, (case.read_back, read_back)
    assert all(a.readback == a.id.endswith(".readback") for a in asks)


_QUESTIONS = {q: SCREENING.question(q).finding for q in SCREENING.asking_order() if q not in SCREENING.gates}


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def case_and_run(request: pytest.FixtureRequest) -> tuple[Case, Screened]:
    case: Case = request.param
    return case, screen(Person(case.replies))


def test_outcome_and_its_reasons(case_and_run: tuple[Case, Screened]) -> None:
    case, screened = case_and_run
    outcome = screened.outcome
    assert outcome.disposition is Tier(case.disposition)
    assert screened.result.ended_by == case.ended_by
    assert set(case.reasons) <= set(outcome.reasons), outcome.reasons
    assert set(case.possible) <= set(outcome.possible), outcome.possible
    said = " ".join(screened.said())
    for fragment in case.said:
        assert fragment in said


def test_read_backs(case_and_run: tuple[Case, Screened]) -> None:
    case, screened = case_and_run
    _check_read_backs(screened, case)


def test_questions_come_in_order_and_stop_at_the_first_emergency(case_and_run: tuple[Case, Screened]) -> None:
    case, screened = case_and_run
    order = {question: index for index, question in enumerate(SCREENING.asking_order())}
    outcome_at = screened.events.index(screened.outcome)
    asked = [e.id for e in screened.events[:outcome_at] if isinstance(e, AskEvent)]
    positions = [order[i] for i in asked if i in order]
    assert positions == sorted(positions), "a question came before one that is asked earlier"
    assert asked[0] == "cancer_history.ever_or_testing"
    assert asked[1] == "age" or case.replies.get("cancer_history.ever_or_testing") == "yes"
    if case.ended_by == "emergency":
        last_answer = [e for e in screened.heard if e.answer != "command:repeat"][-1]
        assert _QUESTIONS[last_answer.id.removesuffix(".readback")] in (*case.reasons, *case.possible)


def test_what_is_asked_and_what_is_not(case_and_run: tuple[Case, Screened]) -> None:
    case, screened = case_and_run
    asked = set(screened.ask_ids)
    assert set(case.asks) <= asked, set(case.asks) - asked
    assert not set(case.never_asks) & asked, set(case.never_asks) & asked


def test_after_the_outcome(case_and_run: tuple[Case, Screened]) -> None:
    """Context questions and advice only after soon or self_care, and never after a quiet ending."""
    case, screened = case_and_run
    outcome_at = screened.events.index(screened.outcome)
    later_asks = [e for e in screened.events[outcome_at:] if isinstance(e, AskEvent)]
    if case.disposition in ("emergency", "urgent") or case.ended_by in ("silence", "stop", "safety"):
        assert later_asks == []
    else:
        assert all(a.finding not in _QUESTIONS.values() or a.finding == "age" for a in later_asks)
        assert "Here are some things that can help." in screened.said()
    assert sum(isinstance(e, OutcomeEvent) for e in screened.events) == 1


def test_the_same_replies_typed_give_the_same_dialogue(case_and_run: tuple[Case, Screened]) -> None:
    _, screened = case_and_run
    typed = screen_typed(screened.replies)
    assert transcript(typed.events) == transcript(screened.events)
    assert typed.said() == screened.said()


@pytest.mark.parametrize(
    ("replies", "disposition", "last_question"),
    [
        ({"cancer_history.ever_or_testing": SILENT}, "urgent", "cancer_history.ever_or_testing"),
        ({"fever.temperature": "yes", "weight_loss": SILENT}, "urgent", "weight_loss.unintended"),
        ({"saddle_numbness.wiping": SILENT}, "emergency", "saddle_numbness.wiping"),
        ({"age": SILENT}, "urgent", "age"),
    ],
)
def test_silence_reprompts_once_then_ends_with_the_outcome_so_far(
    replies: dict[str, str], disposition: str, last_question: str
) -> None:
    screened = screen(Person(replies))
    assert screened.result.ended_by == "silence"
    assert screened.outcome.disposition is Tier(disposition)
    outcome_at = screened.events.index(screened.outcome)
    before = [e for e in screened.events[:outcome_at] if isinstance(e, AskEvent)]
    assert [a.id for a in before[-2:]] == [last_question, last_question]
    assert before[-1].text.startswith("I didn't hear an answer.")
    assert not any(isinstance(e, AskEvent) for e in screened.events[outcome_at:])
    after = [e.text for e in screened.events[outcome_at:] if isinstance(e, SayEvent)]
    assert "I have not heard an answer" in after[0] and "call 911" in after[0]


def test_end_of_typed_input_ends_like_silence_with_an_outcome() -> None:
    typed = screen_typed(["no", "forty", "yes", "no", "no", "no"])
    assert typed.result.ended_by == "silence"
    assert typed.outcome.disposition is Tier.EMERGENCY
    assert typed.outcome.possible == ["bladder_change"]
    assert typed.ask_ids[-2:] == ["bladder_change.starting", "bladder_change.leaking"]


def test_end_of_input_at_a_read_back_keeps_the_yes() -> None:
    typed = screen_typed(["no", "forty", "yes", "no", "no", "yes"])
    assert typed.ask_ids[-1] == "bladder_change.starting.readback"
    assert typed.outcome.disposition is Tier.EMERGENCY
    assert typed.outcome.reasons == ["bladder_change"]


@pytest.mark.parametrize(
    "unclear",
    [["not sure"], ["the moon is bright"] * 3],
    ids=["unsure", "not understood"],
)
def test_a_number_read_back_without_a_clear_answer_is_asked_once_more(unclear: list[str]) -> None:
    """A misheard number (fifteen for fifty) is only taken on a clear yes to its read-back."""
    confirmed = screen(Person({"age": "fifty", "age.readback": [*unclear, "yes"]}))
    assert confirmed.outcome.disposition is Tier.SOON and confirmed.outcome.reasons == ["age"]
    never = screen(Person({"age": "fifteen", "age.readback": unclear}))
    assert never.outcome.disposition is Tier.URGENT and never.outcome.possible == ["age"]
    assert never.result.ended_by == "completed"


def test_silence_after_a_number_read_back_leaves_the_number_unanswered() -> None:
    screened = screen(Person({"age": "fifteen", "age.readback": SILENT}))
    assert screened.result.ended_by == "silence"
    assert screened.outcome.disposition is Tier.URGENT and screened.outcome.possible == ["age"]
    readbacks = [e for e in screened.events if isinstance(e, HeardEvent) and e.id == "age.readback"]
    assert [e.answer for e in readbacks] == ["silence", "silence"]


def test_typed_read_back_of_a_number_unsure_twice_then_the_number_is_asked_no_more() -> None:
    typed = screen_typed(["no", "fifteen", "not sure", "not sure"])
    assert typed.ask_ids[1:4] == ["age", "age.readback", "age.readback"]
    assert typed.result.answers["age"] is Reply.UNANSWERED


def test_typed_no_to_a_number_read_back_asks_the_number_again() -> None:
    typed = screen_typed(["no", "fifteen", "no", "fifty", "yes"])
    assert typed.ask_ids[1:5] == ["age", "age.readback", "age", "age.readback"]
    assert typed.result.answers["age"] == 50


HEALTHY_FIRST_VISIT_SCREENING_TURNS = 41
"""Version 2: what the screening itself asks a healthy 42-year-old on a first visit: 39 questions (the
pregnancy gate included, its follow-ups not) and the read-backs of the age and the weeks. Version 1 asked
67 (65 yes/no questions and 2 numbers) plus 2 read-backs."""


def test_a_healthy_first_visit_takes_41_screening_turns_and_44_in_all() -> None:
    """The turns of a healthy adult's first visit, counted from the events: every ask, read-backs
    included. After the outcome come only the advice's own context questions and the STarT Back offer."""
    screened = screen(Person({}))
    outcome_at = screened.events.index(screened.outcome)
    before = [e for e in screened.events[:outcome_at] if isinstance(e, AskEvent)]
    after = [e for e in screened.events[outcome_at:] if isinstance(e, AskEvent)]
    assert screened.outcome.disposition is Tier.SELF_CARE
    assert len(before) == HEALTHY_FIRST_VISIT_SCREENING_TURNS, [a.id for a in before]
    assert [a.id for a in before if a.readback] == ["age.readback", "pain_weeks.readback"]
    assert "pregnant" in [a.id for a in before]
    assert after[-1].id == "startback.offer"
    assert all(a.finding not in _QUESTIONS.values() and not a.readback for a in after[:-1])
    assert len(before) + len(after) == HEALTHY_FIRST_VISIT_TURNS, [a.id for a in after]


HEALTHY_FIRST_VISIT_TURNS = 44
"""The whole first visit of a healthy adult: the 41 screening turns, the advice's 2 context questions and
the STarT Back offer (docs/clinical.md, version 2: about 44; version 1 took 74)."""
