"""How a session talks: typed text, WAV tapes, or the microphone and speaker, and where its events go.

``Mode`` is what the command line asked for; ``open_io`` opens the channel for it on the audio bus or on
the terminal. Everything opened is closed by the ``ExitStack`` it is given.
"""

import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from voicecare.audio.bus import AudioBus
from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.event_sinks import EventSink, JsonLinesSink, NullSink, PrintingSink
from voicecare.dialogue.port import Channel
from voicecare.errors import VoicecareError
from voicecare.exercises.timeline import words_estimator
from voicecare.recognition.ports import Recognizer
from voicecare.settings import Settings
from voicecare.speech.ports import SpeechSettings, Synthesizer


@dataclass(frozen=True)
class Mode:
    """How to talk: ``text`` (typed), ``json`` (stdout carries only events), ``audio_in``/``audio_out``
    (WAV tapes for the microphone and speaker; neither: the real devices). ``render_only``: with
    ``audio_out`` and no ``audio_in``, nothing is listened to and an exercise is rendered to the WAV."""

    text: bool = False
    json: bool = False
    audio_in: Path | None = None
    audio_out: Path | None = None
    along_the_clock: bool = False
    """An exercise: ``audio_out`` alone renders it without listening."""

    @property
    def render_only(self) -> bool:
        return self.along_the_clock and self.audio_out is not None and self.audio_in is None


@dataclass
class SessionIO:
    """What a session talks through: the channel, the event sink, and where notes go."""

    channel: Channel
    events: EventSink
    settings: Settings
    notes: TextIO
    """Where messages that are neither questions nor events go (stderr under ``--json``)."""
    bus: AudioBus | None = None
    """The audio bus the voice channel speaks on (None in text mode)."""
    synthesizer: Synthesizer | None = None
    recognizer: Recognizer | None = None
    """None in text mode, and when an exercise is only rendered to ``--audio-out``."""

    @property
    def speech(self) -> SpeechSettings:
        return SpeechSettings(self.settings.rate_wpm, self.settings.volume, self.settings.voice)


def open_io(mode: Mode, settings: Settings, stack: ExitStack) -> SessionIO:
    """Open the channel ``mode`` asks for; ``stack`` closes what was opened (WAV files finished)."""
    if mode.text and (mode.audio_in is not None or mode.audio_out is not None):
        raise VoicecareError(
            "--text cannot be used with --audio-in or --audio-out",
            "Choose one: --text to type, or --audio-in/--audio-out for WAV tapes",
        )
    if mode.text:
        events: EventSink = JsonLinesSink(sys.stdout) if mode.json else NullSink()
        channel = text_channel(sys.stdin, sys.stderr if mode.json else sys.stdout, settings)
        return SessionIO(channel, events, settings, sys.stderr)
    events = JsonLinesSink(sys.stdout) if mode.json else PrintingSink(sys.stdout)
    return _voice_io(mode, settings, stack, events)


def text_channel(input: TextIO, output: TextIO, settings: Settings) -> TextChannel:
    """The typed channel: narration paced in real time only on a terminal."""
    rate = settings.rate_wpm
    return TextChannel(
        input,
        output,
        estimate=words_estimator(rate),
        base_rate_wpm=rate,
        narration_input=input if _is_terminal(input) else None,
    )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def _voice_io(mode: Mode, settings: Settings, stack: ExitStack, events: EventSink) -> SessionIO:
    from voicecare.audio.devices import Microphone, Speaker
    from voicecare.audio.echo_gate import EchoGate
    from voicecare.audio.ports import AudioSink, AudioSource
    from voicecare.audio.wav_files import WavFileSink, WavFileSource
    from voicecare.recognition.engines import load_recognizer
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    synthesizer = stack.enter_context(Pyttsx3Synthesizer())
    if settings.voice is not None:
        synthesizer.find_voice(settings.voice)
    source: AudioSource | None = None
    recognizer: Recognizer | None = None
    if not mode.render_only:
        source = WavFileSource(mode.audio_in) if mode.audio_in else Microphone(settings.input_device)
        stack.callback(source.close)
        recognizer, note = load_recognizer(settings.engine, settings.model)
        print(f"voicecare: {note}", file=sys.stderr)
    sink: AudioSink = WavFileSink(mode.audio_out) if mode.audio_out else Speaker(settings.output_device)
    stack.callback(sink.close)
    chunks = source.chunks() if source is not None else None
    microphone = mode.audio_in is None
    gate = EchoGate() if microphone else None
    bus = AudioBus(sink, chunks, live_input=microphone, echo_gate=gate)
    return voice_io(bus, synthesizer, recognizer, settings, events)


def voice_io(
    bus: AudioBus,
    synthesizer: Synthesizer,
    recognizer: Recognizer | None,
    settings: Settings,
    events: EventSink,
) -> SessionIO:
    """The voice channel on ``bus``, with the settings' no-answer timeout and listening tone."""
    from voicecare.audio.endpointing import EndpointSettings
    from voicecare.dialogue.channels.voice import VoiceChannel
    from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm

    tone = earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=settings.earcons))
    endpoint = EndpointSettings(no_speech_timeout_s=settings.no_input_timeout_s)
    channel = VoiceChannel(bus, synthesizer, recognizer, endpoint, listening_tone=tone)
    return SessionIO(channel, events, settings, sys.stderr, bus, synthesizer, recognizer)
