"""Checksums recorded on first download of a model that has no published one (trust on first use).

The record is ``checksums.toml`` in the models folder the model was downloaded to, one table per model
name with the zip's ``sha256`` and the ``url`` it came from. It is written atomically (temp file, then
rename) so a crash never leaves it half-written.
"""

import json
import os
import tempfile
import tomllib
from pathlib import Path

from voicecare.errors import ConfigError

RECORD_NAME = "checksums.toml"


def record_path(models_dir: Path) -> Path:
    """The checksum record of ``models_dir``."""
    return models_dir / RECORD_NAME


def read_records(models_dir: Path) -> dict[str, str]:
    """Model name to recorded hex SHA-256; empty when there is no record yet."""
    path = record_path(models_dir)
    try:
        with path.open("rb") as file:
            raw = tomllib.load(file)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(
            f"cannot read checksum record {path}: {error}",
            "delete it; the next download records the checksum again",
        ) from None
    records: dict[str, str] = {}
    for name, table in raw.items():
        sha = table.get("sha256") if isinstance(table, dict) else None
        if not isinstance(sha, str):
            raise ConfigError(f"{path}: [{name}] sha256 is missing", "delete the table or the file")
        records[name] = sha
    return records


def record_checksum(models_dir: Path, name: str, sha256: str, url: str) -> None:
    """Add or replace the record of model ``name``, atomically."""
    path = record_path(models_dir)
    tables = {**_read_tables(path), name: {"sha256": sha256, "url": url}}
    lines = [
        "# SHA-256 of model zips as first downloaded by 'voicecare models download'; later downloads",
        "# must match. Delete a table to trust a new file.",
        "",
    ]
    for model, table in tables.items():
        lines.append(f"[{json.dumps(model)}]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in table.items())
        lines.append("")
    handle, temp = tempfile.mkstemp(dir=models_dir, prefix=".checksums-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write("\n".join(lines))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _read_tables(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    read_records(path.parent)
    with path.open("rb") as file:
        raw = tomllib.load(file)
    return {name: {key: str(value) for key, value in table.items()} for name, table in raw.items()}
