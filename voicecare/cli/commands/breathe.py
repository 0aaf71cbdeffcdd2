"""``voicecare breathe``: paced diaphragmatic breathing."""

import argparse
from typing import Any

from voicecare.cli.session_arguments import TEXT_MODE_HELP, add_session_arguments, run_exercise
from voicecare.exercises.script import MINUTES_RANGE, ExerciseOptions


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "breathe",
        help="guided diaphragmatic breathing",
        description="Paces slow breathing into the belly, lying down with knees bent. Say stop at any time.",
        epilog=TEXT_MODE_HELP,
    )
    low, high = MINUTES_RANGE
    parser.add_argument(
        "--minutes",
        type=int,
        metavar="N",
        help=f"minutes of paced breathing, {low} to {high}; the introduction and the closing come on top"
        " (about one to two minutes)",
    )
    parser.add_argument("--pregnant", action="store_true", help="side-lying or propped-up positions")
    parser.add_argument(
        "--lung-or-heart", action="store_true", help="wording for a lung or heart condition (COPD, asthma)"
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = ExerciseOptions(minutes=args.minutes, pregnant=args.pregnant, lung_or_heart=args.lung_or_heart)
    return run_exercise(args, "breathing", options)
