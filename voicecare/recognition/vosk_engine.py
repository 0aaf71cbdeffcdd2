"""The Vosk adapter: a Kaldi model loaded once per process, decoding each utterance under a grammar.

Each session restricts Vosk to the turn's phrases plus ``[unk]`` (when the model's vocabulary has it),
so anything else is decoded as ``[unk]`` and rejected. Vosk silently drops grammar words it does not
know, which could turn "not sure" into "not"; this adapter instead leaves out every phrase with an
unknown word, logs a warning naming them, and lists them in ``VoskSession.skipped``.
"""

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import vosk

from voicecare.audio.pcm import SAMPLE_RATE, Chunk
from voicecare.errors import EngineError, ModelError
from voicecare.model_store.locate import check_model_dir
from voicecare.recognition.ports import Heard

UNKNOWN_WORD = "[unk]"
KALDI_LOG_LEVEL = -3
"""Kaldi verbosity: -3 hides its LOG, WARNING and ERROR lines; voicecare reports problems itself."""

log = logging.getLogger(__name__)
_loaded: dict[Path, "VoskRecognizer"] = {}


class VoskRecognizer:
    """A loaded Vosk model (see ``load``); ``open`` starts one utterance under a grammar."""

    def __init__(self, model: Any, path: Path) -> None:
        self._model = model
        self.path = path
        self.has_unknown_word = self.knows(UNKNOWN_WORD)
        self.supports_grammar = (path / "graph" / "HCLr.fst").is_file() or (path / "HCLr.fst").is_file()
        """False for static-graph models (HCLG.fst only), which ignore grammars and decode freely."""
        self._warned: set[tuple[str, ...]] = set()

    @classmethod
    def load(cls, path: Path) -> "VoskRecognizer":
        """Load the model folder at ``path`` once per process (later calls return the same recogniser).

        Raises ModelError when ``path`` is not a Vosk model folder or Vosk cannot load it.
        """
        key = path.resolve()
        if key in _loaded:
            return _loaded[key]
        check_model_dir(path)
        vosk.SetLogLevel(KALDI_LOG_LEVEL)
        try:
            model = vosk.Model(str(key))
        except Exception:
            raise ModelError(
                f"not a Vosk model: {path} (Vosk could not load it)",
                "download the model again; the folder may be incomplete or corrupt",
            ) from None
        _loaded[key] = cls(model, key)
        return _loaded[key]

    @property
    def name(self) -> str:
        return "vosk"

    def knows(self, word: str) -> bool:
        """True when ``word`` is in the model's vocabulary."""
        return int(self._model.vosk_model_find_word(word)) >= 0

    def unknown_words(self, phrases: Sequence[str]) -> list[str]:
        """The words of ``phrases`` that the model's vocabulary lacks, in order, without repeats."""
        words = dict.fromkeys(word for phrase in phrases for word in phrase.split())
        return [word for word in words if not self.knows(word)]

    def open(self, phrases: Sequence[str]) -> "VoskSession":
        """Start an utterance restricted to the phrases whose words the model knows.

        Raises EngineError when no phrase is left (an empty grammar would accept anything).
        """
        unknown = set(self.unknown_words(phrases))
        usable = tuple(phrase for phrase in phrases if unknown.isdisjoint(phrase.split()))
        skipped = tuple(phrase for phrase in phrases if phrase not in usable)
        if skipped and skipped not in self._warned:
            self._warned.add(skipped)
            log.warning(
                "Vosk model %s lacks the words %s; left out the phrases %s",
                self.path,
                sorted(unknown),
                list(skipped),
            )
        if not usable:
            raise EngineError(
                f"no phrase of the grammar {list(phrases)} is in the Vosk model's vocabulary",
                "use a model of the phrases' language or change the phrases",
            )
        if not self.supports_grammar and () not in self._warned:
            self._warned.add(())
            log.warning("Vosk model %s has no runtime graph; it ignores grammars", self.path)
        grammar = [*usable, UNKNOWN_WORD] if self.has_unknown_word else list(usable)
        kaldi = vosk.KaldiRecognizer(self._model, SAMPLE_RATE, json.dumps(grammar, ensure_ascii=False))
        kaldi.SetWords(True)
        return VoskSession(kaldi, usable, skipped)


class VoskSession:
    """One utterance being decoded. ``skipped`` holds the phrases left out for unknown words."""

    def __init__(self, kaldi: Any, phrases: tuple[str, ...], skipped: tuple[str, ...]) -> None:
        self._kaldi = kaldi
        self.phrases = phrases
        self.skipped = skipped
        self._segments: list[dict[str, Any]] = []
        self._done = False

    def feed(self, chunk: Chunk, trailing_silence_s: float = 0.0) -> str:
        """Decode ``chunk``; return the partial hypothesis of the utterance so far. Vosk decodes as audio
        comes in and its final result is quick, so ``trailing_silence_s`` is not needed."""
        self._check_open()
        if self._kaldi.AcceptWaveform(bytes(chunk)):
            self._segments.append(json.loads(self._kaldi.Result()))
        partial: str = json.loads(self._kaldi.PartialResult()).get("partial", "")
        done = " ".join(segment.get("text", "") for segment in self._segments if segment.get("text"))
        return " ".join(part for part in (done, partial) if part)

    def finish(self, trailing_silence_s: float = 0.0) -> Heard:
        """End the utterance (its trailing silence is decoded like the rest). ``confidence`` is the mean
        word confidence (0 to 1); ``rejected`` is set when nothing, ``[unk]``, or anything but exactly one
        of the phrases was heard."""
        self._check_open()
        self._done = True
        self._segments.append(json.loads(self._kaldi.FinalResult()))
        words = [word for segment in self._segments for word in segment.get("result", [])]
        text = " ".join(word["word"] for word in words)
        confidence = sum(float(word["conf"]) for word in words) / len(words) if words else 0.0
        if text in self.phrases:
            return Heard(text, confidence)
        return Heard("", confidence, rejected=True)

    def cancel(self) -> None:
        """Abandon the utterance."""
        self._done = True

    def _check_open(self) -> None:
        if self._done:
            raise EngineError("this Vosk session has already finished", "open a new session per utterance")
