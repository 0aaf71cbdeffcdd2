"""Test helper: speech made with espeak-ng and resampled by ``sox -R`` to voicecare's PCM format.

Each (voice, rate, text) is synthesised once per cache folder; a session-scoped fixture hands every test
the same folder, so a phrase used by several tests is made once per test session.
"""

import hashlib
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH


def require_espeak() -> None:
    """Fails the test when espeak-ng or sox is missing: scripts/setup installs both, so that is a broken
    install, not a machine where the test cannot run."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    assert not missing, f"{' and '.join(missing)} not installed: run scripts/setup (espeak-ng, sox)"


@dataclass(frozen=True)
class EspeakSpeech:
    """Makes 16 kHz mono int16 PCM of ``text`` in an espeak-ng ``voice`` (e.g. ``en-gb-scotland``,
    ``en-us+f3``) at ``rate_wpm`` words per minute, caching the result as WAV files under ``cache_dir``."""

    cache_dir: Path

    def pcm(self, text: str, voice: str, rate_wpm: int) -> bytes:
        """The PCM of ``text`` spoken by ``voice`` at ``rate_wpm``, with espeak's own short lead-in/out."""
        key = hashlib.sha1(f"{voice}|{rate_wpm}|{text}".encode()).hexdigest()[:16]
        path = self.cache_dir / f"{key}.wav"
        if not path.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            raw = self.cache_dir / f"{key}.espeak.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(rate_wpm), "-w", str(raw), text],
                check=True,
                capture_output=True,
            )
            to_voicecare_wav(raw, path)
            raw.unlink()
        return read_voicecare_wav(path)


def to_voicecare_wav(source: Path, target: Path) -> None:
    """Convert ``source`` to 16 kHz mono 16-bit ``target`` with sox's high-quality resampler."""
    subprocess.run(
        [
            "sox",
            "-R",
            str(source),
            "-b",
            "16",
            "-c",
            "1",
            "-e",
            "signed-integer",
            str(target),
            "rate",
            "-h",
            str(SAMPLE_RATE),
        ],
        check=True,
        capture_output=True,
    )


def read_voicecare_wav(path: Path) -> bytes:
    """The PCM of a WAV in voicecare's format."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getframerate() == SAMPLE_RATE and wav.getsampwidth() == SAMPLE_WIDTH
        return wav.readframes(wav.getnframes())
