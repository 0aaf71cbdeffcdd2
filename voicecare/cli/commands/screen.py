"""``voicecare screen``: the spoken red-flag screening, then how soon to get care and self-care advice."""

import argparse
from typing import Any

from voicecare.cli.session_io import add_session_arguments, open_session_io, settings_from
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.events import EndEvent
from voicecare.dialogue.safety_check import SelfHarmCheck
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.records import NoRecorder, RecordStore, SessionRecorder
from voicecare.screening.content_files import load_screening_content
from voicecare.understanding.turn_understanding import TurnUnderstanding


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "screen",
        help="ask about warning signs and say how soon to get care",
        description="Asks spoken questions about warning signs and says how soon to get care, and why.",
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    content = load_screening_content(settings.region, settings.content_dir)
    region = content.region
    placeholders = {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}
    with open_session_io(args, settings) as io:
        recorder: SessionRecorder = (
            RecordStore(settings.data_dir).start("screening") if settings.save else NoRecorder()
        )
        conversation = Conversation(
            io.channel,
            io.events,
            TurnUnderstanding(),
            speech=io.speech,
            timeout_s=settings.no_input_timeout_s,
            on_self_harm=SelfHarmCheck(region, content.safety),
        )
        try:
            ScreeningSession(
                conversation, placeholders, recorder, content.screening, content.advice, content.startback
            ).run()
        finally:
            io.events.emit(EndEvent())
    return 0
