"""A virtual room on the private PulseAudio server: one stereo recording holds both voices, aligned.

The room is a stereo null sink, ``ROOM_SINK``. Two mono remap sinks feed its channels: ``ROOM_SPEAKER``
(the default sink while a room is in use, so voicecare's ``Speaker`` plays into it) is the left channel,
``ROOM_VOICE`` (where ``say`` plays the person's words) is the right channel. The microphone
(``ROOM_MIC``, the default source) is a remap of the room's right channel, so it hears the person and not
voicecare's own speech. Both channels are mixed into the room at the same moment, so ``record`` gives the
room's timeline: where the person's word ends and where voicecare falls silent, on one clock.
"""

import contextlib
import subprocess
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.simulation.virtual_audio import DEVICE, RAW_FORMAT, PulseServer, pulse_environment

ROOM_SINK = "vc_room"
ROOM_SPEAKER = "vc_room_speaker"
ROOM_VOICE = "vc_room_voice"
ROOM_MIC = "vc_room_mic"
FRAME_S = 0.010
FRAME_BYTES = int(SAMPLE_RATE * FRAME_S) * SAMPLE_WIDTH
QUIET_RMS = 100
"""RMS (16-bit units, about -50 dBFS) at or below which a 10 ms frame counts as silence."""
RECORDER_START_TIMEOUT_S = 10.0


def add_room(server: PulseServer) -> None:
    """Load the room's sinks and source into ``server`` (once; a second call finds them there)."""
    if ROOM_SINK in server.pactl("list", "short", "sinks").split():
        return
    mono = ["channels=1", "channel_map=mono", "remix=no"]
    server.pactl(
        "load-module",
        "module-null-sink",
        f"sink_name={ROOM_SINK}",
        f"rate={SAMPLE_RATE}",
        "channels=2",
        "format=s16le",
        "norewinds=1",
        "channel_map=front-left,front-right",
    )
    for name, channel in ((ROOM_SPEAKER, "front-left"), (ROOM_VOICE, "front-right")):
        server.pactl(
            "load-module",
            "module-remap-sink",
            f"sink_name={name}",
            f"master={ROOM_SINK}",
            f"master_channel_map={channel}",
            *mono,
        )
    server.pactl(
        "load-module",
        "module-remap-source",
        f"source_name={ROOM_MIC}",
        f"master={ROOM_SINK}.monitor",
        "master_channel_map=front-right",
        *mono,
    )


@dataclass
class RoomRecording:
    """The room as recorded: ``speaker`` (left) and ``person`` (right), 16 kHz mono int16 each, aligned.
    ``path``: the raw stereo file being written while recording (to follow the room as it goes)."""

    speaker: bytes = b""
    person: bytes = b""
    path: Path | None = None


@dataclass(frozen=True)
class VirtualRoom:
    """The room's devices; ``device`` is what to open ``Microphone``/``Speaker`` on."""

    server: PulseServer
    device: str = DEVICE
    folder: Path = field(default=Path("."))

    def say(self, pcm: bytes) -> "subprocess.Popen[bytes]":
        """Start playing the person's ``pcm`` into the room; returns the player process."""
        feed = self.folder / f"say-{time.monotonic_ns()}.raw"
        feed.write_bytes(pcm)
        with feed.open("rb") as stdin:
            return subprocess.Popen(
                ["pacat", "--playback", "--latency-msec=20", f"--device={ROOM_VOICE}", *RAW_FORMAT],
                env=self.server.env,
                stdin=stdin,
            )

    @contextlib.contextmanager
    def record(self) -> Iterator[RoomRecording]:
        """Record the room from when the recorder has started (returns then) until the block ends."""
        raw = self.folder / f"room-{time.monotonic_ns()}.raw"
        recording = RoomRecording(path=raw)
        with raw.open("wb") as output:
            recorder = subprocess.Popen(
                [
                    "parecord",
                    "--raw",
                    "--latency-msec=20",
                    f"--device={ROOM_SINK}.monitor",
                    "--rate",
                    str(SAMPLE_RATE),
                    "--channels",
                    "2",
                    "--format",
                    "s16le",
                ],
                env=self.server.env,
                stdout=output,
            )
        try:
            _wait_for_bytes(raw, recorder)
            yield recording
        finally:
            recorder.terminate()
            recorder.wait(timeout=10)
        samples = array("h", raw.read_bytes()[: raw.stat().st_size // 4 * 4])
        recording.speaker = samples[0::2].tobytes()
        recording.person = samples[1::2].tobytes()


def _wait_for_bytes(raw: Path, recorder: "subprocess.Popen[bytes]") -> None:
    """Return once the recorder has written audio (it is running), or raise if it never does."""
    deadline = time.monotonic() + RECORDER_START_TIMEOUT_S
    while raw.stat().st_size == 0:
        if recorder.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"parecord did not start recording {ROOM_SINK}.monitor")
        time.sleep(0.02)


@contextlib.contextmanager
def room_in_use(server: PulseServer, folder: Path) -> Iterator[VirtualRoom]:
    """Make the room the default sink and source, and point this process's PortAudio at the server."""
    add_room(server)
    server.pactl("set-default-sink", ROOM_SPEAKER)
    server.pactl("set-default-source", ROOM_MIC)
    with pulse_environment(server.address):
        yield VirtualRoom(server, folder=folder)


def sound_frames(pcm: bytes) -> list[int]:
    """Indexes of the 10 ms frames of ``pcm`` louder than QUIET_RMS."""
    return [
        i // FRAME_BYTES
        for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)
        if audioop.rms(pcm[i : i + FRAME_BYTES], SAMPLE_WIDTH) > QUIET_RMS
    ]


def last_sound_end_s(pcm: bytes, before_s: float | None = None) -> float | None:
    """Seconds from the start of ``pcm`` to the end of its last sounding frame (before ``before_s``)."""
    limit = len(pcm) if before_s is None else int(before_s / FRAME_S) * FRAME_BYTES
    frames = sound_frames(pcm[:limit])
    return (frames[-1] + 1) * FRAME_S if frames else None


def position_s(recording: bytes, pcm: bytes) -> float | None:
    """Where ``pcm`` first appears sample for sample in ``recording`` (seconds), or None."""
    at = recording.find(pcm)
    while at >= 0 and at % SAMPLE_WIDTH:
        at = recording.find(pcm, at + 1)
    return at / (SAMPLE_RATE * SAMPLE_WIDTH) if at >= 0 else None
