"""The hardware edge: microphones and speakers through sounddevice (PortAudio), the only module importing it.

sounddevice is imported inside functions, so voicecare imports (and runs on files or text) without it.
Stream callbacks run on PortAudio's thread and only copy bytes to or from a buffer, as in vosk-api's
``test_microphone.py``; everything else happens on the caller's thread.
"""

import contextlib
import queue
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import CHUNK_BYTES, CHUNK_MS, CHUNK_SAMPLES, SAMPLE_RATE, SAMPLE_WIDTH, Chunk
from voicecare.audio.resample import PcmConverter, PcmLayout
from voicecare.errors import AudioDeviceError

DeviceKind = Literal["input", "output"]

NO_DEVICES_FIX = "connect a microphone/speaker, or use --audio-in/--audio-out FILE.wav, or --text"
SEE_DEVICES = "run 'voicecare devices' to see the sound devices"

SILENT_DEVICE_S = 5.0
"""A microphone that delivers nothing for this long, in seconds, has stopped (unplugged or failed)."""
SPEAKER_BLOCK_MS = 20
"""Playback block, in milliseconds: ``Speaker.stop`` takes effect at the next block boundary."""


def sounddevice() -> ModuleType:
    """The sounddevice module, or AudioDeviceError saying what to install."""
    try:
        import sounddevice as sd
    except ImportError:
        raise AudioDeviceError(
            "the sounddevice package is not installed", "run 'pip install sounddevice' (or scripts/setup)"
        ) from None
    except OSError:
        raise AudioDeviceError(
            "the PortAudio library is missing", "install it: apt-get install libportaudio2"
        ) from None
    module: ModuleType = sd
    return module


def refresh_devices() -> None:
    """Scan for sound devices again: PortAudio lists them once, when it starts. Call with no stream open."""
    sd = sounddevice()
    sd._terminate()
    sd._initialize()


@dataclass(frozen=True)
class DeviceInfo:
    """One sound device as PortAudio sees it; ``default_rate_hz`` is its preferred sample rate."""

    index: int
    name: str
    input_channels: int
    output_channels: int
    default_rate_hz: float
    host_api: str

    def channels(self, kind: DeviceKind) -> int:
        """Channels this device offers for ``kind`` (0 if it is not that kind of device)."""
        return self.input_channels if kind == "input" else self.output_channels


def list_devices() -> list[DeviceInfo]:
    """Every sound device; AudioDeviceError if there are none."""
    sd = sounddevice()
    apis = [str(api["name"]) for api in sd.query_hostapis()]
    devices = [
        DeviceInfo(
            index=int(info["index"]),
            name=str(info["name"]),
            input_channels=int(info["max_input_channels"]),
            output_channels=int(info["max_output_channels"]),
            default_rate_hz=float(info["default_samplerate"]),
            host_api=apis[int(info["hostapi"])],
        )
        for info in sd.query_devices()
    ]
    if not devices:
        raise AudioDeviceError("no sound devices found", NO_DEVICES_FIX)
    return devices


def default_device(kind: DeviceKind) -> int | None:
    """PortAudio's default device index for ``kind``, or None if it has none."""
    sd = sounddevice()
    index = int(sd.default.device[0 if kind == "input" else 1])
    return index if index >= 0 else None


def find_device(spec: str | int | None, kind: DeviceKind) -> int | None:
    """The device index for ``spec``: an index, or a case-insensitive part of a name.

    ``None`` means the system default, returned as None when PortAudio has one (it opens that itself),
    else the first device of ``kind``. AudioDeviceError when nothing matches.
    """
    devices = [device for device in list_devices() if device.channels(kind) > 0]
    if not devices:
        raise AudioDeviceError(f"no sound {kind} device found", NO_DEVICES_FIX)
    if spec is None:
        return None if default_device(kind) is not None else devices[0].index
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        if any(device.index == index for device in devices):
            return index
        raise AudioDeviceError(f"there is no {kind} device number {index}", SEE_DEVICES)
    wanted = spec.strip().lower()
    exact = [device for device in devices if device.name.lower() == wanted]
    matches = exact or [device for device in devices if wanted in device.name.lower()]
    if len(matches) == 1:
        return matches[0].index
    if not matches:
        raise AudioDeviceError(f"no {kind} device is called '{spec}'", SEE_DEVICES)
    names = ", ".join(f"{device.index}: {device.name}" for device in matches)
    raise AudioDeviceError(
        f"'{spec}' fits several {kind} devices ({names})", "give the device number instead"
    )


@dataclass(frozen=True)
class StreamFormat:
    """What a stream is opened with: frames per second and interleaved int16 channels."""

    rate_hz: int
    channels: int

    @property
    def bytes_per_s(self) -> int:
        return self.rate_hz * self.channels * SAMPLE_WIDTH


def accepts(sd: ModuleType, device: int | None, kind: DeviceKind, wanted: StreamFormat) -> bool:
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    try:
        check(device=device, channels=wanted.channels, dtype="int16", samplerate=wanted.rate_hz)
    except Exception:
        return False
    return True


def choose_format(
    sd: ModuleType, device: int | None, kind: DeviceKind, rate_hz: int | None, channels: int | None
) -> StreamFormat:
    """The first the device accepts of: 16 kHz mono, 16 kHz stereo, its own rate mono, its own rate stereo.

    ``rate_hz`` or ``channels``, when given, fix that part. Anything else than 16 kHz mono is converted.
    """
    own_rate = int(sd.query_devices(device, kind)["default_samplerate"])
    rates = [rate_hz] if rate_hz else [SAMPLE_RATE, own_rate]
    counts = [channels] if channels else [1, 2]
    candidates = [StreamFormat(rate, count) for rate in rates for count in counts]
    return next((wanted for wanted in candidates if accepts(sd, device, kind, wanted)), candidates[0])


def duplicate_channels(mono: bytes, channels: int) -> bytes:
    """Mono int16 to ``channels`` interleaved channels, each a copy."""
    if channels == 2:
        stereo: bytes = audioop.tostereo(mono, SAMPLE_WIDTH, 1.0, 1.0)
        return stereo
    samples = array("h", mono)
    return array("h", (sample for sample in samples for _ in range(channels))).tobytes()


def cannot_open(what: str, device: str | int | None, error: Exception) -> AudioDeviceError:
    name = "the default" if device is None else f"'{device}'"
    return AudioDeviceError(
        f"cannot open {name} {what} ({error})", f"check it is connected and not in use; {SEE_DEVICES}"
    )


class Microphone:
    """An AudioSource recording 16 kHz mono int16 from a sound device, in CHUNK_BYTES chunks.

    Recording starts when the microphone is made. A device that cannot record 16 kHz mono is opened at
    its own rate and/or in stereo (see ``choose_format``) and converted. Audio not yet read waits in a
    queue, so nothing is lost while the caller is busy; ``overflows`` counts blocks the device itself
    lost (PortAudio's input overflow).
    """

    def __init__(
        self,
        device: str | int | None = None,
        rate_hz: int | None = None,
        channels: int | None = None,
        block_ms: int = CHUNK_MS,
    ) -> None:
        """Open ``device`` (see ``find_device``); ``rate_hz``/``channels`` force a stream format.
        ``block_ms``: how much audio the device hands over at a time (smaller: ``chunks`` of that size can
        be read sooner, for a wake phrase detector)."""
        sd = sounddevice()
        index = find_device(device, "input")
        self.format = choose_format(sd, index, "input", rate_hz, channels)
        self.overflows = 0
        self._blocks: queue.Queue[bytes | None] = queue.Queue()
        self._converter = PcmConverter(PcmLayout(SAMPLE_WIDTH, self.format.channels, self.format.rate_hz))
        self._closed = False
        try:
            self._stream = sd.RawInputStream(
                samplerate=self.format.rate_hz,
                blocksize=self.format.rate_hz * block_ms // 1000,
                device=index,
                channels=self.format.channels,
                dtype="int16",
                callback=self._callback,
            )
            self._stream.start()
        except sd.PortAudioError as error:
            raise cannot_open("microphone", device, error) from None

    def _callback(self, indata: Any, frames: int, time: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._blocks.put(bytes(indata))

    def chunks(self, chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
        """Chunks of ``chunk_bytes`` as they are recorded, until ``close``. Several generators may be made
        one after the other (each starts with the next block recorded); only one may be read at a time."""
        pending = b""
        while not self._closed:
            try:
                block = self._blocks.get(timeout=SILENT_DEVICE_S)
            except queue.Empty:
                raise AudioDeviceError(
                    f"the microphone sent no audio for {SILENT_DEVICE_S:.0f} s", "check it is still connected"
                ) from None
            if block is None:
                return
            pending += self._converter.convert(block)
            while len(pending) >= chunk_bytes:
                yield pending[:chunk_bytes]
                pending = pending[chunk_bytes:]

    def close(self) -> None:
        """Stop recording and end ``chunks``. Safe to call twice, and from another thread."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._stream.stop()
            self._stream.close()
        self._blocks.put(None)

    def __enter__(self) -> "Microphone":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Speaker:
    """An AudioSink playing 16 kHz mono int16 on a sound device, in small blocks so ``stop`` is quick.

    ``write`` never blocks: it queues the audio and returns. PortAudio's callback takes one block
    (SPEAKER_BLOCK_MS) at a time from the queue and plays silence when it is empty; ``stop`` empties the
    queue, so output falls silent within a block plus the device latency.
    """

    def __init__(
        self, device: str | int | None = None, rate_hz: int | None = None, channels: int | None = None
    ) -> None:
        """Open ``device`` (see ``find_device``); ``rate_hz``/``channels`` force a stream format."""
        sd = sounddevice()
        index = find_device(device, "output")
        self.format = choose_format(sd, index, "output", rate_hz, channels)
        self.underflows = 0
        self._queued = bytearray()
        self._lock = threading.Condition()
        self._converter = PcmConverter(PcmLayout(SAMPLE_WIDTH, 1, SAMPLE_RATE), self.format.rate_hz)
        self._closed = False
        self._unheard = False
        try:
            self._stream = sd.RawOutputStream(
                samplerate=self.format.rate_hz,
                blocksize=self.format.rate_hz * SPEAKER_BLOCK_MS // 1000,
                device=index,
                channels=self.format.channels,
                dtype="int16",
                latency="low",
                callback=self._callback,
            )
            self._stream.start()
        except sd.PortAudioError as error:
            raise cannot_open("speaker", device, error) from None

    def _callback(self, outdata: Any, frames: int, time: Any, status: Any) -> None:
        if status.output_underflow:
            self.underflows += 1
        wanted = frames * SAMPLE_WIDTH * self.format.channels
        with self._lock:
            block = bytes(self._queued[:wanted])
            del self._queued[:wanted]
            if not self._queued:
                self._lock.notify_all()
        outdata[:] = block + bytes(wanted - len(block))

    @property
    def latency_s(self) -> float:
        """The device's output latency, in seconds: how long after the callback a block is heard."""
        return float(self._stream.latency)

    def write(self, chunk: Chunk) -> None:
        """Queue ``chunk`` for playing; returns at once."""
        if self._closed:
            raise ValueError("write to a closed Speaker")
        data = self._converter.convert(chunk)
        if self.format.channels > 1:
            data = duplicate_channels(data, self.format.channels)
        with self._lock:
            self._queued += data
            self._unheard = True

    def stop(self) -> None:
        """Drop everything queued: output falls silent within one block plus the device latency."""
        with self._lock:
            self._queued.clear()
            self._lock.notify_all()

    def drain(self) -> None:
        """Block until everything written has been handed to the device and played out."""
        with self._lock:
            while self._queued and self._stream.active:
                self._lock.wait(timeout=CHUNK_SAMPLES / SAMPLE_RATE)
            unheard, self._unheard = self._unheard, False
        if unheard:
            threading.Event().wait(self.latency_s + SPEAKER_BLOCK_MS / 1000)

    def close(self) -> None:
        """Play what is queued, then release the device. Safe to call twice."""
        if self._closed:
            return
        with contextlib.suppress(Exception):
            self.drain()
        self._closed = True
        with contextlib.suppress(Exception):
            self._stream.stop()
            self._stream.close()

    def __enter__(self) -> "Speaker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
