#!/usr/bin/env python3
"""Audio benchmark: WAV conversion speed, and speaker latencies on a private PulseAudio null sink.

Run from the project root: ``.venv/bin/python scripts/bench_audio.py``. Prints a table.
Latencies are measured in the recorded audio (the sink's monitor, read by a ``Microphone``), so they
include capture as well as playback delay: "stop to silence" is how long a tone still sounds after
``Speaker.stop()``; "write to sound" is how long after ``Speaker.write()`` it starts to sound.
Targets: stop to silence <= 100 ms plus capture delay; WAV conversion real-time factor <= 0.01.
"""

import math
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.compat import audioop  # noqa: E402
from voicecare.audio.devices import Microphone, Speaker  # noqa: E402
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, duration_s  # noqa: E402
from voicecare.audio.wav_files import read_wav  # noqa: E402
from voicecare.simulation.virtual_audio import (  # noqa: E402
    LOUD_RMS,
    VirtualAudio,
    pulse_environment,
    start_pulse,
    stop_pulse,
)

TRIALS = 5
FRAME_BYTES = SAMPLE_RATE // 100 * SAMPLE_WIDTH


def tone(seconds: float) -> bytes:
    n = int(seconds * SAMPLE_RATE)
    return struct.pack(
        f"<{n}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / SAMPLE_RATE)) for i in range(n))
    )


def loud_frames(pcm: bytes) -> list[int]:
    return [
        i // FRAME_BYTES
        for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)
        if audioop.rms(pcm[i : i + FRAME_BYTES], SAMPLE_WIDTH) > LOUD_RMS
    ]


def stop_to_silence_s(audio: VirtualAudio) -> float:
    """Seconds of tone recorded after ``stop()``, counted from the audio recorded when it was called."""
    recording = b""
    stopped_at = 0
    with Microphone(audio.device) as microphone, Speaker(audio.device) as speaker:
        speaker.write(tone(3.0))
        loud_chunks = 0
        for chunk in microphone.chunks():
            recording += chunk
            loud_chunks += audioop.rms(chunk, SAMPLE_WIDTH) > LOUD_RMS
            if not stopped_at and loud_chunks == 5:
                speaker.stop()
                stopped_at = len(recording)
            if stopped_at and len(recording) > stopped_at + SAMPLE_RATE * SAMPLE_WIDTH:
                break
    return ((loud_frames(recording)[-1] + 1) * FRAME_BYTES - stopped_at) / (SAMPLE_RATE * SAMPLE_WIDTH)


def write_to_sound_s(audio: VirtualAudio) -> float:
    """Seconds between the audio recorded when ``write()`` was called and the tone's onset in it."""
    recording = b""
    written_at = 0
    with Microphone(audio.device) as microphone, Speaker(audio.device) as speaker:
        for chunk in microphone.chunks():
            recording += chunk
            if not written_at and len(recording) >= 3 * len(chunk):
                speaker.write(tone(0.3))
                written_at = len(recording)
            if written_at and loud_frames(recording[written_at:]):
                break
    return loud_frames(recording[written_at:])[0] * FRAME_BYTES / (SAMPLE_RATE * SAMPLE_WIDTH)


def conversion_rows() -> list[tuple[str, str]]:
    rows = []
    for path in sorted((ROOT / "tests" / "data" / "formats").glob("*.wav")):
        started = time.perf_counter()
        for _ in range(TRIALS):
            pcm = read_wav(path)
        factor = (time.perf_counter() - started) / TRIALS / duration_s(pcm)
        rows.append((f"read_wav {path.name}", f"real-time factor {factor:.4f}"))
    return rows


def latency_rows() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        server = start_pulse(Path(folder))
        try:
            audio = VirtualAudio(server)
            audio.use_source(audio.speaker_monitor)
            with pulse_environment(server.address):
                stops = [stop_to_silence_s(audio) for _ in range(TRIALS)]
                onsets = [write_to_sound_s(audio) for _ in range(TRIALS)]
        finally:
            stop_pulse(server)
    return [
        (
            f"stop to silence (ms, {TRIALS} runs)",
            f"median {statistics.median(stops) * 1000:.0f}, max {max(stops) * 1000:.0f}",
        ),
        (
            f"write to sound (ms, {TRIALS} runs)",
            f"median {statistics.median(onsets) * 1000:.0f}, max {max(onsets) * 1000:.0f}",
        ),
    ]


def main() -> None:
    rows = conversion_rows() + latency_rows()
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  result")
    for name, result in rows:
        print(f"{name:<{width}}  {result}")


if __name__ == "__main__":
    main()
