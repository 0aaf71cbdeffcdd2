"""``voicecare voices``: list the voices voicecare can speak with (the ids ``--voice`` takes)."""

import argparse
from typing import Any


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("voices", help="list the speech voices (id, languages, name)")
    parser.add_argument(
        "--language", metavar="LANG", help="only voices for this language, e.g. 'en' or 'en-us'"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from voicecare.errors import VoiceNotFound
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    with Pyttsx3Synthesizer() as synthesizer:
        voices = synthesizer.voices()
    if args.language:
        wanted = args.language.strip().lower()
        voices = [
            voice
            for voice in voices
            if any(
                language.lower() == wanted or language.lower().startswith(wanted + "-")
                for language in voice.languages
            )
        ]
        if not voices:
            raise VoiceNotFound(
                f"no voice speaks '{args.language}'", "run 'voicecare voices' to list every voice"
            )
    id_width = max((len(voice.id) for voice in voices), default=2)
    language_width = max((len(",".join(voice.languages)) for voice in voices), default=8)
    print(f"{'id':<{id_width}}  {'language':<{language_width}}  name")
    for voice in voices:
        print(f"{voice.id:<{id_width}}  {','.join(voice.languages):<{language_width}}  {voice.name}")
    print("Choose one with --voice ID (or its name), e.g. voicecare say --voice gmw/en-us 'Hello'.")
    return 0
