"""Tier 1: settings precedence, validation and the preferences file."""

from datetime import date
from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.settings import Settings, load_settings, save_preferences


def test_precedence_is_file_then_environment_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('region = "uk"\nrate_wpm = 140\nvolume = 0.5\n')
    settings = load_settings(config, environ={"VOICECARE_RATE_WPM": "150"}, overrides={"volume": 0.8})
    assert (settings.region, settings.rate_wpm, settings.volume) == ("uk", 150, 0.8)


def test_flags_left_unset_do_not_override(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('region = "eu"\n')
    assert load_settings(config, environ={}, overrides={"region": None}).region == "eu"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("region = \n", "not valid TOML"),
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ('region = "mars"\n', "unknown region 'mars'"),
        ('rate_wpm = "fast"\n', "setting 'rate_wpm'"),
        ("rate_wpm = 1000\n", "out of range"),
    ],
)
def test_a_broken_config_names_the_problem(tmp_path: Path, content: str, named: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    assert named in caught.value.one_line()
    assert "\n" not in caught.value.one_line()


def test_a_config_file_not_made_yet_reads_as_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "new.toml", environ={})
    assert settings.region == "us" and settings.config_path == tmp_path / "new.toml"


def test_preferences_round_trip_and_keep_other_keys(tmp_path: Path) -> None:
    config = tmp_path / "sub" / "config.toml"
    config.parent.mkdir()
    config.write_text("earcons = false\n")
    settings = load_settings(
        config, environ={}, overrides={"rate_wpm": 120, "voice": 'en "gb"', "region": "uk"}
    )
    save_preferences(settings)
    again = load_settings(config, environ={})
    assert (again.rate_wpm, again.voice, again.region, again.earcons) == (120, 'en "gb"', "uk", False)


@pytest.mark.parametrize("seconds", ["nan", "inf", "-1", "0"])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_refused(tmp_path: Path, seconds: str) -> None:
    with pytest.raises(ConfigError, match="no_input_timeout_s"):
        load_settings(tmp_path / "c.toml", environ={}, overrides={"no_input_timeout_s": float(seconds)})


def test_an_unknown_engine_is_refused_even_where_no_recogniser_is_loaded(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('engine = "whisper"\n')
    with pytest.raises(ConfigError, match="unknown engine 'whisper'"):
        load_settings(config, environ={})


def test_a_bad_environment_variable_is_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "c.toml", environ={"VOICECARE_RATE_WPM": "fast"})
    assert "in the environment (VOICECARE_RATE_WPM)" in caught.value.one_line()


def test_preferences_that_cannot_be_written_are_a_config_error(tmp_path: Path) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    settings = load_settings(a_file / "config.toml", environ={})
    with pytest.raises(ConfigError, match="cannot write the config file"):
        save_preferences(settings)


def test_tests_never_touch_the_real_user_folders() -> None:
    """The session fixture in conftest.py keeps settings and records of test runs out of the real home."""
    home = Path.home().resolve()
    defaults = Settings()
    for folder in (defaults.config_path.parent, defaults.data_dir):
        assert home / ".config" not in folder.resolve().parents
        assert home / ".local" not in folder.resolve().parents


def test_today_is_the_flag_then_the_environment_then_the_real_date(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    assert load_settings(config, environ={}).today == date.today()
    environ = {"VOICECARE_TODAY": "2026-03-01"}
    assert load_settings(config, environ=environ).today == date(2026, 3, 1)
    flagged = load_settings(config, environ=environ, overrides={"today": "2026-05-30"})
    assert flagged.today == date(2026, 5, 30)
    config.write_text("today = 2026-02-01\nperson = \"Ann\"\n")
    from_file = load_settings(config, environ={})
    assert (from_file.today, from_file.person) == (date(2026, 2, 1), "Ann")


@pytest.mark.parametrize("day", ["2026-02-30", "01/03/2026", "20260301", "tomorrow", "2026-3-1", ""])
@pytest.mark.parametrize(
    ("where", "named"), [("flag", "the command line (--date)"), ("env", "the environment (VOICECARE_TODAY)")]
)
def test_a_date_that_is_not_a_day_names_where_it_came_from_and_the_form(
    tmp_path: Path, day: str, where: str, named: str
) -> None:
    environ = {"VOICECARE_TODAY": day} if where == "env" else {}
    overrides = {"today": day} if where == "flag" else {}
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "c.toml", environ=environ, overrides=overrides)
    line = caught.value.one_line()
    assert named in line and "YYYY-MM-DD" in line and "\n" not in line


def test_the_person_comes_from_the_flag_or_the_environment_as_said(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    assert load_settings(config, environ={}).person is None
    assert load_settings(config, environ={"VOICECARE_PERSON": " Ann Lee "}).person == "Ann Lee"
    flagged = load_settings(config, environ={"VOICECARE_PERSON": "Ann"}, overrides={"person": "BOB"})
    assert flagged.person == "BOB"
    with pytest.raises(ConfigError, match="--person"):
        load_settings(config, environ={}, overrides={"person": "  "})
