"""``voicecare devices``: list the sound devices voicecare can listen and speak through."""

import argparse
from typing import Any

from voicecare.audio.devices import default_device, list_devices


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("devices", help="list microphones and speakers (number, name, channels, rate)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    devices = list_devices()
    default_in, default_out = default_device("input"), default_device("output")
    print(f"{'#':>3}  {'in':>3} {'out':>3}  {'rate Hz':>7}  name")
    for device in devices:
        marks = "".join(
            mark for mark, index in (("<", default_in), (">", default_out)) if index == device.index
        )
        print(
            f"{device.index:>3}  {device.input_channels:>3} {device.output_channels:>3}  "
            f"{device.default_rate_hz:>7.0f}  {device.name} ({device.host_api}){' ' + marks if marks else ''}"
        )
    print("< default input, > default output. Choose one by number or by part of its name.")
    return 0
