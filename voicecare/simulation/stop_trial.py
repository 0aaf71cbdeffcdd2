"""Saying "stop" to the exercise player mid-sentence, and where in the room's audio the narration ended.

``real_time_stop`` runs the real player with a ``Microphone`` and ``Speaker`` in the virtual room (see
``virtual_room``); ``simulated_stop`` runs it on a WAV tape, the simulated clock. Both return a
``StopTrial`` read from the audio itself: the end of the word "stop" in what the person said, and the
end of the narration's last sound before the player's "stopping here" line, on one clock.
Used by tests/test_device_speech.py (that it stops) and scripts/bench_session.py (how fast).
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.audio.bus import CHUNK_S, AudioBus
from voicecare.audio.devices import Microphone, Speaker
from voicecare.audio.echo_gate import EchoGate
from voicecare.audio.pcm import CHUNK_BYTES, Chunk, silence, split_chunks
from voicecare.audio.ports import AudioSink
from voicecare.audio.wav_files import WavFileSink, read_wav
from voicecare.dialogue.channels.voice import VoiceChannel
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.exercises.script import ExerciseOptions, Say, Step
from voicecare.exercises.timeline import exercise_steps
from voicecare.narration.player import PlayEnd, Player
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.narration.wording import load_player_wording
from voicecare.recognition.ports import Recognizer
from voicecare.simulation.sink_taps import ForwardingSink
from voicecare.simulation.virtual_room import (
    FRAME_BYTES,
    FRAME_S,
    VirtualRoom,
    last_sound_end_s,
    position_s,
    sound_frames,
)
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.speakable import speakable
from voicecare.understanding.answers import EXERCISE_COMMANDS
from voicecare.understanding.turn_understanding import TurnUnderstanding

SAY_STOP_AFTER_S = 2.0
"""Seconds of narration before "stop" is said: inside the first, long sentence."""
LIMIT_S = 30.0
"""Longest wait for anything in a real-time trial (seconds); the trial ends then whatever happened."""


@dataclass(frozen=True)
class StopTrial:
    """One stop, as heard in the room. Times are seconds on the room's clock (the recording's start)."""

    end: PlayEnd | None
    """How the player ended (None: it had not ended within LIMIT_S)."""
    stopped_at_s: float | None
    """The player's own session time of the stop."""
    stop_end_s: float | None
    """End of the word "stop" in what the person said."""
    silent_from_s: float | None
    """End of the narration's last sound before the "stopping here" line."""
    message_at_s: float | None
    """Start of the "stopping here" line."""
    first_line_whole: bool
    """The first sentence was heard to its end (the stop did not cut it)."""

    @property
    def latency_s(self) -> float | None:
        """From the end of "stop" to the narration's silence (0 if it was already silent)."""
        if self.stop_end_s is None or self.silent_from_s is None:
            return None
        return max(0.0, self.silent_from_s - self.stop_end_s)


@dataclass
class ExercisePieces:
    """What a trial needs, made once: the synthesiser's cache, the recogniser and the exercise's steps."""

    synthesizer: CachedSynthesizer
    recognizer: Recognizer
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    understanding: SignAwareUnderstanding = field(
        default_factory=lambda: SignAwareUnderstanding(
            TurnUnderstanding(extra_commands=EXERCISE_COMMANDS), load_warning_signs()
        )
    )
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.steps:
            estimate = self.synthesizer.estimator(self.speech)
            self.steps = exercise_steps("relaxation", ExerciseOptions(groups=4), estimate)

    def player(self, bus: AudioBus) -> Player:
        channel = VoiceChannel(bus, self.synthesizer, self.recognizer)
        conversation = Conversation(channel, RecordingSink(), self.understanding, speech=self.speech)
        return Player(conversation, self.understanding)

    def pcm(self, text: str) -> bytes:
        return self.synthesizer.pcm(speakable(text), self.speech)

    def first_line(self) -> bytes:
        first = self.steps[0]
        if not isinstance(first, Say):
            raise ValueError("the exercise does not open with a spoken line")
        return self.pcm(first.text)

    def stopped_line(self) -> bytes:
        return self.pcm(load_player_wording()["stopped"])


class CountingSink(ForwardingSink):
    """Passes audio on to ``inner``; ``reached`` is set once ``chunks`` chunks have been written."""

    def __init__(self, inner: AudioSink, chunks: int) -> None:
        super().__init__(inner)
        self.chunks = chunks
        self.written = 0
        self.reached = threading.Event()

    def write(self, chunk: Chunk) -> None:
        super().write(chunk)
        self.written += 1
        if self.written >= self.chunks:
            self.reached.set()


def line_start_s(recording: bytes, line: bytes) -> float | None:
    """Where ``line`` (its first sounding frame) starts in ``recording``, in seconds, or None.

    Found by the first of its sounding chunks that is in the recording sample for sample: the speaker can
    underrun as the narration is cut off, which glitches the start of the line that follows.
    """
    sounding = sound_frames(line)
    lead = sounding[0] * FRAME_BYTES if sounding else 0
    for start in range(lead, len(line) - CHUNK_BYTES + 1, CHUNK_BYTES):
        found = position_s(recording, line[start : start + CHUNK_BYTES])
        if found is not None:
            return found - (start - lead) * FRAME_S / FRAME_BYTES
    return None


def read_trial(
    speaker: bytes, person: bytes, pieces: ExercisePieces, end: PlayEnd | None, stopped_at_s: float | None
) -> StopTrial:
    """The trial's figures from the two aligned recordings."""
    message_at_s = line_start_s(speaker, pieces.stopped_line())
    return StopTrial(
        end=end,
        stopped_at_s=stopped_at_s,
        stop_end_s=last_sound_end_s(person),
        silent_from_s=None if message_at_s is None else last_sound_end_s(speaker, before_s=message_at_s),
        message_at_s=message_at_s,
        first_line_whole=position_s(speaker, pieces.first_line()) is not None,
    )


def real_time_stop(room: VirtualRoom, pieces: ExercisePieces, stop: bytes) -> StopTrial:
    """Play the exercise through the room's microphone and speaker; say ``stop`` after SAY_STOP_AFTER_S."""
    outcome: dict[str, PlayEnd | BaseException] = {}
    with room.record() as recording, Microphone(room.device) as microphone, Speaker(room.device) as speaker:
        sink = CountingSink(speaker, round(SAY_STOP_AFTER_S / CHUNK_S))
        bus = AudioBus(sink, microphone.chunks(), live_input=True, echo_gate=EchoGate())
        player = pieces.player(bus)

        def play() -> None:
            try:
                outcome["end"] = player.run(pieces.steps)
            except BaseException as error:
                outcome["error"] = error

        thread = threading.Thread(target=play, daemon=True)
        thread.start()
        if sink.reached.wait(LIMIT_S):
            room.say(stop).wait(timeout=LIMIT_S)
        thread.join(LIMIT_S)
        if thread.is_alive():
            microphone.close()
            thread.join(LIMIT_S)
            speaker.stop()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    end = outcome.get("end")
    return read_trial(
        recording.speaker,
        recording.person,
        pieces,
        end if isinstance(end, PlayEnd) else None,
        player.stopped_at_s,
    )


def simulated_stop(folder: Path, pieces: ExercisePieces, stop: bytes) -> StopTrial:
    """The same on the simulated clock: a tape with ``stop`` after SAY_STOP_AFTER_S, output to a WAV."""
    tape = silence(SAY_STOP_AFTER_S) + stop + silence(LIMIT_S)
    out = folder / "simulated_stop.wav"
    with WavFileSink(out) as sink:
        bus = AudioBus(sink, iter(split_chunks(tape)), live_input=True, echo_gate=EchoGate())
        player = pieces.player(bus)
        end = player.run(pieces.steps)
    return read_trial(read_wav(out), tape, pieces, end, player.stopped_at_s)
