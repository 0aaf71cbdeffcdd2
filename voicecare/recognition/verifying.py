"""pocketsphinx checked by a second recogniser where it is unsure: ``VerifyingRecognizer``.

pocketsphinx decodes every utterance under the turn's grammar, live, as before. Where its final result is
not sure (rejected, or accepted below ``SURE_CONFIDENCE``), or the room is noisy (``NOISY_FLOOR_RMS``),
the utterance's audio is transcribed by the checker (Whisper tiny.en, ``whisper_check``), which hears
any words at all. Its transcript counts only when, written as the grammar writes phrases (lower case, no
punctuation, numbers in words), it is exactly one of the turn's phrases. Then it is the result: sure
only when pocketsphinx had a best phrase of its own for the utterance (``Heard.hypothesis``) and that
phrase meant the same (the listener, which knows what each phrase means, weighs it:
``listening.UtteranceListener``); else below sure, so a "no" or a command the checker alone heard is
asked again, and doubt is never resolved towards no, while a yes, a doubt or a number (read back) counts.
A transcript that is not a phrase of the turn, or that the checker thought was no speech, leaves
pocketsphinx's result as it was, except that in a noisy room a sure result is kept below sure. In a quiet
room pocketsphinx's sure results are not checked, so turn latency is unchanged where it is sure.

The checker is loaded on first use (about 0.4 to 0.9 s) and shared by the process.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_WIDTH, Chunk, bytes_of
from voicecare.recognition.grammar import normalise_phrases
from voicecare.recognition.ports import SURE_CONFIDENCE, Heard, RecognitionSession, Recognizer
from voicecare.recognition.whisper_check import Transcript, WhisperChecker, available

CHECKED_CONFIDENCE = 0.8
"""The confidence of a phrase the checker heard (pocketsphinx having been unsure)."""
MAX_NO_SPEECH = 0.5
"""A transcript is ignored when Whisper gave at least this probability to there being no speech."""
MIN_LOGPROB = -3.5
"""A transcript is ignored when its mean log-probability per token is below this. Right one-word
transcripts of synthetic voices scored -1.2 to -3.1 ("No" for "nope"); the phrase match does the rest."""
KEEP_SILENCE_S = 0.3
"""Seconds of the silence after the speech given to the checker (the rest is not transcribed)."""

NOISY_FLOOR_RMS = 300
"""A room is noisy when the quietest tenth of the utterance's 20 ms frames (its lead-in included) is at
least this loud (16-bit RMS; the endpointer's least speech level). There pocketsphinx is sure and wrong
too often (a "yes" taken as "nah" at 0 dB SNR), so its sure results are checked as well."""
UNCONFIRMED = 0.45
"""The confidence of a sure pocketsphinx result in a noisy room that the checker did not confirm."""

CHECK_TIMES: list[float] = []
"""Seconds each check took in this process (for the benchmarks)."""


def room_floor_rms(pcm: bytes) -> int:
    """RMS of the quietest tenth of the 20 ms frames of ``pcm`` (0 when it is shorter than a frame)."""
    step = bytes_of(0.02)
    frames = sorted(audioop.rms(pcm[i : i + step], SAMPLE_WIDTH) for i in range(0, len(pcm) - step + 1, step))
    return int(frames[len(frames) // 10]) if frames else 0


def checker_available() -> bool:
    """Whether the checking recogniser's packages are installed."""
    return available()


@cache
def load_checker() -> WhisperChecker | None:
    """The process's checker, loaded now; None when its packages are missing."""
    return WhisperChecker() if available() else None


@dataclass
class VerifyingRecognizer:
    """``inner`` (pocketsphinx) checked by ``checker`` where unsure (``checker`` None: loaded when first
    needed)."""

    inner: Recognizer
    checker: WhisperChecker | None = None

    @property
    def name(self) -> str:
        """The engine's name as ``--engine`` has it: the inner recogniser's."""
        return self.inner.name

    def open(self, phrases: Sequence[str]) -> "VerifyingSession":
        return VerifyingSession(self.inner.open(phrases), self, frozenset(normalise_phrases(phrases)))

    def check(self, pcm: bytes) -> Transcript | None:
        """The checker's transcript of ``pcm``, loading the checker on first use (None if it cannot)."""
        if self.checker is None:
            self.checker = load_checker()
        if self.checker is None:
            return None
        transcript = self.checker.transcribe(pcm)
        CHECK_TIMES.append(transcript.seconds)
        return transcript


@dataclass
class VerifyingSession:
    """One utterance: fed to pocketsphinx as it comes, and kept, for the checker if it is needed."""

    inner: RecognitionSession
    recognizer: VerifyingRecognizer
    phrases: frozenset[str]
    _audio: bytearray = field(default_factory=bytearray, init=False, repr=False)
    last_transcript: Transcript | None = field(default=None, init=False)
    """The checker's transcript of the utterance, when it was checked (for calibration and tests)."""

    def feed(self, chunk: Chunk, trailing_silence_s: float = 0.0) -> str:
        self._audio.extend(chunk)
        return self.inner.feed(chunk, trailing_silence_s)

    def finish(self, trailing_silence_s: float = 0.0) -> Heard:
        heard = self.inner.finish(trailing_silence_s)
        if heard.timed_out:
            return heard
        sure = heard.accepted and heard.confidence >= SURE_CONFIDENCE
        noisy = room_floor_rms(bytes(self._audio)) >= NOISY_FLOOR_RMS
        if sure and not noisy:
            return heard
        dropped = bytes_of(max(0.0, trailing_silence_s - KEEP_SILENCE_S))
        transcript = self.recognizer.check(bytes(self._audio[: len(self._audio) - dropped]))
        self.last_transcript = transcript
        phrase = None
        heard_speech = transcript is not None and transcript.no_speech_prob < MAX_NO_SPEECH
        if transcript is not None and heard_speech and transcript.avg_logprob >= MIN_LOGPROB:
            phrase = as_phrase(transcript.text, self.phrases)
        if phrase is None:
            # In a noisy room a sure result the checker cannot confirm is not sure enough to end doubt.
            return replace(heard, confidence=min(heard.confidence, UNCONFIRMED)) if sure else heard
        hypothesis = heard.hypothesis if heard.hypothesis is not None else heard.text
        # Sure only where pocketsphinx had a phrase of its own (the listener weighs its meaning): a "no"
        # heard by the checker alone (a "yeah" in a running tap at 10 dB) is asked again.
        confidence = max(heard.confidence, CHECKED_CONFIDENCE) if hypothesis else UNCONFIRMED
        return replace(
            heard,
            text=phrase,
            confidence=confidence,
            rejected=False,
            hypothesis=hypothesis,
            checked=True,
        )

    def cancel(self) -> None:
        self.inner.cancel()


_UNITS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"),
    *("twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(value: int) -> list[str]:
    """The ways the grammars write ``value`` (0 to 999) in words: "thirty five", "a hundred and five"."""
    if value < 20:
        return [_UNITS[value]]
    if value < 100:
        tens, unit = divmod(value, 10)
        return [_TENS[tens - 2] + (f" {_UNITS[unit]}" if unit else "")]
    hundreds, rest = divmod(value, 100)
    heads = ["a hundred", "one hundred"] if hundreds == 1 else [f"{_UNITS[hundreds]} hundred"]
    if not rest:
        return heads
    tails = number_words(rest)
    return [f"{h} and {t}" for h in heads for t in tails] + [f"{h} {t}" for h in heads for t in tails]


_NUMBER = re.compile(r"\d+")


def as_phrase(text: str, phrases: frozenset[str]) -> str | None:
    """``text`` (as Whisper writes it: "No, I don't.", "35 weeks") as one of ``phrases``, or None."""
    lowered = text.lower().replace("\u2019", "'").replace("-", " ")
    lowered = re.sub(r"(\d),(\d{3})", r"\1\2", lowered)
    plain = " ".join(re.sub(r"[^a-z0-9' ]+", " ", lowered).split())
    candidates = [plain]
    for match in _NUMBER.finditer(plain):
        value = int(match.group())
        if value < 1000:
            candidates = [
                c.replace(match.group(), words, 1) for c in candidates for words in number_words(value)
            ]
    for candidate in candidates:
        words = " ".join(w.strip("'") for w in candidate.split())
        if words in phrases:
            return words
    return None
