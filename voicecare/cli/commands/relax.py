"""``voicecare relax``: progressive muscle relaxation, 16, 7 or 4 muscle groups."""

import argparse
from typing import Any

from voicecare.cli.session_arguments import TEXT_MODE_HELP, add_session_arguments, run_exercise
from voicecare.exercises.script import GROUP_COUNTS, ExerciseOptions


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "relax",
        help="guided progressive muscle relaxation",
        description="Guides you through tensing and releasing muscle groups, lying down, eyes closed. "
        "Say stop at any time.",
        epilog=TEXT_MODE_HELP,
    )
    parser.add_argument(
        "--groups",
        type=int,
        choices=GROUP_COUNTS,
        default=16,
        help="muscle groups: 16 (about 15-20 min), 7 (about 10) or 4 (about 5)",
    )
    parser.add_argument("--twice", action="store_true", help="tense and release each group twice")
    parser.add_argument("--pregnant", action="store_true", help="side-lying positions, no tummy tensing")
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = ExerciseOptions(groups=args.groups, twice=args.twice, pregnant=args.pregnant)
    return run_exercise(args, "relaxation", options)
