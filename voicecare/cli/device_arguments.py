"""The sound-device flag of a command that uses one device (``say`` plays, ``listen`` hears), spelt as the
dialogue commands spell it (``--input-device``, ``--output-device``); ``--device`` stays as another name."""

import argparse
from typing import Literal

HELP = {
    "input": "microphone by index or name (see 'voicecare devices')",
    "output": "speaker by index or name (see 'voicecare devices')",
}


def add_device_argument(parser: argparse.ArgumentParser, kind: Literal["input", "output"]) -> None:
    """``--input-device`` or ``--output-device`` (also ``--device``), into ``args.input_device`` or
    ``args.output_device``."""
    flag = f"--{kind}-device"
    parser.add_argument(flag, "--device", dest=f"{kind}_device", metavar="DEVICE", help=HELP[kind])
