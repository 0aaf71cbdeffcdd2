"""``voicecare say TEXT``: speak a text on the speaker, or into a WAV file with --audio-out."""

import argparse
import sys
from pathlib import Path
from typing import Any

from voicecare.cli.device_arguments import add_device_argument

EXIT_BAD_INPUT = 2


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("say", help="speak a text aloud, or into a WAV file")
    parser.add_argument("text", metavar="TEXT", help="what to say ('-' reads it from standard input)")
    parser.add_argument(
        "--audio-out", type=Path, metavar="WAV", help="write the speech to this WAV file, not the speaker"
    )
    parser.add_argument("--rate", type=int, metavar="WPM", help="speech rate, words per minute (default 160)")
    parser.add_argument("--volume", type=float, metavar="V", help="speech volume from 0.0 to 1.0")
    parser.add_argument("--voice", metavar="VOICE", help="voice id or name (see 'voicecare voices')")
    add_device_argument(parser, "output")
    parser.add_argument("--config", type=Path, metavar="TOML", help="read settings from this config file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from voicecare.settings import load_settings
    from voicecare.speech.output import speak_to, speak_to_wav
    from voicecare.speech.ports import SpeechSettings
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        print("voicecare: there is nothing to say. Give a text, e.g. voicecare say 'Hello'", file=sys.stderr)
        return EXIT_BAD_INPUT
    settings = load_settings(
        args.config,
        overrides={
            "rate_wpm": args.rate,
            "volume": args.volume,
            "voice": args.voice,
            "output_device": args.output_device,
        },
    )
    speech = SpeechSettings(rate_wpm=settings.rate_wpm, volume=settings.volume, voice=settings.voice)
    with Pyttsx3Synthesizer() as synthesizer:
        if settings.voice is not None:
            synthesizer.find_voice(settings.voice)
        if args.audio_out is not None:
            speak_to_wav(synthesizer, text, speech, args.audio_out)
            return 0
        from voicecare.audio.devices import Speaker

        with Speaker(settings.output_device) as speaker:
            try:
                speak_to(speaker, synthesizer, text, speech)
            except KeyboardInterrupt:
                speaker.stop()
                raise
    return 0
