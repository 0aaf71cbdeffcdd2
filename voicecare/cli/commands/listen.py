"""``voicecare listen``: recognise each utterance from the microphone or a WAV, under a phrase list."""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from voicecare.audio.endpointing import EndpointSettings
from voicecare.cli.device_arguments import add_device_argument
from voicecare.errors import EngineError
from voicecare.recognition.listening import listen_all
from voicecare.recognition.ports import Heard

DEFAULT_PHRASES = "yes,no,not sure,help,repeat,stop,pause,resume,slower,faster"


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("listen", help="print each utterance heard, in order")
    parser.add_argument(
        "--audio-in", type=Path, metavar="WAV", help="read this WAV instead of the microphone"
    )
    parser.add_argument(
        "--phrases",
        default=DEFAULT_PHRASES,
        help=f"comma-separated phrases to listen for (default: {DEFAULT_PHRASES})",
    )
    parser.add_argument("--engine", default="auto", help="auto, vosk or pocketsphinx (default: auto)")
    parser.add_argument("--model", type=Path, metavar="PATH", help="Vosk model folder")
    add_device_argument(parser, "input")
    parser.add_argument(
        "--json", action="store_true", help="one JSON object a line on stdout, one per utterance"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from voicecare.audio.devices import Microphone
    from voicecare.audio.ports import AudioSource
    from voicecare.audio.wav_files import WavFileSource
    from voicecare.recognition.engines import load_recognizer

    phrases = [p.strip().lower() for p in args.phrases.split(",") if p.strip()]
    if not phrases:
        raise EngineError("--phrases is empty", "give at least one phrase, e.g. --phrases 'yes,no'")
    source: AudioSource = WavFileSource(args.audio_in) if args.audio_in else Microphone(args.input_device)
    recognizer, note = load_recognizer(args.engine, args.model)
    print(f"voicecare: {note}", file=sys.stderr)
    if not args.audio_in:
        print("voicecare: listening; press Ctrl-C to stop", file=sys.stderr)
    try:
        for heard in listen_all(recognizer, source.chunks(), phrases, EndpointSettings()):
            print(_as_json(heard) if args.json else _as_text(heard), flush=True)
    finally:
        source.close()
    return 0


def _as_json(heard: Heard) -> str:
    return json.dumps(
        {
            "text": heard.text,
            "confidence": round(heard.confidence, 3),
            "rejected": heard.rejected,
            "start_s": round(heard.start_s, 2),
            "end_s": round(heard.end_s, 2),
        },
        ensure_ascii=False,
    )


def _as_text(heard: Heard) -> str:
    times = f"{heard.start_s:6.2f}-{heard.end_s:6.2f} s"
    if heard.rejected or not heard.text:
        return f"{times}  (not understood)"
    return f"{times}  {heard.text}  (confidence {heard.confidence:.2f})"
