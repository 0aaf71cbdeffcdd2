"""The phrase files load, and a broken one gives a ConfigError naming the file and the key."""

import shutil
from pathlib import Path

import pytest

from tests.support.understanding_fixtures import SELF_HARM_EXAMPLES, vocabulary
from voicecare.errors import ConfigError
from voicecare.understanding.answers import CommandName
from voicecare.understanding.vocabulary import CONTENT_DIR, load_vocabulary


def copy_content(tmp_path: Path) -> Path:
    for name in ("phrases.toml", "commands.toml"):
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_package_content_loads() -> None:
    v = vocabulary()
    assert ("not", "really") in v.no
    assert ("not", "sure") in v.unsure
    assert set(v.commands) == set(CommandName)
    global_names = {c.name.value for c in v.commands.values() if c.is_global}
    assert global_names == {"help", "repeat", "stop", "pause", "resume", "slower", "faster"}
    assert not v.commands[CommandName.SKIP].is_global


def test_words_forgive_typing() -> None:
    v = vocabulary()
    assert v.words("  Fifty-Two, I THINK!! ") == ["fifty", "two", "i", "think"]
    assert v.words("I dont know\u2026 it\u2019s 'fine'") == ["i", "don't", "know", "it's", "fine"]
    assert v.words("") == []


@pytest.mark.parametrize(
    ("file", "old", "new", "named"),
    [
        ("phrases.toml", '"yes", "yeah"', '"yes", "Yeah!"', "answers.yes"),
        (
            "phrases.toml",
            'no = [\n    "no",',
            'no = [\n    "no", "yes",',
            "'yes' is in both answers.yes and answers.no",
        ),
        ("phrases.toml", "[answers]", "[answer]", "[answers]"),
        ("phrases.toml", "twenty = 20", "twenty = -20", "numbers.tens.twenty"),
        ("phrases.toml", "nineteen = 19", "", "[numbers.units]"),
        ("phrases.toml", '"over" = "more_than"', '"over" = "beyond"', "durations.qualifiers.over"),
        ("phrases.toml", "weeks = 1.0", "weeks = 0", "durations.units.weeks"),
        ("phrases.toml", "max = 110", "max = 0", "numbers.age.min"),
        ("phrases.toml", "[typed]", "[typed", "not valid TOML"),
        ("commands.toml", "[stop]\nglobal = true", "[stop]\nglobal = 1", "stop.global"),
        ("commands.toml", '"pardon", "pardon me",', '"pardon", "no", "pardon me",', "'no' is in both"),
        ("commands.toml", 'spoken = ["skip",', 'spoken = ["skip it now",', "skip.spoken has 'skip it now'"),
        (
            "phrases.toml",
            '"a little", "sometimes",\n]',
            '"a little", "sometimes", "aye",\n]',
            "grammar.yes has 'aye'",
        ),
        ("commands.toml", "[time_left]", "[time_leftover]", "[time_left]"),
    ],
)
def test_broken_files_name_file_and_key(tmp_path: Path, file: str, old: str, new: str, named: str) -> None:
    content = copy_content(tmp_path)
    edit(content / file, old, new)
    with pytest.raises(ConfigError) as error:
        load_vocabulary(content, self_harm=SELF_HARM_EXAMPLES)
    assert named in str(error.value)
    assert str(content) in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"phrases\.toml is missing"):
        load_vocabulary(tmp_path, self_harm=SELF_HARM_EXAMPLES)


def test_self_harm_phrases_come_from_safety_toml(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    with pytest.raises(ConfigError, match=r"safety\.toml is missing"):
        load_vocabulary(content)
    (content / "safety.toml").write_text(
        '[self_harm]\ntriggers = ["kill myself", "end it all"]\nspoken = ["i want to kill myself"]\n'
    )
    loaded = load_vocabulary(content)
    assert loaded.self_harm == (("kill", "myself"), ("end", "it", "all"))
    assert loaded.spoken_self_harm == (("i", "want", "to", "kill", "myself"),)


@pytest.mark.parametrize(
    ("spoken", "named"),
    [
        ("", "self_harm.spoken is not a list"),
        ('spoken = ["i feel fine"]', "self_harm.spoken has 'i feel fine'"),
    ],
)
def test_spoken_self_harm_phrases_must_be_there_and_hold_a_trigger(
    tmp_path: Path, spoken: str, named: str
) -> None:
    content = copy_content(tmp_path)
    (content / "safety.toml").write_text(f'[self_harm]\ntriggers = ["kill myself"]\n{spoken}\n')
    with pytest.raises(ConfigError, match=named):
        load_vocabulary(content)
