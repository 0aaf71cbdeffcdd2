"""The manifest of downloadable Vosk models (``models/manifest.toml``), read and validated at load."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voicecare.errors import ConfigError, ModelError

PROJECT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
"""The project's own ``models/`` folder: it holds the manifest, and downloads unpack here by default."""
DEFAULT_MANIFEST = PROJECT_MODELS_DIR / "manifest.toml"
DEFAULT_ENGLISH_MODEL = "small-en-us"
"""The model voicecare suggests downloading when no English Vosk model is installed."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_SHA256 = re.compile(r"^([0-9a-f]{64})?$")


@dataclass(frozen=True)
class ModelEntry:
    """One downloadable model.

    ``name`` is the command-line name and the folder it installs to; ``archive`` the zip's top folder;
    ``size_bytes`` the zip's size in bytes; ``sha256`` the zip's hex SHA-256 or "" when none is
    published; ``verified`` says whether ``sha256``/``size_bytes`` come from published records.
    """

    name: str
    archive: str
    url: str
    language: str
    size_bytes: int
    sha256: str
    verified: bool
    description: str

    @property
    def is_english(self) -> bool:
        """True for a model of any English variety (language tag ``en`` or ``en-*``)."""
        return self.language.lower().split("-")[0] == "en"

    @property
    def size_mb(self) -> float:
        """Size of the zip in megabytes (10^6 bytes)."""
        return self.size_bytes / 1_000_000


def load_manifest(path: Path = DEFAULT_MANIFEST) -> dict[str, ModelEntry]:
    """Read and validate the manifest at ``path``; the result is keyed by model name, in file order."""
    try:
        with path.open("rb") as file:
            raw = tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(f"no model manifest at {path}", "restore models/manifest.toml from git") from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read model manifest {path}: {error}", "fix the TOML syntax") from None
    entries: dict[str, ModelEntry] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: key '{name}' is not a table", "write each model as a [name] table")
        if not _NAME.match(name):
            raise ConfigError(
                f"{path}: model name '{name}' is not lower-case letters, digits, '-' or '.'",
                "rename the table",
            )
        entries[name] = _entry(path, name, table)
    return entries


def find_entry(name: str, manifest: dict[str, ModelEntry]) -> ModelEntry:
    """The manifest entry called ``name``, or ModelError listing the known names."""
    try:
        return manifest[name]
    except KeyError:
        known = ", ".join(manifest) or "none"
        raise ModelError(
            f"unknown model '{name}'", f"use one of: {known} (see 'voicecare models list')"
        ) from None


def _entry(path: Path, name: str, table: dict[str, object]) -> ModelEntry:
    def text(key: str) -> str:
        value = table.get(key)
        if not isinstance(value, str):
            raise ConfigError(f"{path}: [{name}] {key} is missing or not a string", f'add {key} = "..."')
        return value

    size = table.get("size_bytes")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ConfigError(
            f"{path}: [{name}] size_bytes is missing or not a positive integer",
            "give the zip's size in bytes",
        )
    verified = table.get("verified")
    if not isinstance(verified, bool):
        raise ConfigError(f"{path}: [{name}] verified is missing or not true/false", "add verified = false")
    sha256 = text("sha256").lower()
    if not _SHA256.match(sha256):
        raise ConfigError(f'{path}: [{name}] sha256 is not 64 hex digits or ""', "fix or empty the value")
    if verified and not sha256:
        raise ConfigError(f"{path}: [{name}] verified = true needs a sha256", "add the sha256 or set false")
    url = text("url")
    if not url.startswith(("https://", "http://")):
        raise ConfigError(f"{path}: [{name}] url is not an http(s) address", "give the official zip URL")
    unknown = set(table) - {"archive", "url", "language", "size_bytes", "sha256", "verified", "description"}
    if unknown:
        raise ConfigError(f"{path}: [{name}] has unknown keys {sorted(unknown)}", "remove or rename them")
    return ModelEntry(
        name, text("archive"), url, text("language"), size, sha256, verified, text("description")
    )
