"""``voicecare version``: print the version."""

import argparse
from typing import Any

from voicecare import __version__


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("version", help="print voicecare's version")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(__version__)
    return 0
