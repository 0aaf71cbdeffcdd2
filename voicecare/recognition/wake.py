"""Wake phrase detection: a small port (``WakeDetector``) and its two engines.

- ``MicroWakeDetector``: a microWakeWord model from the pymicro-wakeword wheel (models and the TFLite
  library ship inside it; nothing is downloaded). Features come from ``MicroWakeWordFeatures`` in 10 ms
  frames of 16 kHz int16, and the model gives a probability every 30 ms, averaged over a sliding window.
- ``KeyphraseDetector``: pocketsphinx's keyphrase search, for a custom phrase of dictionary words.

Both are fed voicecare's 100 ms chunks and say whether the phrase ended in that chunk. Detectors fire on
many frames of one phrase, so a detection is acted on once: after one, none counts for ``refractory_s``
of stream time (``Refractory``). The phrases, their engines and tuning are in ``content/wake.toml``.
"""

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, Chunk
from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.errors import ConfigError, EngineError

WAKE_FILE = CONTENT_DIR / "wake.toml"
ENGINES = ("micro", "keyphrase")
FRAME_BYTES = SAMPLE_RATE // 100 * SAMPLE_WIDTH
FRAME_S = 0.010
"""10 ms of audio: what microWakeWord's features are made from."""


@dataclass(frozen=True)
class WakePhrase:
    """One phrase voicecare can wake on: ``engine`` micro (``model`` names a model in the wheel, or a
    model's JSON file) or keyphrase; ``threshold`` as described in ``content/wake.toml``."""

    phrase: str
    engine: str
    threshold: float
    model: str | None = None


@dataclass(frozen=True)
class WakeCatalogue:
    """The phrases of ``content/wake.toml``, the default first, and the refractory period."""

    phrases: tuple[WakePhrase, ...]
    refractory_s: float

    @property
    def default(self) -> WakePhrase:
        return self.phrases[0]

    def find(self, phrase: str) -> WakePhrase | None:
        wanted = " ".join(phrase.lower().replace("_", " ").split())
        return next((p for p in self.phrases if p.phrase == wanted), None)


def load_wake_catalogue(path: Path = WAKE_FILE) -> WakeCatalogue:
    """Read and validate ``content/wake.toml``; the default phrase comes first."""
    root = read_table(path)
    root.only(("default", "refractory_s", "phrase"))
    phrases: list[WakePhrase] = []
    for table in root.tables("phrase"):
        table.only(("phrase", "engine", "threshold"), ("model",))
        engine = table.text("engine")
        if engine not in ENGINES:
            raise table.fail("engine", f"is '{engine}'", f"use one of: {', '.join(ENGINES)}")
        model = table.text("model") if table.has("model") else None
        if engine == "micro" and model is None:
            raise table.fail("model", "is missing", "name the model of a micro phrase")
        low, high = (0.0, 1.0) if engine == "micro" else (-60.0, 0.0)
        phrases.append(WakePhrase(table.text("phrase"), engine, table.number("threshold", low, high), model))
    default = root.text("default")
    chosen = [p for p in phrases if p.phrase == default]
    if not chosen:
        raise root.fail("default", f"is '{default}', which is not a phrase here", "name one of the phrases")
    ordered = (chosen[0], *(p for p in phrases if p.phrase != default))
    return WakeCatalogue(ordered, root.number("refractory_s", 0.0, 30.0))


@dataclass(frozen=True)
class Detection:
    """A wake phrase heard: ``at_s`` is the stream time (seconds) of the frame it was detected on."""

    phrase: str
    at_s: float
    score: float


class WakeDetector(Protocol):
    """Listens to a stream for one wake phrase."""

    @property
    def phrase(self) -> str:
        """The phrase, as the person says it."""
        ...

    def feed(self, chunk: Chunk) -> Detection | None:
        """Take the next chunk of the stream; the detection if the phrase was heard in it."""
        ...

    def reset(self) -> None:
        """Forget everything heard: the stream goes on after a gap (a session, a mute)."""
        ...

    def close(self) -> None:
        """Release the engine."""
        ...


class MicroWakeDetector:
    """A microWakeWord model from the pymicro-wakeword wheel (``model`` a built-in name or a JSON file)."""

    def __init__(self, phrase: WakePhrase) -> None:
        try:
            from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures, Model
        except (ImportError, OSError) as error:
            raise EngineError(
                f"the wake phrase engine cannot start ({error})",
                "install it with 'pip install pymicro-wakeword' (or run scripts/setup)",
            ) from None
        name = phrase.model or ""
        try:
            if name.endswith(".json"):
                if not Path(name).is_file():
                    raise ConfigError(
                        f"no wake model at {name}", "give the path of a microWakeWord .json file"
                    )
                self._model: Any = MicroWakeWord.from_config(Path(name))
            else:
                self._model = MicroWakeWord.from_builtin(Model(name))
        except ValueError:
            known = ", ".join(m.value for m in Model)
            raise ConfigError(f"unknown wake model '{name}'", f"use one of: {known}") from None
        import numpy

        self._np: Any = numpy
        self._features_type = MicroWakeWordFeatures
        self._features: Any = MicroWakeWordFeatures()
        self._pending: list[Any] = []
        self._window: deque[float] = deque(maxlen=self._model.sliding_window_size)
        self._sum = 0.0
        self._output: Any = numpy.empty(
            self._model.lib.TfLiteTensorByteSize(self._model.output_tensor)
            // numpy.dtype(self._model.output_dtype).itemsize,
            dtype=self._model.output_dtype,
        )
        self._phrase = phrase.phrase
        self.threshold = phrase.threshold
        self._t_s = 0.0

    @property
    def phrase(self) -> str:
        return self._phrase

    def feed(self, chunk: Chunk) -> Detection | None:
        """The chunk's features at once (one 10 ms step each), then the model every ``stride`` of them, as
        ``MicroWakeWord.process_streaming_prob`` does, with the window's mean kept as a running sum (its
        ``statistics.mean`` costs more than the model on a small CPU)."""
        found: Detection | None = None
        start_s = self._t_s
        self._t_s += len(chunk) / (SAMPLE_RATE * SAMPLE_WIDTH)
        for step, features in enumerate(self._features.process_streaming(chunk), start=1):
            self._pending.append(features)
            if len(self._pending) < self._model.stride:
                continue
            probability = self._window_mean(self._invoke())
            if found is None and probability > self.threshold:
                found = Detection(self._phrase, start_s + step * FRAME_S, probability)
        return found

    def _invoke(self) -> float:
        """Run the model on the pending features; its output probability."""
        model, np = self._model, self._np
        quantized = np.round(
            np.concatenate(self._pending, axis=1) / model.input_scale + model.input_zero_point
        ).astype(model.input_dtype)
        self._pending.clear()
        lib = model.lib
        lib.TfLiteTensorCopyFromBuffer(model.input_tensor, quantized.ctypes.data, quantized.nbytes)
        lib.TfLiteInterpreterInvoke(model.interpreter)
        lib.TfLiteTensorCopyToBuffer(model.output_tensor, self._output.ctypes.data, self._output.nbytes)
        return float((float(self._output[0]) - model.output_zero_point) * model.output_scale)

    def _window_mean(self, probability: float) -> float:
        """The mean of the last ``sliding_window_size`` probabilities (0 until there are that many)."""
        window = self._window
        if len(window) == window.maxlen:
            self._sum -= window[0]
        window.append(probability)
        self._sum += probability
        return self._sum / len(window) if len(window) == window.maxlen else 0.0

    def reset(self) -> None:
        self._model.reset()
        self._features = self._features_type()
        self._pending.clear()
        self._window.clear()
        self._sum = 0.0

    def close(self) -> None:
        self._model.close()


class KeyphraseDetector:
    """pocketsphinx keyphrase spotting for ``phrase`` (every word must be in its dictionary)."""

    def __init__(self, phrase: WakePhrase) -> None:
        try:
            import pocketsphinx
        except ImportError as error:
            raise EngineError(f"pocketsphinx cannot start ({error})", "run scripts/setup") from None
        model = Path(pocketsphinx.get_model_path())
        unknown = unknown_words(phrase.phrase, model / "en-us" / "cmudict-en-us.dict")
        if unknown:
            raise ConfigError(
                f"the wake phrase '{phrase.phrase}' has words pocketsphinx does not know "
                f"({', '.join(unknown)})",
                "choose a phrase from 'voicecare home --list-phrases' or one of common English words",
            )
        pocketsphinx.set_loglevel("FATAL")
        self._decoder: Any = pocketsphinx.Decoder(
            hmm=str(model / "en-us" / "en-us"),
            dict=str(model / "en-us" / "cmudict-en-us.dict"),
            lm=None,
            keyphrase=phrase.phrase,
            kws_threshold=10.0**phrase.threshold,
            loglevel="FATAL",
        )
        self._phrase = phrase.phrase
        self._t_s = 0.0
        self._decoder.start_utt()

    @property
    def phrase(self) -> str:
        return self._phrase

    def feed(self, chunk: Chunk) -> Detection | None:
        self._t_s += len(chunk) / (SAMPLE_RATE * SAMPLE_WIDTH)
        self._decoder.process_raw(chunk, False, False)
        hypothesis = self._decoder.hyp()
        if hypothesis is None:
            return None
        self.reset()
        return Detection(self._phrase, self._t_s, float(hypothesis.prob))

    def reset(self) -> None:
        self._decoder.end_utt()
        self._decoder.start_utt()

    def close(self) -> None:
        self._decoder.end_utt()


def unknown_words(phrase: str, dictionary: Path) -> list[str]:
    """The words of ``phrase`` not in the pronunciation ``dictionary``."""
    words = phrase.lower().split()
    wanted = set(words)
    with dictionary.open(encoding="utf-8") as handle:
        for line in handle:
            head = line.split(" ", 1)[0]
            wanted.discard(head)
    return [word for word in words if word in wanted]


@dataclass
class Refractory:
    """Acts on a detection once: after one, the detector's detections are ignored for ``refractory_s``."""

    detector: WakeDetector
    refractory_s: float
    _t_s: float = 0.0
    _quiet_until_s: float = -1.0

    @property
    def phrase(self) -> str:
        return self.detector.phrase

    def feed(self, chunk: Chunk) -> Detection | None:
        self._t_s += len(chunk) / (SAMPLE_RATE * SAMPLE_WIDTH)
        found = self.detector.feed(chunk)
        if found is None or self._t_s < self._quiet_until_s:
            return None
        self._quiet_until_s = self._t_s + self.refractory_s
        return found

    def reset(self) -> None:
        self.detector.reset()

    def close(self) -> None:
        self.detector.close()


def wake_phrase_for(
    name: str | None, model: str | None = None, catalogue: WakeCatalogue | None = None
) -> WakePhrase:
    """The phrase ``name`` (None: the default) or, with ``model`` (a microWakeWord .json), that model.

    A name not in the catalogue is a custom keyphrase for pocketsphinx (its words are checked when the
    detector starts). ConfigError for an empty name.
    """
    catalogue = catalogue or load_wake_catalogue()
    if model is not None:
        return WakePhrase(name or Path(model).stem.replace("_", " "), "micro", _model_threshold(model), model)
    if name is None:
        return catalogue.default
    found = catalogue.find(name)
    if found is not None:
        return found
    words = " ".join(name.lower().split())
    if not words or not all(word.isalpha() or "'" in word for word in words.split()):
        raise ConfigError(
            f"unknown wake phrase '{name}'",
            "choose one from 'voicecare home --list-phrases', or a phrase of English words",
        )
    keyphrase = next(p for p in catalogue.phrases if p.engine == "keyphrase")
    return WakePhrase(words, "keyphrase", keyphrase.threshold)


def _model_threshold(model: str) -> float:
    import json

    path = Path(model)
    try:
        data = json.loads(path.read_text())
        return float(data["micro"]["probability_cutoff"])
    except FileNotFoundError:
        raise ConfigError(
            f"no wake model at {model}", "give the path of a microWakeWord .json file"
        ) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigError(
            f"{model} is not a microWakeWord model description",
            "give the .json file that came with the model",
        ) from None


def open_detector(phrase: WakePhrase, refractory_s: float) -> Refractory:
    """The detector for ``phrase``, acting on each detection once."""
    engine: WakeDetector = (
        MicroWakeDetector(phrase) if phrase.engine == "micro" else KeyphraseDetector(phrase)
    )
    return Refractory(engine, refractory_s)


def phrase_names(catalogue: WakeCatalogue | None = None) -> Sequence[str]:
    """The phrases voicecare can wake on, the default first."""
    return [p.phrase for p in (catalogue or load_wake_catalogue()).phrases]
