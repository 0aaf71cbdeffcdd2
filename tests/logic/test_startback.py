"""STarT Back: Keele's items in Keele's order, scoring boundaries, licence notice, broken files."""

from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.screening.startback import STARTBACK_FILE, Risk, load_startback, score

TOOL = load_startback()
AGREE, DISAGREE = "agree", "disagree"


def answers(agree: set[int], bothersome: str = "slightly") -> dict[int, str]:
    result = {n: AGREE if n in agree else DISAGREE for n in range(1, 9)}
    result[9] = bothersome
    return result


def test_items_are_keeles_nine_in_order() -> None:
    assert [item.number for item in TOOL.items] == list(range(1, 10))
    assert TOOL.items[0].text.startswith("My back pain has spread down my leg(s)")
    assert TOOL.items[4].text.startswith("It's not really safe")
    assert TOOL.items[8].text == "Overall, how bothersome has your back pain been in the last 2 weeks?"
    assert [o.label for o in TOOL.items[8].options] == [
        "Not at all",
        "Slightly",
        "Moderately",
        "Very much",
        "Extremely",
    ]


def test_psychosocial_subscale_is_items_5_to_9() -> None:
    assert [item.number for item in TOOL.items if item.psychosocial] == [5, 6, 7, 8, 9]


def test_items_6_to_8_feed_the_self_harm_check() -> None:
    assert [item.number for item in TOOL.items if item.self_harm_check_on] == [6, 7, 8]
    assert all(item.self_harm_check_on == (AGREE,) for item in TOOL.items[5:8])


def test_keele_notice_and_review_mark_are_in_the_file() -> None:
    assert "Keele University" in TOOL.notice and "Arthritis Research UK" in TOOL.notice
    assert "commercial" in TOOL.notice
    assert "clinical review" in TOOL.verification
    assert "NOT the project's MIT licence" in STARTBACK_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("bothersome", "points"),
    [("not_at_all", 0), ("slightly", 0), ("moderately", 0), ("very_much", 1), ("extremely", 1)],
)
def test_item_9_scores_only_very_much_or_extremely(bothersome: str, points: int) -> None:
    result = score(answers(set(), bothersome))
    assert (result.total, result.psychosocial) == (points, points)


@pytest.mark.parametrize(
    ("agree", "bothersome", "total", "subscale", "risk"),
    [
        (set(), "not_at_all", 0, 0, Risk.LOW),
        ({1, 2, 3}, "slightly", 3, 0, Risk.LOW),
        ({1, 2, 3, 4}, "slightly", 4, 0, Risk.MEDIUM),
        ({1, 2, 5}, "extremely", 4, 2, Risk.MEDIUM),
        ({1, 5, 6, 7}, "slightly", 4, 3, Risk.MEDIUM),
        ({1, 2, 3, 4, 5, 6}, "very_much", 7, 3, Risk.MEDIUM),
        ({5, 6, 7, 8}, "slightly", 4, 4, Risk.HIGH),
        ({5, 6, 7}, "very_much", 4, 4, Risk.HIGH),
        ({5, 6}, "very_much", 3, 3, Risk.LOW),
        (set(range(1, 9)), "extremely", 9, 5, Risk.HIGH),
    ],
)
def test_scoring_boundaries(agree: set[int], bothersome: str, total: int, subscale: int, risk: Risk) -> None:
    result = score(answers(agree, bothersome))
    assert (result.total, result.psychosocial, result.risk) == (total, subscale, risk)
    assert result.result == TOOL.results[risk]
    assert (result.advice is not None) is (risk is Risk.HIGH)


def test_high_result_advises_seeing_a_physiotherapist_or_doctor_soon() -> None:
    result = score(answers({5, 6, 7, 8}))
    assert result.advice is not None and "physiotherapist" in result.advice and "soon" in result.advice


def test_incomplete_or_wrong_answers_are_rejected() -> None:
    partial = answers(set())
    del partial[4]
    with pytest.raises(ValueError, match="item 4"):
        score(partial)
    with pytest.raises(ValueError, match="item 9"):
        score({**answers(set()), 9: AGREE})
    with pytest.raises(ValueError, match="item 10"):
        score({**answers(set()), 10: AGREE})


ORIGINAL = STARTBACK_FILE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("number = 9\n", "number = 10\n", "item"),
        (
            '{ id = "very_much", label = "Very much", score = 1 }',
            '{ id = "very_much", label = "Very much", score = 2 }',
            "option_set[1].options[3].score",
        ),
        ('options = "bothersome"', 'options = "likert"', "item[8].options"),
        ("total_medium_at_least = 4", 'total_medium_at_least = "four"', "scoring.total_medium_at_least"),
        ('self_harm_check_on = ["agree"]', 'self_harm_check_on = ["yes"]', "item[5].self_harm_check_on"),
        ("\nnotice = ", "\nlicence_notice = ", "licence_notice"),
    ],
)
def test_validator_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in ORIGINAL
    path = tmp_path / "startback.toml"
    path.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_startback(path)
    assert "startback.toml" in error.value.one_line() and key in error.value.one_line()
