"""``voicecare demo``: a whole session with a simulated person, for a machine with no microphone.

The person (another voice) asks to check their back, has no warning signs, hears the advice, then does
the 4-group relaxation and says "pause", "resume" and "slower" along the way. Everything they say goes
through the real recogniser. It runs on the simulated clock (``--realtime`` paces it), prints the
dialogue, writes both voices to a WAV, and saves no preferences or records.
"""

import argparse
import sys
from pathlib import Path
from typing import Any

from voicecare.exercises.script import GROUP_COUNTS

DEFAULT_OUT = Path("demo.wav")


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "demo", help="a whole spoken session with a simulated person (no microphone needed)"
    )
    parser.add_argument(
        "--audio-out", type=Path, default=DEFAULT_OUT, metavar="WAV", help="default: demo.wav"
    )
    parser.add_argument("--realtime", action="store_true", help="pace the session in real time")
    parser.add_argument("--groups", type=int, default=4, choices=GROUP_COUNTS, help="relaxation groups (4)")
    parser.add_argument("--region", default="us", help="emergency numbers for: us, uk, eu")
    parser.add_argument("--engine", default="auto", help="recogniser: auto, vosk or pocketsphinx")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from voicecare.audio.bus import AudioBus
    from voicecare.audio.wav_files import WavFileSink
    from voicecare.dialogue.event_sinks import FanOutSink, PrintingSink
    from voicecare.recognition.engines import load_recognizer
    from voicecare.session.builder import Session
    from voicecare.session.hands_free import HandsFree
    from voicecare.session.io import voice_io
    from voicecare.settings import settings_without_config
    from voicecare.simulation.person import SimulatedPerson
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    settings = settings_without_config(region=args.region, save=False)
    recognizer, note = load_recognizer(args.engine)
    print(f"voicecare: {note}", file=sys.stderr)
    with Pyttsx3Synthesizer() as synthesizer, WavFileSink(args.audio_out) as sink:
        person = SimulatedPerson(synthesizer)
        bus = AudioBus(sink, person.chunks(), monitor=True, realtime=args.realtime)
        events = FanOutSink([PrintingSink(sys.stdout), person])
        io = voice_io(bus, synthesizer, recognizer, settings, events)
        HandsFree(
            Session(io, settings, exercises=True, keep=False), relax_groups=args.groups, diary=False
        ).run()
        minutes = bus.t_s / 60
    print(
        f"voicecare: demo written to {args.audio_out} ({minutes:.1f} minutes of audio, both voices)",
        file=sys.stderr,
    )
    return 0
