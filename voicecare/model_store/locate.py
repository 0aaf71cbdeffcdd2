"""Where Vosk models are, and whether a folder is one.

Precedence for the model a run uses: ``--model PATH``, then the ``VOICECARE_MODEL`` environment variable,
then an installed manifest model ``NAME`` in a models folder. The models folders searched are the one
given (``--models-dir``/``--dest``) or else the project's ``models/`` and then the user data folder
(``platformdirs.user_data_dir("voicecare")/models``, e.g. ``~/.local/share/voicecare/models``), which
is where a model unpacked by hand for a pip-installed voicecare can live.
"""

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from voicecare.errors import ModelError
from voicecare.model_store.manifest import DEFAULT_ENGLISH_MODEL, PROJECT_MODELS_DIR, ModelEntry

MODEL_ENV = "VOICECARE_MODEL"
"""Environment variable naming a Vosk model folder; overridden by ``--model``."""


@dataclass(frozen=True)
class LocatedModel:
    """A model folder found on disk and how it was chosen (``source``, e.g. "--model")."""

    path: Path
    source: str


def user_models_dir() -> Path:
    """The per-user models folder (``<user data dir>/voicecare/models``)."""
    return Path(platformdirs.user_data_dir("voicecare")) / "models"


def default_download_dir() -> Path:
    """Where downloads go without ``--dest``: the project's ``models/`` when writable, else the user's."""
    if PROJECT_MODELS_DIR.is_dir() and os.access(PROJECT_MODELS_DIR, os.W_OK):
        return PROJECT_MODELS_DIR
    return user_models_dir()


def search_dirs(models_dir: Path | None = None) -> list[Path]:
    """The models folders to search, in order: ``models_dir`` alone when given, else project then user."""
    if models_dir is not None:
        return [models_dir]
    return [PROJECT_MODELS_DIR, user_models_dir()]


def model_problem(path: Path) -> str | None:
    """Why ``path`` is not a Vosk model folder, or None when it has the files Vosk loads.

    A structural check only (no Kaldi): an acoustic model (``am/final.mdl``, or ``final.mdl`` in the
    older flat layout), its feature config (``conf/mfcc.conf`` or ``mfcc.conf``), and a decoding graph
    (``HCLG.fst``, or ``HCLr.fst`` with ``Gr.fst``, in ``graph/`` or at the top).
    """
    if not path.is_dir():
        return "no such folder" if not path.exists() else "not a folder"
    if not (path / "am" / "final.mdl").is_file() and not (path / "final.mdl").is_file():
        return "no am/final.mdl"
    if not (path / "conf" / "mfcc.conf").is_file() and not (path / "mfcc.conf").is_file():
        return "no conf/mfcc.conf"
    for graph in (path / "graph", path):
        lookahead = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
        if lookahead or (graph / "HCLG.fst").is_file():
            return None
    return "no graph/HCLG.fst or graph/HCLr.fst + Gr.fst"


def check_model_dir(path: Path) -> None:
    """Raise ModelError("not a Vosk model: <path>") unless ``path`` looks like a Vosk model folder."""
    problem = model_problem(path)
    if problem is not None:
        raise ModelError(
            f"not a Vosk model: {path} ({problem})",
            "give the folder unpacked from a Vosk model zip (it holds am/, conf/ and graph/), "
            f"or run 'voicecare models download {DEFAULT_ENGLISH_MODEL}'",
        )


def installed_path(entry: ModelEntry, models_dir: Path | None = None) -> Path | None:
    """The folder where manifest model ``entry`` is installed, or None when it is in no models folder."""
    for folder in search_dirs(models_dir):
        candidate = folder / entry.name
        if model_problem(candidate) is None:
            return candidate
    return None


def explicit_model(model: Path | None, environ: Mapping[str, str] | None = None) -> LocatedModel | None:
    """The model asked for by ``--model`` or else ``VOICECARE_MODEL``, checked; None when neither is set."""
    env = os.environ if environ is None else environ
    if model is not None:
        located = LocatedModel(model, "--model")
    elif env.get(MODEL_ENV):
        located = LocatedModel(Path(env[MODEL_ENV]), MODEL_ENV)
    else:
        return None
    check_model_dir(located.path)
    return located


def find_installed(entries: Iterable[ModelEntry], models_dir: Path | None = None) -> LocatedModel | None:
    """The first of ``entries`` installed in a models folder, or None."""
    for entry in entries:
        path = installed_path(entry, models_dir)
        if path is not None:
            return LocatedModel(path, f"installed model '{entry.name}'")
    return None


def describe_dirs(dirs: Sequence[Path]) -> str:
    """The folders as one human-readable phrase, e.g. "models/small-en-us or ~/.local/..."."""
    return " or ".join(str(folder) for folder in dirs)
