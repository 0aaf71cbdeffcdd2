"""findings.toml matches docs/clinical.md, reads well aloud, and its validator rejects broken files."""

import re
from pathlib import Path

import pytest

from tests.support.screening_spec import ALL_FINDINGS, EMERGENCY, NUMBERS, SOON, URGENT
from voicecare.errors import ConfigError
from voicecare.screening.findings import FINDINGS_FILE, Tier, load_screening
from voicecare.understanding.answer_kind import AnswerKind

SCREENING = load_screening()
QUESTIONS = [q for f in SCREENING.findings.values() for q in f.questions]


def test_every_finding_of_the_specification_is_present_with_its_tier() -> None:
    assert set(SCREENING.findings) == set(ALL_FINDINGS)
    for ids, tier in ((EMERGENCY, Tier.EMERGENCY), (URGENT, Tier.URGENT), (SOON, Tier.SOON)):
        assert {f for f in ids if SCREENING.findings[f].tier is not tier} == set()


def test_numbers_are_numbers_and_the_rest_yes_no() -> None:
    kinds = {f.id: f.kind for f in SCREENING.findings.values()}
    assert {f for f, kind in kinds.items() if kind is AnswerKind.NUMBER} == set(NUMBERS)


def test_cancer_history_and_age_are_asked_first_then_tiers_in_order() -> None:
    order = SCREENING.order
    assert order[:2] == ("cancer_history", "age")
    tiers = [SCREENING.findings[f].tier.rank for f in order[2:]]
    assert tiers == sorted(tiers)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_questions_are_short_plain_and_complete(question: object) -> None:
    from voicecare.screening.findings import Question

    assert isinstance(question, Question)
    assert len(question.text.split()) <= 22
    assert question.text.endswith("?") and question.reask.endswith("?")
    assert question.help and question.readback and question.reask != question.text
    assert not re.search(r"\b(not|n't|rather than)\b", question.text), question.text


def test_every_finding_names_a_source_and_a_summary() -> None:
    for finding in SCREENING.findings.values():
        assert finding.source and finding.summary


def test_pregnancy_questions_hang_on_the_pregnant_gate() -> None:
    assert SCREENING.findings["pregnancy_emergency"].gate == "pregnant"
    assert SCREENING.findings["pregnancy_warning"].gate == "pregnant"
    assert SCREENING.gates["pregnant"].text.endswith("?")


def test_struggling_to_cope_triggers_the_self_harm_check() -> None:
    flagged = [f.id for f in SCREENING.findings.values() if f.self_harm_check]
    assert flagged == ["struggling_to_cope"]


def test_asking_order_puts_the_gate_before_the_first_pregnancy_question() -> None:
    order = SCREENING.asking_order()
    assert order.index("pregnant") + 1 == order.index("pregnancy_emergency.bleeding")
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
    ('id = "weight_loss"\n', 'id = "fever"\n', "finding[14].id"),
    (
        'kind = "yes_no"\nif_possible = "urgent"\nsummary = "a history of cancer"',
        'kind = "maybe"\nif_possible = "urgent"\nsummary = "a history of cancer"',
        "finding[0].kind",
    ),
    (
        'text = "Do you smoke?"',
        'text = "' + "Do you smoke " + "or chew tobacco " * 8 + '?"',
        "question[3].text",
    ),
    ('help = "Severe means very bad pain, the kind that is hard to bear."\n', "", "question[0].help"),
    ('reask = "Is the pain very bad?"\n', "", "question[0].reask"),
    ('readback = "severe pain"\n', "", "question[0].readback"),
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
        'id = "fragile_bones_injury.steroids"\ngroup = "fragile_bones"',
        'id = "fragile_bones_injury.steroids"\ngroup = "brittle"',
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
