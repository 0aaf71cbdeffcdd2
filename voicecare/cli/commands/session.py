"""``voicecare session`` (and ``voicecare`` with no command): the hands-free session with its spoken menu."""

import argparse
from contextlib import ExitStack
from typing import Any

from voicecare.cli.session_arguments import add_session_arguments, mode_from, settings_from
from voicecare.exercises.script import GROUP_COUNTS
from voicecare.session.builder import Session
from voicecare.session.hands_free import HandsFree
from voicecare.session.io import open_io


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
    with ExitStack() as stack:
        session = Session(open_io(mode_from(args), settings, stack), settings, exercises=True)
        HandsFree(session, relax_groups=args.groups).run()
    return 0
