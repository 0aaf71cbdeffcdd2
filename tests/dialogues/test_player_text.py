"""The player on a text channel that reads typed lines while it narrates (as on a terminal): words of
self-harm hand over to the self-harm check and the exercise does not resume; a warning sign stops it;
typed commands are obeyed. Speech and silences here are kept short, since a terminal waits in real time."""

import io
import os
from collections.abc import Iterator
from typing import TextIO

import pytest

from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.safety_check import self_harm_check
from voicecare.exercises.script import Cue, Pause, Say, Step
from voicecare.narration.player import PlayEnd, Player
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.narration.wording import load_player_wording
from voicecare.screening.regions import region
from voicecare.screening.safety import load_safety
from voicecare.understanding.answers import CommandName
from voicecare.understanding.turn_understanding import TurnUnderstanding

SPOKEN_S = 0.05
"""Every sentence 'takes' this long on the text stage (seconds of real waiting)."""
STEPS: list[Step] = [
    Say("First part.", "attend"),
    Cue("tense", "arms", "Now."),
    Pause(0.4, paced=False),
    Cue("release", "arms", "Relax."),
    Pause(0.4),
    Say("Second part.", "attend"),
    Cue("tense", "legs", "Now."),
    Pause(0.4, paced=False),
    Say("The end.", "closing"),
]


@pytest.fixture
def typed() -> Iterator[tuple[TextIO, TextIO]]:
    """A pipe: (what the person types into, what voicecare reads)."""
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "w") as writer, os.fdopen(read_fd) as reader:
        yield writer, reader


def play(reader: TextIO, typed_lines: str, writer: TextIO) -> tuple[PlayEnd, Player, list[str]]:
    writer.write(typed_lines)
    writer.close()
    understanding = SignAwareUnderstanding(
        TurnUnderstanding(extra_commands=frozenset({CommandName.SKIP, CommandName.TIME_LEFT})),
        load_warning_signs(),
    )
    out = io.StringIO()
    events = RecordingSink()
    channel = TextChannel(reader, out, estimate=lambda text: SPOKEN_S, narration_input=reader)
    conversation = Conversation(
        channel,
        events,
        understanding,
        timeout_s=1.0,
        on_self_harm=self_harm_check(region("uk")),
    )
    player = Player(conversation, understanding)
    end = player.run(STEPS)
    said = [e.text for e in events.events if e.type in ("say", "ask")]
    return end, player, said


def test_typed_words_of_self_harm_give_the_check_and_the_exercise_does_not_resume(
    typed: tuple[TextIO, TextIO],
) -> None:
    writer, reader = typed
    end, _, said = play(reader, "I want to end it all\nyes\n", writer)
    safety = load_safety()
    assert end is PlayEnd.SAFETY_STOP
    assert said[1] == safety.question
    assert len(said) == 2 + safety.repeat and all("999" in line for line in said[2:])
    assert "Second part." not in said


def test_a_clear_no_to_the_check_carries_on_with_the_exercise(typed: tuple[TextIO, TextIO]) -> None:
    writer, reader = typed
    end, _, said = play(reader, "there's no point going on\nno\n", writer)
    assert end is PlayEnd.COMPLETED
    assert said[1] == load_safety().question
    assert said[-1] == "The end."


def test_a_typed_warning_sign_stops_the_exercise(typed: tuple[TextIO, TextIO]) -> None:
    writer, reader = typed
    end, player, said = play(reader, "I've got chest pain\n", writer)
    assert end is PlayEnd.WARNING_SIGN
    assert player.sign is not None and player.sign.id == "chest_pain"
    assert said[-1] == load_warning_signs().stopped


def test_a_typed_stop_ends_the_exercise_with_the_getting_up_advice(typed: tuple[TextIO, TextIO]) -> None:
    writer, reader = typed
    end, player, said = play(reader, "stop\n", writer)
    assert end is PlayEnd.STOPPED
    assert player.stopped_at_s is not None
    assert said == ["First part.", load_player_wording()["stopped"]]
