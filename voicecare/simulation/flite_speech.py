"""Test helper: speech made with Debian's flite and resampled by ``sox -R`` to voicecare's PCM format.

flite's voices (``flite -lv``: awb, rms, slt, kal16, kal) are diphone and cluster-unit voices made from
recordings of real speakers (awb a Scottish man, rms an American man, slt an American woman, kal an
American man), so they sound nearer a person than espeak-ng's formant voices. flite has no words-per-
minute setting: ``rate_wpm`` is turned into its ``duration_stretch`` against an ordinary 160 wpm.

Each (voice, rate, text) is synthesised once per cache folder, as ``EspeakSpeech`` does.
"""

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from voicecare.simulation.espeak_speech import read_voicecare_wav, to_voicecare_wav

ORDINARY_WPM = 160
"""The rate flite speaks at with a duration stretch of 1 (about; it varies by voice)."""


def require_flite() -> None:
    """Fails when flite or sox is missing: scripts/setup installs both."""
    missing = [tool for tool in ("flite", "sox") if shutil.which(tool) is None]
    assert not missing, f"{' and '.join(missing)} not installed: run scripts/setup (flite, sox)"


@dataclass(frozen=True)
class FliteSpeech:
    """Makes 16 kHz mono int16 PCM of ``text`` in a flite ``voice`` (``awb``, ``rms``, ``slt``, ``kal16``)
    at about ``rate_wpm`` words per minute, caching the result as WAV files under ``cache_dir``."""

    cache_dir: Path

    def pcm(self, text: str, voice: str, rate_wpm: int = ORDINARY_WPM) -> bytes:
        """The PCM of ``text`` said by ``voice`` at about ``rate_wpm``, with flite's own lead-in and out."""
        key = hashlib.sha1(f"flite|{voice}|{rate_wpm}|{text}".encode()).hexdigest()[:16]
        path = self.cache_dir / f"{key}.wav"
        if not path.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            raw = self.cache_dir / f"{key}.flite.wav"
            stretch = f"duration_stretch={ORDINARY_WPM / rate_wpm:.3f}"
            command = ["flite", "-voice", voice, "--setf", stretch, "-t", text, "-o", str(raw)]
            subprocess.run(command, check=True, capture_output=True)
            to_voicecare_wav(raw, path)
            raw.unlink()
        return read_voicecare_wav(path)
