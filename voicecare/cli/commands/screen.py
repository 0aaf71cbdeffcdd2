"""``voicecare screen``: the spoken red-flag screening, then how soon to get care and self-care advice."""

import argparse
from typing import Any

from voicecare.cli.session_arguments import add_session_arguments, mode_from, settings_from
from voicecare.session.builder import open_session


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "screen",
        help="ask about warning signs and say how soon to get care",
        description="Asks spoken questions about warning signs and says how soon to get care, and why.",
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_session(mode_from(args), settings_from(args)) as session:
        session.screen()
    return 0
