"""Tier 1: the dialogue's own content files load, and a broken one is named with its key."""

from pathlib import Path

import pytest

from voicecare.content.reader import CONTENT_DIR
from voicecare.dialogue.screening_talk import load_screening_talk
from voicecare.dialogue.session_flow import CHOICES, load_session_talk
from voicecare.dialogue.wording import load_wording
from voicecare.errors import ConfigError
from voicecare.simulation.person import load_person_script


def test_the_packaged_files_load() -> None:
    assert load_wording().line("unclear.first", "Q?").endswith("Q?")
    assert load_screening_talk().opening
    assert [o.id for o in load_session_talk().options] == list(CHOICES)
    assert load_person_script().menu[0] == "check my back"


def test_a_missing_sentence_is_named_with_file_and_key(tmp_path: Path) -> None:
    broken = tmp_path / "conversation.toml"
    broken.write_text((CONTENT_DIR / "conversation.toml").read_text().replace('second = "', 'secnd = "'))
    with pytest.raises(ConfigError) as caught:
        load_wording(broken)
    assert "conversation.toml" in caught.value.one_line() and "unclear.secnd" in caught.value.one_line()


def test_broken_toml_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "conversation.toml"
    broken.write_text("[silence\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_wording(broken)
