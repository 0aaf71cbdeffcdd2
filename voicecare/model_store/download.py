"""Download, verify and install a Vosk model zip, leaving nothing half-written on any failure.

The zip streams to a temporary file inside the destination folder, its SHA-256 is checked (against the
manifest, or against the checksum recorded on the first download when none is published), it unpacks
into a temporary folder on the same filesystem, the result is checked to be a Vosk model, and only then
is it renamed into ``DEST/NAME`` in one atomic step. Any error, and Ctrl-C, removes the temporaries.
This is the only module that touches the network, and only when asked to.
"""

import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voicecare.errors import ModelError
from voicecare.model_store.checksums import read_records, record_checksum
from voicecare.model_store.locate import model_problem
from voicecare.model_store.manifest import ModelEntry

BLOCK_BYTES = 64 * 1024
TIMEOUT_S = 30.0
"""Seconds without data after which a download fails."""

Progress = Callable[[int, int | None], None]
"""Called after each block with (bytes received so far, total bytes or None when unknown)."""


@dataclass(frozen=True)
class Installed:
    """The outcome of a download: where the model is, the zip's SHA-256, and how it was checked."""

    path: Path
    sha256: str
    check: str
    already_there: bool = False


def download_model(
    entry: ModelEntry,
    dest_dir: Path,
    url: str | None = None,
    progress: Progress | None = None,
) -> Installed:
    """Install ``entry`` as ``dest_dir/entry.name`` from ``url`` (default: the manifest's URL).

    Returns at once when a model is already there. Raises ModelError for any network, checksum,
    archive or layout problem; on that and on KeyboardInterrupt no temporary file or folder remains.
    """
    target = dest_dir / entry.name
    if model_problem(target) is None:
        return Installed(target, "", "already installed", already_there=True)
    if target.exists():
        raise ModelError(
            f"{target} exists but is not a Vosk model", "remove that folder, then download again"
        )
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ModelError(f"cannot create {dest_dir}: {error.strerror}", "choose another --dest") from None
    source = url or entry.url
    expected, check = _expected_checksum(entry, dest_dir)
    temp_zip: Path | None = None
    temp_dir: Path | None = None
    try:
        handle, temp_name = tempfile.mkstemp(dir=dest_dir, prefix=f".{entry.name}-", suffix=".zip.part")
        os.close(handle)
        temp_zip = Path(temp_name)
        sha256 = _fetch(source, temp_zip, progress)
        if expected and sha256 != expected:
            raise ModelError(
                f"checksum mismatch for {entry.name}: the zip from {source} has SHA-256 {sha256}, "
                f"expected {expected} ({check})",
                "the download is corrupt or not the published file; try again, or use the official URL",
            )
        temp_dir = Path(tempfile.mkdtemp(dir=dest_dir, prefix=f".{entry.name}-unpack-"))
        root = _unpack(temp_zip, temp_dir, source)
        problem = model_problem(root)
        if problem is not None:
            raise ModelError(
                f"the zip from {source} is not a Vosk model ({problem})",
                "check the URL points at a Vosk model zip",
            )
        root.rename(target)
        if not expected:
            record_checksum(dest_dir, entry.name, sha256, source)
            check = f"first download; SHA-256 recorded in {dest_dir / 'checksums.toml'}"
        return Installed(target, sha256, check)
    finally:
        if temp_zip is not None:
            temp_zip.unlink(missing_ok=True)
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


def _expected_checksum(entry: ModelEntry, dest_dir: Path) -> tuple[str, str]:
    if entry.sha256:
        return entry.sha256, "published checksum in the manifest"
    recorded = read_records(dest_dir).get(entry.name, "")
    if recorded:
        return recorded, f"checksum recorded on the first download in {dest_dir / 'checksums.toml'}"
    return "", "no published checksum"


def _fetch(url: str, path: Path, progress: Progress | None) -> str:
    """Stream ``url`` into ``path``; return the hex SHA-256 of what was received."""
    digest = hashlib.sha256()
    received = 0
    total: int | None = None
    fix = "check the network connection and the URL, then try again"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, path.open("wb") as file:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            while block := response.read(BLOCK_BYTES):
                file.write(block)
                digest.update(block)
                received += len(block)
                if progress is not None:
                    progress(received, total)
    except urllib.error.HTTPError as error:
        raise ModelError(f"download of {url} failed: HTTP {error.code} {error.reason}", fix) from None
    except urllib.error.URLError as error:
        raise ModelError(f"cannot reach {url}: {error.reason}", fix) from None
    except http.client.IncompleteRead as error:
        received += len(error.partial)
        raise ModelError(_truncated(url, received, total), fix) from None
    except (http.client.HTTPException, OSError) as error:
        raise ModelError(
            f"download of {url} failed after {received} bytes: {error}",
            "check the network connection, the URL and the free disk space, then try again",
        ) from None
    except ValueError as error:
        raise ModelError(f"cannot download {url}: {error}", "give an http:// or https:// URL") from None
    if total is not None and received != total:
        raise ModelError(_truncated(url, received, total), fix)
    return digest.hexdigest()


def _truncated(url: str, received: int, total: int | None) -> str:
    expected = f" of {total}" if total is not None else ""
    return f"download of {url} was cut short: got {received}{expected} bytes"


def _unpack(zip_path: Path, into: Path, source: str) -> Path:
    """Extract ``zip_path`` into ``into``; return the model root (the zip's single top folder, if any)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            base = into.resolve()
            for member in archive.namelist():
                if not (base / member).resolve().is_relative_to(base):
                    raise ModelError(
                        f"the zip from {source} has an unsafe path '{member}'", "use the official model zip"
                    )
            archive.extractall(into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise ModelError(
            f"the file from {source} is not a usable zip ({error})",
            "check the URL points at a Vosk model .zip",
        ) from None
    except OSError as error:
        raise ModelError(
            f"cannot unpack the model into {into.parent}: {error.strerror}",
            "free some disk space or choose another --dest",
        ) from None
    children = [child for child in into.iterdir() if child.name != "__MACOSX"]
    if len(children) == 1 and children[0].is_dir():
        return children[0]
    return into
