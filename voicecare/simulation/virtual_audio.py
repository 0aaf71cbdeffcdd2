"""A real PulseAudio server with two virtual devices: sounddevice opens real streams with no sound card.

The daemon runs in user mode on a private socket in a temporary folder (``PULSE_SERVER=unix:<dir>/native``),
with two null sinks at 16 kHz mono (no resampling, so audio passes through sample for sample):

- ``SPEAKER_SINK`` (``vc_sink``), the default sink: whatever a ``Speaker`` plays lands here, and can be
  heard back on its monitor source ``SPEAKER_MONITOR`` (``vc_sink.monitor``).
- ``MIC_SINK`` (``vc_mic``): play audio into it with ``feed_microphone``; its monitor ``MIC_SOURCE``
  (``vc_mic.monitor``) is the default source, so a ``Microphone`` records it.

PortAudio reaches PulseAudio through ALSA's ``pulse`` plugin (libasound2-plugins), which appears as the
devices ``pulse`` and ``default`` once ``PULSE_SERVER`` is set and PortAudio rescans (``refresh_devices``).
Use the fixture ``virtual_audio``; ``no_sound_devices`` gives the opposite, the machine with nothing.
``record_until_heard`` and ``record_one_sound`` read a ``Microphone`` until an event in the audio, not a time.
The null sinks use ``norewinds=1``: with rewinds, a monitor hands out silence rendered ahead of time and
never the audio that replaced it.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from voicecare.audio.compat import audioop
from voicecare.audio.devices import Microphone, refresh_devices
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH

DEVICE = "pulse"
"""PortAudio name of the device to open for both ``Speaker`` and ``Microphone``."""
SPEAKER_SINK = "vc_sink"
SPEAKER_MONITOR = "vc_sink.monitor"
MIC_SINK = "vc_mic"
MIC_SOURCE = "vc_mic.monitor"
RAW_FORMAT = ["--rate", str(SAMPLE_RATE), "--channels", "1", "--format", "s16le"]
STARTUP_TIMEOUT_S = 15.0
LOUD_RMS = 1000
"""RMS (16-bit units) above which a chunk counts as sound rather than silence."""


def die_with_parent() -> None:
    """Runs in the child before exec: the daemon gets SIGTERM if pytest dies without tearing down."""
    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@dataclass(frozen=True)
class PulseServer:
    """A running private PulseAudio daemon: ``env`` is the environment that reaches it."""

    process: subprocess.Popen[bytes]
    folder: Path
    env: dict[str, str]

    @property
    def address(self) -> str:
        return self.env["PULSE_SERVER"]

    def pactl(self, *args: str) -> str:
        done = subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def log(self) -> str:
        return (self.folder / "pulseaudio.log").read_text(errors="replace")[-3000:]


def start_pulse(folder: Path) -> PulseServer:
    """Start the daemon with its modules and wait until it answers; RuntimeError with its log if not."""
    socket = folder / "native"
    env = {
        **os.environ,
        "HOME": str(folder),
        "XDG_RUNTIME_DIR": str(folder),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "PULSE_RUNTIME_PATH": str(folder / "runtime"),
        "PULSE_STATE_PATH": str(folder / "state"),
        "PULSE_SERVER": f"unix:{socket}",
    }
    sink_options = f"rate={SAMPLE_RATE} channels=1 format=s16le norewinds=1"
    command = [
        "pulseaudio",
        "--daemonize=no",
        "--system=false",
        "--exit-idle-time=-1",
        "--use-pid-file=false",
        "-n",
        f"--load=module-native-protocol-unix auth-anonymous=1 socket={socket}",
        f"--load=module-null-sink sink_name={SPEAKER_SINK} {sink_options}",
        f"--load=module-null-sink sink_name={MIC_SINK} {sink_options}",
        "--load=module-always-sink",
        "--log-target=stderr",
    ]
    log = (folder / "pulseaudio.log").open("wb")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent
    )
    server = PulseServer(process, folder, env)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pulseaudio exited with {process.returncode}:\n{server.log()}")
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            server.pactl("info")
            server.pactl("set-default-sink", SPEAKER_SINK)
            server.pactl("set-default-source", MIC_SOURCE)
            return server
        time.sleep(0.1)
    stop_pulse(server)
    raise RuntimeError(f"pulseaudio did not answer within {STARTUP_TIMEOUT_S} s:\n{server.log()}")


def stop_pulse(server: PulseServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


@dataclass(frozen=True)
class VirtualAudio:
    """The virtual devices, with helpers that play into and record from them outside voicecare."""

    server: PulseServer
    device: str = DEVICE
    speaker_sink: str = SPEAKER_SINK
    speaker_monitor: str = SPEAKER_MONITOR
    mic_sink: str = MIC_SINK
    mic_source: str = MIC_SOURCE

    @property
    def env(self) -> dict[str, str]:
        """Environment for a subprocess (e.g. the ``voicecare`` CLI) to use these devices."""
        return self.server.env

    def feed_microphone(self, pcm: bytes) -> "subprocess.Popen[bytes]":
        """Start playing 16 kHz mono int16 ``pcm`` into the virtual microphone; returns the player process."""
        feed = self.server.folder / f"feed-{time.monotonic_ns()}.raw"
        feed.write_bytes(pcm)
        with feed.open("rb") as stdin:
            return subprocess.Popen(
                ["pacat", "--playback", "--latency-msec=20", f"--device={self.mic_sink}", *RAW_FORMAT],
                env=self.env,
                stdin=stdin,
            )

    def use_source(self, source: str) -> None:
        """Make ``source`` the one a ``Microphone`` on ``device`` records (e.g. ``speaker_monitor``)."""
        self.server.pactl("set-default-source", source)


def record_until_heard(microphone: Microphone, sound: bytes, limit_s: float = 10.0) -> bytes:
    """Audio from ``microphone`` until it holds ``sound`` exactly, or ``limit_s`` of audio has come."""
    recording = b""
    for chunk in microphone.chunks():
        recording += chunk
        if recording.find(sound) >= 0 or len(recording) >= limit_s * SAMPLE_RATE * SAMPLE_WIDTH:
            break
    return recording


def record_one_sound(microphone: Microphone, limit_s: float = 10.0) -> bytes:
    """Audio from ``microphone`` until a loud stretch has come and been followed by 0.5 s of quiet."""
    recording = b""
    heard_sound = False
    quiet_chunks = 0
    for chunk in microphone.chunks():
        recording += chunk
        loud = audioop.rms(chunk, SAMPLE_WIDTH) > LOUD_RMS
        heard_sound = heard_sound or loud
        quiet_chunks = 0 if loud else quiet_chunks + 1
        if (heard_sound and quiet_chunks == 5) or len(recording) >= limit_s * SAMPLE_RATE * SAMPLE_WIDTH:
            break
    return recording


@contextlib.contextmanager
def pulse_environment(address: str | None) -> Iterator[None]:
    """Point this process's PortAudio at ``address`` (None: at no server), then put everything back."""
    saved = os.environ.get("PULSE_SERVER")
    if address is None:
        os.environ.pop("PULSE_SERVER", None)
    else:
        os.environ["PULSE_SERVER"] = address
    refresh_devices()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PULSE_SERVER", None)
        else:
            os.environ["PULSE_SERVER"] = saved
        refresh_devices()
