"""Running one guided exercise from the command line: ``voicecare relax``, ``breathe`` and ``reframe``.

Voice (the default, or ``--audio-in``/``--audio-out``): the exercise is narrated on the audio bus and
commands are listened for throughout; an ``--audio-in`` tape runs along the narration. ``--audio-out``
alone renders the exercise to the WAV without listening, as fast as the machine allows.
Text (``--text``): see ``TEXT_MODE_HELP``. Each run is kept in the session records unless ``--no-save``.
"""

import argparse

from voicecare.cli.exercise_records import play_recorded
from voicecare.cli.session_io import SessionIO, open_session_io, settings_from
from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.conversation import Conversation, SafetyStop, StopRequested
from voicecare.dialogue.events import EndEvent
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.safety_check import SelfHarmCheck
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName, exercise_steps, words_estimator
from voicecare.narration.player import PlayEnd, Player, command_grammar
from voicecare.narration.speech_timing import CachedSynthesizer
from voicecare.narration.stage import Stage, TextStage, VoiceStage
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.records import NoRecorder, RecordStore, SessionRecorder
from voicecare.screening.content_files import ScreeningContent, load_screening_content
from voicecare.screening.regions import Region
from voicecare.settings import Settings
from voicecare.understanding.answers import CommandName, No
from voicecare.understanding.turn_understanding import TurnUnderstanding

TEXT_MODE_HELP = (
    "With --text the narration is printed. On a terminal, speech and silences take their real time and "
    "you can type a command at any moment (pause, resume, repeat, slower, faster, skip, help, how long "
    "is left, stop). When input is not a terminal (a pipe or file) nothing waits: the script is printed "
    "at once and the typed lines only answer the questions (reframing), one line per answer."
)
EXERCISE_COMMANDS = frozenset({CommandName.SKIP, CommandName.TIME_LEFT})


def run_exercise(args: argparse.Namespace, exercise: ExerciseName, options: ExerciseOptions) -> int:
    """Play ``exercise`` with ``options`` as the arguments ask; the events end with ``end``."""
    settings = settings_from(args)
    content = load_screening_content(settings.region, settings.content_dir)
    with open_session_io(args, settings, listen_throughout=True) as io:
        understanding = SignAwareUnderstanding(
            TurnUnderstanding(extra_commands=EXERCISE_COMMANDS), load_warning_signs()
        )
        conversation = Conversation(
            io.channel,
            io.events,
            understanding,
            speech=io.speech,
            timeout_s=settings.no_input_timeout_s,
            on_self_harm=SelfHarmCheck(content.region, content.safety),
        )
        stage = exercise_stage(io, understanding)
        speech = io.speech
        steps = exercise_steps(exercise, options, lambda text: stage.seconds(text, speech))
        player = Player(stage, conversation, understanding, pace=options.pace, one_line_answers=args.text)
        try:
            if play_recorded(player, steps, exercise, options, settings) is PlayEnd.WARNING_SIGN:
                offer_screening(conversation, understanding, content.region, settings, content)
        except (StopRequested, SafetyStop):
            pass
        finally:
            io.events.emit(EndEvent())
    return 0


def exercise_stage(io: SessionIO, understanding: SignAwareUnderstanding) -> Stage:
    """Where the exercise is played: spoken on the audio bus in voice mode, printed in text mode."""
    if io.bus is not None and io.synthesizer is not None:
        phrases, finishing = command_grammar(understanding)
        return VoiceStage(io.bus, CachedSynthesizer(io.synthesizer), io.recognizer, phrases, finishing)
    channel = io.channel
    if not isinstance(channel, TextChannel):
        raise TypeError("a session without an audio bus must be typed")
    rate = io.speech.rate_wpm
    terminal = channel.input if _is_terminal(channel) else None
    return TextStage(channel.output, terminal, words_estimator(rate), base_rate_wpm=rate)


def _is_terminal(channel: TextChannel) -> bool:
    try:
        return channel.input.isatty()
    except (OSError, ValueError):
        return False


def offer_screening(
    conversation: Conversation,
    understanding: SignAwareUnderstanding,
    region: Region,
    settings: Settings,
    content: ScreeningContent | None = None,
) -> None:
    """After a warning sign: offer the screening; anything but a clear no starts it. ``content``: the
    screening and advice to use (None: the packaged files)."""
    signs = understanding.signs
    answer = conversation.ask(Prompt("offer_screening", signs.offer, kind="yes_no"))
    if isinstance(answer, No):
        conversation.say(signs.declined)
        return
    placeholders = {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}
    recorder: SessionRecorder = (
        RecordStore(settings.data_dir).start("screening") if settings.save else NoRecorder()
    )
    screening, advice = (content.screening, content.advice) if content is not None else (None, None)
    ScreeningSession(conversation, placeholders, recorder, screening, advice).run()
