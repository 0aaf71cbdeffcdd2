"""The options every dialogue command shares, turned into settings and a ``Mode``.

``--text`` reads typed replies; ``--audio-in``/``--audio-out`` stand for the microphone and speaker;
with neither, the real microphone and speaker are used. ``--json`` puts only JSON events on stdout.
"""

import argparse
from pathlib import Path

from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName
from voicecare.session.builder import open_session, play_exercise
from voicecare.session.io import Mode
from voicecare.settings import REGIONS, Settings, load_settings

TEXT_MODE_HELP = (
    "With --text the narration is printed. On a terminal, speech and silences take their real time and "
    "you can type a command at any moment (pause, resume, repeat, slower, faster, skip, help, how long "
    "is left, stop). When input is not a terminal (a pipe or file) nothing waits: the script is printed "
    "at once and the typed lines only answer the questions (reframing), one line per answer."
)


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options shared by screen, relax, breathe, reframe and the session."""
    mode = parser.add_argument_group("how to talk")
    mode.add_argument("--text", action="store_true", help="type replies; questions are printed")
    mode.add_argument("--json", action="store_true", help="stdout carries only JSON events, one a line")
    mode.add_argument(
        "--audio-in", type=Path, metavar="WAV", help="a WAV of answers stands for the microphone"
    )
    mode.add_argument("--audio-out", type=Path, metavar="WAV", help="write everything said to this WAV")
    where = parser.add_argument_group("settings")
    where.add_argument("--region", help=f"emergency numbers for: {', '.join(REGIONS)}")
    where.add_argument(
        "--config", type=Path, metavar="PATH", help="config file (settings and where records go)"
    )
    where.add_argument("--no-save", action="store_true", help="keep no record of this session")
    where.add_argument(
        "--person",
        metavar="NAME",
        help="who is speaking; their answers are remembered under this name (several people may share "
        "a device; also VOICECARE_PERSON)",
    )
    where.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the day that stands for today, for a visit's records (also VOICECARE_TODAY)",
    )
    where.add_argument("--rate", type=int, metavar="WPM", help="speech rate in words per minute")
    where.add_argument("--volume", type=float, help="speech volume, 0.0 to 1.0")
    where.add_argument("--voice", help="synthesiser voice (see 'voicecare voices')")
    where.add_argument("--engine", help="recogniser: auto, vosk or pocketsphinx")
    where.add_argument("--model", type=Path, metavar="PATH", help="Vosk model folder")
    where.add_argument("--timeout", type=float, metavar="S", help="seconds to wait for an answer")
    where.add_argument("--input-device", help="microphone by index or name")
    where.add_argument("--output-device", help="speaker by index or name")
    where.add_argument("--no-earcons", action="store_true", help="no listening and done tones")


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the config file, environment and these arguments."""
    return load_settings(
        args.config,
        overrides={
            "region": args.region,
            "rate_wpm": args.rate,
            "volume": args.volume,
            "voice": args.voice,
            "engine": args.engine,
            "model": args.model,
            "no_input_timeout_s": args.timeout,
            "input_device": args.input_device,
            "output_device": args.output_device,
            "earcons": False if args.no_earcons else None,
            "save": False if args.no_save else None,
            "person": args.person,
            "today": args.date,
        },
    )


def mode_from(args: argparse.Namespace, exercise: bool = False) -> Mode:
    """The ``Mode`` these arguments ask for; ``exercise``: ``--audio-out`` alone renders it."""
    return Mode(args.text, args.json, args.audio_in, args.audio_out, along_the_clock=exercise)


def run_exercise(args: argparse.Namespace, exercise: ExerciseName, options: ExerciseOptions) -> int:
    """``relax``, ``breathe`` and ``reframe``: build the session the arguments ask for and play."""
    with open_session(mode_from(args, exercise=True), settings_from(args), exercises=True) as session:
        play_exercise(session, exercise, options, typed=args.text)
    return 0
