"""``voicecare reframe``: a spoken thought record for a worrying thought about pain."""

import argparse
from typing import Any

from voicecare.cli.session_arguments import TEXT_MODE_HELP, add_session_arguments, run_exercise
from voicecare.exercises.script import ExerciseOptions


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "reframe",
        help="talk through a worrying thought about your pain",
        description="Walks through a thought record aloud: the situation, the feeling and its strength, "
        "the thought, the evidence, a balanced thought, and the feeling again. Say done to go on, "
        "stop at any time.",
        epilog=TEXT_MODE_HELP,
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_exercise(args, "reframing", ExerciseOptions())
