"""Test and benchmark voices from flite (awb, rms, slt, kal16 ...), resampled by sox to voicecare's PCM.

Like ``EspeakSpeech``: each (voice, stretch, text) is made once per cache folder. ``stretch`` is flite's
``duration_stretch`` (above 1 speaks slower)."""

import hashlib
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH

FLITE_VOICES = ("awb", "rms", "slt", "kal16")


@dataclass(frozen=True)
class FliteSpeech:
    cache_dir: Path

    def pcm(self, text: str, voice: str, stretch: float = 1.0) -> bytes:
        key = hashlib.sha1(f"flite|{voice}|{stretch}|{text}".encode()).hexdigest()[:16]
        path = self.cache_dir / f"{key}.wav"
        if not path.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            raw = self.cache_dir / f"{key}.flite.wav"
            subprocess.run(
                [
                    "flite",
                    "-voice",
                    voice,
                    "--setf",
                    f"duration_stretch={stretch}",
                    "-t",
                    text,
                    "-o",
                    str(raw),
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [
                    "sox",
                    "-R",
                    str(raw),
                    "-b",
                    "16",
                    "-c",
                    "1",
                    "-e",
                    "signed-integer",
                    str(path),
                    "rate",
                    "-h",
                    str(SAMPLE_RATE),
                ],
                check=True,
                capture_output=True,
            )
            raw.unlink()
        with wave.open(str(path), "rb") as wav:
            assert wav.getframerate() == SAMPLE_RATE and wav.getsampwidth() == SAMPLE_WIDTH
            return wav.readframes(wav.getnframes())
