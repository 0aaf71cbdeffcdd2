"""The options every dialogue command shares, and the channel and event sink they choose.

``--text`` reads typed replies; ``--audio-in``/``--audio-out`` stand for the microphone and speaker;
with neither, the real microphone and speaker are used. ``--json`` puts only JSON events on stdout.
"""

import argparse
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from voicecare.audio.bus import AudioBus
from voicecare.audio.echo_gate import EchoGate
from voicecare.dialogue.channels.port import Channel
from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.event_sinks import EventSink, JsonLinesSink, NullSink, PrintingSink
from voicecare.errors import VoicecareError
from voicecare.recognition.ports import Recognizer
from voicecare.settings import REGIONS, Settings, load_settings
from voicecare.speech.ports import SpeechSettings, Synthesizer


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
        },
    )


@dataclass
class SessionIO:
    """What a dialogue command talks through: the channel, the event sink, and where notes go."""

    channel: Channel
    events: EventSink
    settings: Settings
    notes: TextIO
    """Where messages that are neither questions nor events go (stderr under ``--json``)."""
    bus: AudioBus | None = None
    """The audio bus the voice channel speaks on (None in text mode): exercises narrate on it too."""
    synthesizer: Synthesizer | None = None
    recognizer: Recognizer | None = None
    """None in text mode, and when an exercise is only rendered to ``--audio-out``."""

    @property
    def speech(self) -> SpeechSettings:
        return SpeechSettings(self.settings.rate_wpm, self.settings.volume, self.settings.voice)


@contextmanager
def open_session_io(
    args: argparse.Namespace, settings: Settings, listen_throughout: bool = False
) -> Iterator[SessionIO]:
    """Open the channel the arguments ask for; everything opened is closed (files finished) on exit.

    ``listen_throughout`` (exercises): the input is read on every chunk, so an ``--audio-in`` tape runs
    along the narration; with ``--audio-out`` and no ``--audio-in`` nothing is listened to (no microphone,
    no recogniser) and the session is rendered to the WAV as fast as the machine allows.
    """
    if args.text and (args.audio_in is not None or args.audio_out is not None):
        raise VoicecareError(
            "--text cannot be used with --audio-in or --audio-out",
            "Choose one: --text to type, or --audio-in/--audio-out for WAV tapes",
        )
    text_out = sys.stderr if args.json else sys.stdout
    if args.text:
        events: EventSink = JsonLinesSink(sys.stdout) if args.json else NullSink()
        yield SessionIO(TextChannel(sys.stdin, text_out), events, settings, sys.stderr)
        return
    events = JsonLinesSink(sys.stdout) if args.json else PrintingSink(sys.stdout)
    with ExitStack() as stack:
        yield _voice_io(args, settings, stack, listen_throughout, events)


def _voice_io(
    args: argparse.Namespace, settings: Settings, stack: ExitStack, listen_throughout: bool, events: EventSink
) -> SessionIO:
    from voicecare.audio.devices import Microphone, Speaker
    from voicecare.audio.endpointing import EndpointSettings
    from voicecare.audio.ports import AudioSink, AudioSource
    from voicecare.audio.wav_files import WavFileSink, WavFileSource
    from voicecare.dialogue.channels.voice import VoiceChannel
    from voicecare.recognition.engines import load_recognizer
    from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    synthesizer = stack.enter_context(Pyttsx3Synthesizer())
    if settings.voice is not None:
        synthesizer.find_voice(settings.voice)
    render_only = listen_throughout and args.audio_out is not None and args.audio_in is None
    source: AudioSource | None = None
    recognizer: Recognizer | None = None
    if not render_only:
        source = WavFileSource(args.audio_in) if args.audio_in else Microphone(settings.input_device)
        stack.callback(source.close)
        recognizer, note = load_recognizer(settings.engine, settings.model)
        print(f"voicecare: {note}", file=sys.stderr)
    sink: AudioSink = WavFileSink(args.audio_out) if args.audio_out else Speaker(settings.output_device)
    stack.callback(sink.close)
    tone = earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=settings.earcons))
    chunks = source.chunks() if source is not None else None
    microphone = args.audio_in is None
    gate = EchoGate() if microphone else None
    bus = AudioBus(sink, chunks, live_input=listen_throughout or microphone, echo_gate=gate)
    endpoint = EndpointSettings(no_speech_timeout_s=settings.no_input_timeout_s)
    channel = VoiceChannel(bus, synthesizer, recognizer, endpoint, listening_tone=tone)
    return SessionIO(channel, events, settings, sys.stderr, bus, synthesizer, recognizer)
