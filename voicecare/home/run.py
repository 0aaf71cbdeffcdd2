"""Build and run ``voicecare home`` for a ``Mode``: typed (the wake phrase typed), WAV tapes (a long
recording stands for the room, on the session clock), or the microphone and speaker (one instance per
microphone, devices opened again when they go away, readiness told to systemd)."""

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta

from voicecare.audio.bus import AudioBus
from voicecare.audio.pcm import Chunk
from voicecare.dialogue.event_sinks import EventSink, JsonLinesSink, PrintingSink
from voicecare.home.instance import hold_device
from voicecare.home.loop import HomeLoop
from voicecare.home.room import DeviceRoom
from voicecare.home.service import notify
from voicecare.home.settings import HomeSettings
from voicecare.home.waiting import AudioWaiter, TextWaiter, Waiter
from voicecare.home.woken import HomeVisit
from voicecare.recognition.engines import load_recognizer
from voicecare.recognition.wake import WakeDetector, load_wake_catalogue, open_detector
from voicecare.session.io import Mode, SessionIO, open_io, voice_io
from voicecare.settings import Settings
from voicecare.speech.ports import Synthesizer


@dataclass(frozen=True)
class HomeOptions:
    """``no_wake``: start a conversation at once; ``max_wakes``: stop after that many; ``started``: the
    wall-clock time the session clock starts at (None: now)."""

    no_wake: bool = False
    max_wakes: int | None = None
    started: datetime | None = None
    relax_groups: int = 16


def run_home(mode: Mode, settings: Settings, home: HomeSettings, options: HomeOptions) -> HomeLoop:
    """Run until the input is over (a tape, typed input) or for ever (a microphone); the loop, for its
    record of wakes."""
    with ExitStack() as stack:
        io, waiter = _open(mode, settings, home, stack)
        visit = HomeVisit(
            io, settings, home, options.started or datetime.now(), relax_groups=options.relax_groups
        )
        if not mode.text and mode.audio_in is None and mode.audio_out is None:
            visit.load_recognizer = lambda: load_recognizer(settings.engine, settings.model)[0]
        if io.bus is not None and isinstance(io.bus.sink, DeviceRoom):
            visit.asleep = io.bus.sink.rest_speaker
        visit.warm_up()
        quiet = home.quiet_hours
        told: list[bool] = []

        def on_waiting() -> None:
            if not told:
                told.append(notify("READY=1\nSTATUS=waiting for the wake phrase"))

        def in_quiet_hours(t_s: float) -> bool:
            return quiet is not None and (visit.started + timedelta(seconds=t_s)).time() in quiet

        loop = HomeLoop(
            waiter,
            visit,
            io.events,
            start_awake=options.no_wake,
            on_waiting=on_waiting,
            unmuted=visit.unmuted,
            quiet=in_quiet_hours,
            max_wakes=options.max_wakes,
        )
        loop.run()
        return loop


def _open(mode: Mode, settings: Settings, home: HomeSettings, stack: ExitStack) -> tuple[SessionIO, Waiter]:
    if mode.text:
        io = open_io(mode, settings, stack)
        return io, TextWaiter(home.wake.phrase, sys.stdin, lambda: io.channel.t_s)
    events: EventSink = JsonLinesSink(sys.stdout) if mode.json else PrintingSink(sys.stdout)
    detector = open_detector(home.wake, load_wake_catalogue().refractory_s)
    stack.callback(detector.close)
    if mode.audio_in is not None or mode.audio_out is not None:
        return _tapes(mode, settings, events, detector, stack)
    return _devices(settings, events, detector, stack)


def _synthesizer(settings: Settings, stack: ExitStack) -> Synthesizer:
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    synthesizer = stack.enter_context(Pyttsx3Synthesizer())
    if settings.voice is not None:
        synthesizer.find_voice(settings.voice)
    return synthesizer


def _tapes(
    mode: Mode, settings: Settings, events: EventSink, detector: WakeDetector, stack: ExitStack
) -> tuple[SessionIO, Waiter]:
    from voicecare.audio.ports import AudioSink
    from voicecare.audio.wav_files import WavFileSink, WavFileSource
    from voicecare.errors import VoicecareError
    from voicecare.recognition.engines import load_recognizer

    if mode.audio_in is None:
        raise VoicecareError(
            "voicecare home needs --audio-in with --audio-out", "give the room's WAV with --audio-in"
        )
    source = WavFileSource(mode.audio_in)
    stack.callback(source.close)
    sink: AudioSink
    if mode.audio_out is not None:
        sink = WavFileSink(mode.audio_out)
    else:
        from voicecare.home.room import NullSink

        sink = NullSink()
    stack.callback(sink.close)
    synthesizer = _synthesizer(settings, stack)
    recognizer, note = load_recognizer(settings.engine, settings.model)
    print(f"voicecare: {note}", file=sys.stderr)
    bus = AudioBus(sink, source.chunks(), live_input=True)
    io = voice_io(bus, synthesizer, recognizer, settings, events)
    return io, AudioWaiter(bus, detector, fill_output=mode.audio_out is not None)


def _devices(
    settings: Settings, events: EventSink, detector: WakeDetector, stack: ExitStack
) -> tuple[SessionIO, Waiter]:
    from voicecare.audio.echo_gate import EchoGate
    from voicecare.home.room import DeviceRoom
    from voicecare.recognition.engines import load_recognizer, unload_recognizers

    stack.enter_context(hold_device(settings.input_device))
    room = DeviceRoom(settings.input_device, settings.output_device)
    stack.callback(room.close)
    chunks: Iterator[Chunk] = room.open_microphone()
    synthesizer = _synthesizer(settings, stack)
    _, note = load_recognizer(settings.engine, settings.model)
    print(f"voicecare: {note}; loaded only while awake", file=sys.stderr)
    unload_recognizers()
    bus = AudioBus(room, chunks, live_input=True, echo_gate=EchoGate())
    io = voice_io(bus, synthesizer, None, settings, events)
    waiter = AudioWaiter(bus, detector, reopen=room.open_microphone, close_input=room.close_microphone)
    waiter.pieces, waiter.session_input = room.wake_pieces, room.session_chunks
    return io, waiter
