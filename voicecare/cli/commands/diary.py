"""``voicecare diary``: one pain diary entry now (the 0-10 ratings, the weekly question when it is due),
by voice or ``--text``/``--json``/tapes like the other dialogue commands; ``--person`` and ``--date`` say
whose entry and for which day, so scripts can lay down weeks of entries."""

import argparse
from contextlib import suppress
from typing import Any

from voicecare.cli.session_arguments import add_session_arguments, mode_from, settings_from
from voicecare.dialogue.conversation import SafetyStop, StopRequested
from voicecare.session.builder import open_session
from voicecare.session.diary_activities import DiaryActivities


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "diary",
        help="log how bad your pain is today, from 0 to 10",
        description="Asks how bad your back pain (and leg pain, if you have it) has been today, from 0 to "
        "10, reads it back and saves it with the date; once a week it asks whether it is better or worse "
        "than when you started. Something new, or pain 2 points worse than the week before, offers the "
        "warning-sign questions again.",
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_session(mode_from(args), settings_from(args)) as session, suppress(StopRequested, SafetyStop):
        DiaryActivities(session).entry()
    return 0
