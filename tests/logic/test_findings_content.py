"""findings.toml matches docs/clinical.md, reads well aloud, and its validator rejects broken files."""

import re
from pathlib import Path

import pytest

from tests.support.screening_spec import (
    ALL_FINDINGS,
    ASKED_ONLY_IF,
    EMERGENCY,
    NO_TIER,
    NUMBERS,
    PREGNANCY_GATE_HELP,
    PREGNANCY_GATE_NO_FROM_AGE,
    SOON,
    URGENT,
    V2_QUESTIONS,
    V2_REUSES,
)
from voicecare.errors import ConfigError
from voicecare.screening.findings import FINDINGS_FILE, Tier, load_screening
from voicecare.understanding.answer_kind import AnswerKind

SCREENING = load_screening()
QUESTIONS = [q for f in SCREENING.findings.values() for q in f.questions]


def test_every_finding_of_the_specification_is_present_with_its_tier() -> None:
    assert set(SCREENING.findings) == set(ALL_FINDINGS)
    for ids, tier in ((EMERGENCY, Tier.EMERGENCY), (URGENT, Tier.URGENT), (SOON, Tier.SOON)):
        assert {f for f in ids if SCREENING.findings[f].tier is not tier} == set()
    assert {f for f in NO_TIER if SCREENING.findings[f].tier is not None} == set()
    assert {f for f in NO_TIER if SCREENING.findings[f].if_possible is not None} == set()


def test_numbers_are_numbers_and_the_rest_yes_no() -> None:
    kinds = {f.id: f.kind for f in SCREENING.findings.values()}
    assert {f for f, kind in kinds.items() if kind is AnswerKind.NUMBER} == set(NUMBERS)


def test_cancer_history_and_age_are_asked_first_then_tiers_in_order() -> None:
    order = SCREENING.order
    assert order[:2] == ("cancer_history", "age")
    tiers = [tier.rank for f in order[2:] if (tier := SCREENING.findings[f].tier) is not None]
    assert tiers == sorted(tiers)


@pytest.mark.parametrize("finding_id", sorted(V2_QUESTIONS))
def test_version_2_questions_are_asked_word_for_word(finding_id: str) -> None:
    """docs/clinical.md, 'Question route, version 2': each merged question as the table gives it, in order,
    at most 20 words, with help, a re-ask and a read-back of its own."""
    asked = [q for q in SCREENING.findings[finding_id].questions if q.reuse is None]
    assert tuple(q.text for q in asked) == V2_QUESTIONS[finding_id]
    for question in asked:
        assert len(question.text.split()) <= 20, question.text
        assert question.help and question.reask and question.readback


@pytest.mark.parametrize("finding_id", sorted(V2_REUSES))
def test_version_2_reuses_answers_instead_of_asking_again(finding_id: str) -> None:
    reused = tuple(q.reuse for q in SCREENING.findings[finding_id].questions if q.reuse)
    assert reused == V2_REUSES[finding_id]


def test_findings_without_a_tier_are_asked_only_after_the_findings_they_need() -> None:
    for finding_id, needed in ASKED_ONLY_IF.items():
        finding = SCREENING.findings[finding_id]
        assert finding.ask_only_if == needed
        assert all(SCREENING.order.index(n) < SCREENING.order.index(finding_id) for n in needed)
    follow_ups = [f.id for f in SCREENING.findings.values() if f.unsure_counts_as_yes]
    assert follow_ups == ["sciatica_new_since_procedure"]


def test_diabetes_is_no_longer_part_of_infection_risk() -> None:
    texts = " ".join(q.text + q.help for q in SCREENING.findings["infection_risk"].questions)
    assert "diabetes" not in texts.lower()


def test_no_question_asks_about_sex_or_gender() -> None:
    """Version 2: anatomy decides, not a label; a misheard answer would silently drop questions."""
    texts = [q.text.lower() for q in QUESTIONS] + [g.text.lower() for g in SCREENING.gates.values()]
    assert not [t for t in texts if re.search(r"\b(male|female|gender|man or a woman|sex at birth)\b", t)]
    assert not [q.id for q in QUESTIONS if "male" in q.id or "sex_at_birth" in q.id]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_questions_are_short_plain_and_complete(question: object) -> None:
    from voicecare.screening.findings import Question

    assert isinstance(question, Question)
    assert len(question.text.split()) <= 22
    assert question.text.endswith("?") and question.reask.endswith("?")
    assert question.help and question.readback and question.reask != question.text
    plain = question.text.replace(YES_MEANS_PRESENT, "")
    assert not re.search(r"\b(not|n't|rather than)\b", plain), question.text


YES_MEANS_PRESENT = "or can you not go at all?"
"""The one "not" the version 2 table words a question with: yes to it still means the sign is present
(cannot pee at all)."""


def test_every_finding_names_a_source_and_a_summary() -> None:
    for finding in SCREENING.findings.values():
        assert finding.source and finding.summary


def test_pregnancy_questions_hang_on_the_pregnant_gate() -> None:
    assert SCREENING.findings["pregnancy_emergency"].gate == "pregnant"
    assert SCREENING.findings["pregnancy_warning"].gate == "pregnant"
    assert SCREENING.gates["pregnant"].text.endswith("?")


def test_the_pregnancy_gate_is_for_everyone_up_to_55_and_says_so() -> None:
    gate = SCREENING.gates["pregnant"]
    assert gate.help == PREGNANCY_GATE_HELP
    assert gate.no_from_age == PREGNANCY_GATE_NO_FROM_AGE


def test_struggling_to_cope_triggers_the_self_harm_check() -> None:
    flagged = [f.id for f in SCREENING.findings.values() if f.self_harm_check]
    assert flagged == ["struggling_to_cope"]


def test_asking_order_puts_the_gate_before_the_first_pregnancy_question() -> None:
    order = SCREENING.asking_order()
    assert order.index("pregnant") + 1 == order.index("pregnancy_emergency.bleeding_or_pain")
    assert "kidney_signs.fever" not in order


# ---------------------------------------------------------------- broken files
ORIGINAL = FINDINGS_FILE.read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert old in ORIGINAL, old
    path = tmp_path / "findings.toml"
    path.write_text(ORIGINAL.replace(old, new, count), encoding="utf-8")
    return path


BROKEN = [
    (
        'id = "saddle_numbness"\ntier = "emergency"',
        'id = "saddle_numbness"\ntier = "critical"',
        "finding[2].tier",
    ),
    ('id = "saddle_numbness"\n', 'id = "saddle_numbness"\ncolour = "red"\n', "finding[2].colour"),
    ('summary = "a history of cancer"\n', "", "finding[0].summary"),
    ('id = "weight_loss"\n', 'id = "fever"\n', "finding[15].id"),
    (
        'kind = "yes_no"\nif_possible = "urgent"\nsummary = "a history of cancer"',
        'kind = "maybe"\nif_possible = "urgent"\nsummary = "a history of cancer"',
        "finding[0].kind",
    ),
    (
        'text = "Have you lost weight without trying?"',
        'text = "' + "Have you lost weight " + "or felt tired " * 8 + '?"',
        "question[0].text",
    ),
    (
        'help = "Very severe means very bad pain, the kind that is hard to bear. Getting worse means the '
        "pain "
        'is stronger now than when it started, or keeps building up."\n',
        "",
        "question[0].help",
    ),
    ('reask = "Is the pain very bad, or has it been getting stronger?"\n', "", "question[0].reask"),
    ('readback = "very severe pain, or pain that is getting worse"\n', "", "question[0].readback"),
    (
        'gate = "pregnant"\nsummary = "heavy',
        'gate = "expecting"\nsummary = "heavy',
        "finding.pregnancy_emergency.gate",
    ),
    (
        'instructions = ["shingles_within_3_days"]',
        'instructions = ["see_a_wizard"]',
        "shingles_rash.instructions",
    ),
    (
        'all = ["fever", "infection_risk"]',
        'all = ["fever", "infection_risks"]',
        "combination.fever_with_infection_risk",
    ),
    ('"pain_weeks", "daily_activities_stopped"', '"daily_activities_stopped"', "asking.order"),
    ('"cancer_history", "age",\n', '"age", "cancer_history",\n', "asking.order"),
    (
        'id = "fragile_bones_injury.thin_bones_or_steroids"\ngroup = "fragile_bones"',
        'id = "fragile_bones_injury.thin_bones_or_steroids"\ngroup = "brittle"',
        "fragile_bones_injury.question.group",
    ),
    ('reuse = "fever.temperature"', 'reuse = "kidney_signs.blood"', "question.reuse"),
    ('readback = "{number} weeks"', 'readback = "many weeks"', "pain_weeks.question.readback"),
    (
        'text = "Call your maternity unit or midwife now."',
        'text = "Call {midwife_number} now."',
        "maternity_unit_now.text",
    ),
    ('at_least = 4\ntier = "soon"', 'at_least = "four"\ntier = "soon"', "threshold[3].at_least"),
    ("\n[asking]\n", "\n[asking\n", None),
    # findings with no tier of their own, and the gate's age (version 2)
    (
        'tier = "none"\nkind = "yes_no"\nask_only_if = ["fever"]',
        'tier = "none"\nkind = "yes_no"\nif_possible = "urgent"\nask_only_if = ["fever"]',
        "finding[14].if_possible",
    ),
    ('ask_only_if = ["fever"]\n', "", "finding[14].ask_only_if"),
    (
        'ask_only_if = ["fever"]',
        'ask_only_if = ["fevers"]',
        "finding.diabetes_or_recent_infection.ask_only_if",
    ),
    (
        'tier = "none"\nkind = "yes_no"\nask_only_if = ["fever"]',
        'tier = "urgent"\nkind = "yes_no"\nif_possible = "urgent"\nask_only_if = ["fever"]',
        "finding[14].ask_only_if",
    ),
    ("unsure_counts_as_yes = true\nsummary", 'unsure_counts_as_yes = "yes"\nsummary', "unsure_counts_as_yes"),
    (
        'all = ["fever", "diabetes_or_recent_infection"]',
        'all = ["fever", "infection_risk"]',
        "finding.diabetes_or_recent_infection.tier",
    ),
    (
        '"fever", "diabetes_or_recent_infection", "weight_loss"',
        '"diabetes_or_recent_infection", "fever", "weight_loss"',
        "asking.order",
    ),
    ("no_from_age = 56", 'no_from_age = "fifty six"', "gate[0].no_from_age"),
    ("no_from_age = 56", "no_from_age = 56\ncolour = 1", "gate[0].colour"),
]


@pytest.mark.parametrize(("old", "new", "key"), BROKEN, ids=[b[2] or b[1][:20] for b in BROKEN])
def test_validator_names_the_file_and_the_key(tmp_path: Path, old: str, new: str, key: str | None) -> None:
    with pytest.raises(ConfigError) as error:
        load_screening(broken(tmp_path, old, new))
    message = error.value.one_line()
    assert "findings.toml" in message
    if key is not None:
        assert key in message
    assert "\n" not in message


def test_if_possible_more_urgent_than_tier_is_rejected(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        'id = "fever"\ntier = "urgent"\nkind = "yes_no"\nif_possible = "urgent"',
        'id = "fever"\ntier = "urgent"\nkind = "yes_no"\nif_possible = "emergency"',
    )
    with pytest.raises(ConfigError, match=r"finding\.fever\.if_possible"):
        load_screening(path)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_screening(tmp_path / "nothing.toml")


def test_the_unbroken_copy_loads(tmp_path: Path) -> None:
    path = tmp_path / "findings.toml"
    path.write_text(ORIGINAL, encoding="utf-8")
    assert load_screening(path).order == SCREENING.order
