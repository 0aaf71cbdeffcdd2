"""Regions (emergency numbers, urgent and crisis lines) and the self-harm check's content."""

from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.screening.findings import Tier, load_screening
from voicecare.screening.regions import REGIONS_FILE, load_regions, region
from voicecare.screening.safety import load_safety
from voicecare.settings import REGIONS

SAFETY = load_safety()


@pytest.mark.parametrize(("region_id", "number"), [("us", "911"), ("uk", "999"), ("eu", "112")])
def test_emergency_numbers(region_id: str, number: str) -> None:
    assert region(region_id).emergency_number == number


def test_regions_match_the_settings() -> None:
    assert sorted(load_regions()) == sorted(REGIONS)


def test_urgent_lines_follow_the_specification() -> None:
    assert "NHS 111" in region("uk").urgent_line
    for region_id in ("us", "eu"):
        line = region(region_id).urgent_line
        assert "out-of-hours" in line and "urgent care centre" in line


def test_unknown_region_lists_the_valid_ones_on_one_line() -> None:
    with pytest.raises(ConfigError) as error:
        region("fr")
    assert error.value.one_line() == "unknown region 'fr'. use one of: eu, uk, us"


def test_disposition_texts_fill_per_region() -> None:
    screening = load_screening()
    uk = region("uk")
    assert uk.fill(screening.dispositions[Tier.EMERGENCY]).startswith("Call 999 now")
    assert uk.fill(screening.dispositions[Tier.EMERGENCY], spoken=True).startswith("Call nine nine nine now")
    assert "NHS 111" in uk.fill(screening.dispositions[Tier.URGENT])


def test_broken_regions_file_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "regions.toml"
    path.write_text(
        REGIONS_FILE.read_text(encoding="utf-8").replace('emergency_number = "999"\n', ""), "utf-8"
    )
    with pytest.raises(ConfigError, match=r"regions\.toml: key 'region\.uk\.emergency_number' is missing"):
        load_regions(path)


def test_crisis_message_is_the_specification_wording() -> None:
    assert SAFETY.question == "Are you having thoughts of harming yourself or ending your life?"
    assert SAFETY.crisis_message(region("uk")) == (
        "If you are in immediate danger or have hurt yourself, call 999 now. "
        "You can also talk to someone now: in the US call or text 988; "
        "in the UK call Samaritans on 116 123, or NHS 111 and choose option 2."
    )
    assert "call nine one one now" in SAFETY.crisis_message(region("us"), spoken=True)
    assert SAFETY.repeat == 2 and not SAFETY.resume_after and not SAFETY.save_words


@pytest.mark.parametrize(
    "text",
    [
        "I want to hurt myself",
        "sometimes I think I should just end it",
        "I'll kill myself",
        "there's no point going on",
        "There is NO POINT in going on.",
        "I can't go on like this",
        "I just want to end it all",
        "I\u2019m going to kill myself",
        "i feel suicidal",
    ],
)
def test_trigger_phrases_are_found(text: str) -> None:
    assert SAFETY.triggered_by(text) is not None


@pytest.mark.parametrize(
    "text", ["yes", "not sure", "the pain is at the end of my back", "it hurts my self esteem"]
)
def test_ordinary_answers_do_not_trigger(text: str) -> None:
    assert SAFETY.triggered_by(text) is None


def test_broken_trigger_phrase_is_rejected_naming_the_key(tmp_path: Path) -> None:
    from voicecare.screening.safety import SAFETY_FILE

    path = tmp_path / "safety.toml"
    path.write_text(SAFETY_FILE.read_text(encoding="utf-8").replace('"end it",', '"End-It!",'), "utf-8")
    with pytest.raises(ConfigError, match=r"safety\.toml: key 'self_harm\.triggers'"):
        load_safety(path)
