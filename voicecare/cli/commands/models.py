"""``voicecare models list|download|path``: the downloadable Vosk models and where they are installed."""

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from voicecare.errors import ModelError
from voicecare.model_store.download import download_model
from voicecare.model_store.locate import default_download_dir, describe_dirs, installed_path, search_dirs
from voicecare.model_store.manifest import (
    DEFAULT_MANIFEST,
    PROJECT_MODELS_DIR,
    ModelEntry,
    find_entry,
    load_manifest,
)

BAR_WIDTH = 30
LINE_EVERY_PERCENT = 10
"""Without a terminal, a progress line is printed each time this many more percent have arrived."""


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("models", help="list, download and locate Vosk speech models")
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the models voicecare knows, and which are installed")
    _common(
        listing,
        "--models-dir",
        "models folder to look in (default: the project's models/, then the user data folder)",
    )
    listing.set_defaults(run=run_list)

    fetch = actions.add_parser("download", help="download, verify and unpack a model (needs the network)")
    fetch.add_argument("name", metavar="NAME", help="model name, as in 'voicecare models list'")
    fetch.add_argument("--url", help="download from this address instead (a mirror, or a test server)")
    _common(
        fetch,
        "--dest",
        f"models folder to install into (default: {PROJECT_MODELS_DIR} when "
        "writable, else the user data folder)",
    )
    fetch.set_defaults(run=run_download)

    where = actions.add_parser("path", help="print the folder of an installed model")
    where.add_argument("name", metavar="NAME", help="model name, as in 'voicecare models list'")
    _common(where, "--models-dir", "models folder to look in")
    where.set_defaults(run=run_path)


def _common(parser: argparse.ArgumentParser, dir_flag: str, dir_help: str) -> None:
    parser.add_argument(dir_flag, dest="models_dir", type=Path, metavar="DIR", help=dir_help)
    parser.add_argument(
        "--manifest",
        type=Path,
        default=DEFAULT_MANIFEST,
        metavar="FILE",
        help="model manifest (default: models/manifest.toml)",
    )


def run_list(args: argparse.Namespace) -> int:
    manifest = load_manifest(args.manifest)
    rows = [("NAME", "LANGUAGE", "SIZE", "INSTALLED")]
    for entry in manifest.values():
        path = installed_path(entry, args.models_dir)
        size = f"{entry.size_mb:.0f} MB" + ("" if entry.verified else "~")
        rows.append((entry.name, entry.language, size, f"yes: {path}" if path else "no"))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3])
    print(f"(looked in {describe_dirs(search_dirs(args.models_dir))}; ~ = size not verified)")
    return 0


def run_path(args: argparse.Namespace) -> int:
    entry = find_entry(args.name, load_manifest(args.manifest))
    path = installed_path(entry, args.models_dir)
    if path is None:
        where = describe_dirs(search_dirs(args.models_dir))
        raise ModelError(
            f"model '{entry.name}' is not installed in {where}",
            f"run 'voicecare models download {entry.name}'",
        )
    print(path)
    return 0


def run_download(args: argparse.Namespace) -> int:
    entry = find_entry(args.name, load_manifest(args.manifest))
    dest = args.models_dir or default_download_dir()
    reporter = ProgressReporter(entry, sys.stderr)
    print(f"voicecare: downloading {entry.name} from {args.url or entry.url}", file=sys.stderr)
    try:
        installed = download_model(entry, dest, url=args.url, progress=reporter)
    finally:
        reporter.close()
    if installed.already_there:
        print(f"voicecare: {entry.name} is already installed", file=sys.stderr)
    else:
        print(
            f"voicecare: installed {entry.name} (SHA-256 {installed.sha256}, {installed.check})",
            file=sys.stderr,
        )
    print(installed.path)
    return 0


class ProgressReporter:
    """Shows download progress on ``stream``: a redrawn bar on a terminal, else a line every 10 %."""

    def __init__(self, entry: ModelEntry, stream: TextIO) -> None:
        self._entry = entry
        self._stream = stream
        self._tty = stream.isatty()
        self._next_percent = LINE_EVERY_PERCENT
        self._drawn = False

    def __call__(self, received: int, total: int | None) -> None:
        size = total or self._entry.size_bytes
        percent = min(100, received * 100 // size) if size else 0
        megabytes = f"{received / 1e6:.1f}/{size / 1e6:.1f} MB"
        if self._tty:
            filled = BAR_WIDTH * percent // 100
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self._stream.write(f"\r[{bar}] {percent:3d}% {megabytes}")
            self._stream.flush()
            self._drawn = True
        elif percent >= self._next_percent:
            self._stream.write(f"voicecare: {self._entry.name}: {percent}% ({megabytes})\n")
            self._next_percent = (percent // LINE_EVERY_PERCENT + 1) * LINE_EVERY_PERCENT

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._drawn:
            self._stream.write("\n")
            self._drawn = False
