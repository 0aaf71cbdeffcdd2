"""Choosing and loading the recogniser for ``--engine`` (auto, vosk or pocketsphinx), once per process.

``auto`` takes Vosk when a Vosk model is given (``--model``, then ``VOICECARE_MODEL``) or an English
manifest model is installed (``models/small-en-us`` etc.), else pocketsphinx, which ships its own US
English model. A model given by path is trusted to be English: Vosk folders do not say their language.
pocketsphinx is checked where unsure by a second recogniser (``verifying``) when its optional packages
are installed (``VOICECARE_CHECKER=off`` turns that off).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from voicecare.errors import EngineError, ModelError
from voicecare.model_store.locate import (
    LocatedModel,
    describe_dirs,
    explicit_model,
    find_installed,
    search_dirs,
)
from voicecare.model_store.manifest import DEFAULT_ENGLISH_MODEL, DEFAULT_MANIFEST, load_manifest
from voicecare.recognition.ports import Recognizer

ENGINES = ("auto", "vosk", "pocketsphinx")
"""The values ``--engine`` accepts."""

_cache: dict[tuple[str, str], Recognizer] = {}


@dataclass(frozen=True)
class EngineChoice:
    """The engine to load (``vosk`` or ``pocketsphinx``), its model folder (Vosk only) and why."""

    engine: str
    model: Path | None
    note: str


def choose_engine(
    engine: str = "auto",
    model: Path | None = None,
    models_dir: Path | None = None,
    manifest: Path = DEFAULT_MANIFEST,
) -> EngineChoice:
    """Decide which engine and model ``--engine``/``--model`` mean, without loading anything.

    Raises EngineError for an unknown engine and ModelError when Vosk is asked for without a usable
    model, or when the model given (``--model`` or ``VOICECARE_MODEL``) is not a Vosk model folder.
    """
    choice = engine.strip().lower()
    if choice not in ENGINES:
        raise EngineError(f"unknown engine '{engine}'", "use --engine auto, vosk or pocketsphinx")
    if choice == "pocketsphinx":
        if model is not None:
            raise EngineError(
                "--model is a Vosk model folder but the engine is pocketsphinx",
                "drop --model or use --engine vosk",
            )
        return EngineChoice("pocketsphinx", None, "engine: pocketsphinx (asked for with --engine)")
    located = _find_vosk_model(model, models_dir, manifest)
    if located is not None:
        why = "asked for" if choice == "vosk" else "auto"
        return EngineChoice(
            "vosk", located.path, f"engine: vosk ({why}; model {located.path}, from {located.source})"
        )
    if choice == "vosk":
        where = describe_dirs([folder / DEFAULT_ENGLISH_MODEL for folder in search_dirs(models_dir)])
        raise ModelError(
            f"no Vosk model at {where}",
            f"run 'voicecare models download {DEFAULT_ENGLISH_MODEL}' or use --engine pocketsphinx",
        )
    return EngineChoice(
        "pocketsphinx",
        None,
        (
            "engine: pocketsphinx (auto; no English Vosk model installed; "
            f"'voicecare models download {DEFAULT_ENGLISH_MODEL}' gives Vosk)"
        ),
    )


def load_recognizer(
    engine: str = "auto",
    model: Path | None = None,
    models_dir: Path | None = None,
    manifest: Path = DEFAULT_MANIFEST,
) -> tuple[Recognizer, str]:
    """Load the recogniser for ``engine`` (once per process); return it and a one-line note of which
    was taken and why, for stderr. Arguments and errors as for ``choose_engine``."""
    chosen = choose_engine(engine, model, models_dir, manifest)
    if chosen.model is not None:
        return _vosk(chosen.model), chosen.note
    recognizer = _pocketsphinx()
    if not checker_wanted():
        return recognizer, chosen.note
    return _verifying(recognizer), f"{chosen.note}; checked where unsure by Whisper tiny.en"


def checker_wanted() -> bool:
    """Whether pocketsphinx is checked by the second recogniser: when its packages are installed, unless
    ``VOICECARE_CHECKER=off``."""
    from voicecare.recognition.whisper_check import available

    return os.environ.get("VOICECARE_CHECKER", "").strip().lower() != "off" and available()


def _verifying(recognizer: Recognizer) -> Recognizer:
    key = ("verifying", "")
    if key not in _cache:
        from voicecare.recognition.verifying import VerifyingRecognizer

        _cache[key] = VerifyingRecognizer(recognizer)
    return _cache[key]


def unload_recognizers() -> None:
    """Forget the loaded recognisers, so their memory can go back to the system (a device waiting for its
    wake phrase holds none); the next ``load_recognizer`` loads again."""
    import sys

    _cache.clear()
    engine = sys.modules.get("voicecare.recognition.pocketsphinx_engine")
    if engine is not None:
        engine._shared.cache_clear()


def _find_vosk_model(model: Path | None, models_dir: Path | None, manifest: Path) -> LocatedModel | None:
    explicit = explicit_model(model)
    if explicit is not None:
        return explicit
    english = [entry for entry in load_manifest(manifest).values() if entry.is_english]
    return find_installed(english, models_dir)


def _vosk(path: Path) -> Recognizer:
    key = ("vosk", str(path.resolve()))
    if key not in _cache:
        from voicecare.recognition.vosk_engine import VoskRecognizer

        _cache[key] = VoskRecognizer.load(path)
    return _cache[key]


def _pocketsphinx() -> Recognizer:
    key = ("pocketsphinx", "")
    if key not in _cache:
        try:
            from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer
        except ImportError as error:
            raise EngineError(
                f"the pocketsphinx engine cannot start: {error}",
                "run scripts/setup to install pocketsphinx, or use --engine vosk",
            ) from None
        _cache[key] = PocketsphinxRecognizer.load()
    return _cache[key]
