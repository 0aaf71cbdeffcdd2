"""``voicecare session`` (and ``voicecare`` with no command): the hands-free session with its spoken menu."""

import argparse
from typing import Any

from voicecare.cli.hands_free import HandsFree
from voicecare.cli.session_io import add_session_arguments, open_session_io, settings_from
from voicecare.exercises.script import GROUP_COUNTS


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "session",
        help="the hands-free session: check your back, then exercises, by voice (the default)",
        description="A greeting, then a spoken menu: check my back, relax my muscles, breathing, "
        "work on a worrying thought, help, goodbye.",
    )
    parser.add_argument(
        "--groups", type=int, choices=GROUP_COUNTS, default=16, help="relaxation muscle groups"
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_session_io(args, settings) as io:
        HandsFree(io, settings, relax_groups=args.groups).run()
    return 0
