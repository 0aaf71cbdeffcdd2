"""Room noise under speech: real recordings mixed at a chosen signal-to-noise ratio, and voicecare's own
speech as if heard back through the room (quieter, duller, with a little reverberation)."""

import math
import os
import subprocess
from array import array
from pathlib import Path

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.audio.wav_files import read_wav

_BESIDE_THE_REPOSITORY = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "noise"
NOISE_DIR = Path(os.environ.get("VOICECARE_NOISE_DIR", _BESIDE_THE_REPOSITORY))
"""Google Speech Commands' background noise (CC BY 4.0): doing_the_dishes, running_tap, exercise_bike,
dude_miaowing, in the shared test data beside the repository (``VOICECARE_NOISE_DIR`` names another
folder); tests copy what they need to tests/data."""
ACTIVE_RMS = 300
"""10 ms frames of speech louder than this (16-bit RMS) count for its level."""


def speech_rms(pcm: bytes) -> float:
    """The RMS of the speech's active 10 ms frames (pauses left out), as SNR is measured."""
    frame = SAMPLE_RATE // 100 * SAMPLE_WIDTH
    levels = [audioop.rms(pcm[i : i + frame], SAMPLE_WIDTH) for i in range(0, len(pcm) - frame + 1, frame)]
    active = [level for level in levels if level > ACTIVE_RMS] or levels or [0]
    return math.sqrt(sum(level * level for level in active) / len(active))


def load_noise(path: Path) -> bytes:
    return read_wav(path)


def noise_at(noise: bytes, offset_bytes: int, length: int) -> bytes:
    """``length`` bytes of ``noise`` from ``offset_bytes``, looping."""
    out = bytearray()
    at = offset_bytes % len(noise)
    at -= at % SAMPLE_WIDTH
    while len(out) < length:
        piece = noise[at : at + length - len(out)]
        out += piece
        at = (at + len(piece)) % len(noise)
    return bytes(out)


def mix_at_snr(speech: bytes, noise: bytes, snr_db: float, speech_level: float | None = None) -> bytes:
    """``speech`` with ``noise`` (as long) scaled so speech RMS / noise RMS is ``snr_db``."""
    level = speech_level if speech_level is not None else speech_rms(speech)
    noise_level = audioop.rms(noise, SAMPLE_WIDTH) or 1
    gain = level / (noise_level * 10 ** (snr_db / 20))
    scaled: bytes = audioop.mul(noise, SAMPLE_WIDTH, gain)
    mixed: bytes = audioop.add(speech, scaled[: len(speech)], SAMPLE_WIDTH)
    return mixed


def heard_back(pcm: bytes, gain_db: float = -12.0) -> bytes:
    """``pcm`` as a microphone across the room hears it from the speaker: quieter, band-limited, with a
    little reverberation (sox), cut to its own length."""
    done = subprocess.run(
        [
            "sox",
            "-t",
            "raw",
            "-r",
            str(SAMPLE_RATE),
            "-e",
            "signed",
            "-b",
            "16",
            "-c",
            "1",
            "-",
            "-t",
            "raw",
            "-",
            "highpass",
            "150",
            "lowpass",
            "5000",
            "reverb",
            "40",
            "gain",
            str(gain_db),
        ],
        input=pcm,
        capture_output=True,
        check=True,
    )
    return done.stdout[: len(pcm)]


def scale(pcm: bytes, factor: float) -> bytes:
    samples = array("h", audioop.mul(pcm, SAMPLE_WIDTH, factor))
    return samples.tobytes()
