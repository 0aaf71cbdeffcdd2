"""The embedded English recogniser: pocketsphinx 5 with the en-US model shipped in its wheel.

Loading takes the acoustic model only: each turn's new words are looked up in the CMU dictionary file
and added (``pronunciations``), which keeps memory low. Two decoders share the model:

- the *grammar decoder* runs the turn's JSGF grammar (``grammar.build_jsgf``): its phrases as whole
  alternatives, a weak noise-only alternative, and accent variants of each word;
- the *phone decoder* runs a loop of one-phone pseudo-words (``GARBAGE_PHONES``): the best a free phone
  string does on the same audio.

While audio comes in, only the grammar decoder runs, live, for partial results, from a running cepstral
mean that follows the speaker slowly (``Tuning.cmn_follow``). The final pass decodes the utterance again
with both decoders once ``Tuning.tail_s`` of silence has followed it, so the result is ready when the
utterance ends. A phrase is accepted only when it is one whole phrase of the grammar, its log-likelihood
ratio against the phone loop reaches ``Tuning.llr_threshold`` (confidence 0.5 at ``Tuning.llr_sure``),
and its length agrees with the speech the phone loop found (``min_coverage``, ``max_coverage``,
``max_uncovered_s``). So noise and other words come back rejected instead of forced onto an answer.

A fixed low noise floor is mixed in and pads each utterance, since the model never heard the exact
zeros of synthetic or digital silence. Words not in the dictionary raise ``EngineError``. One recogniser
decodes one utterance at a time. The thresholds were calibrated on espeak-ng speech; the figures behind
every setting are in docs/measurements.md ("Recognition accuracy", "Memory and load time").
"""

import math
import os
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pocketsphinx

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, SAMPLE_WIDTH, Chunk, bytes_of
from voicecare.errors import EngineError, ModelError
from voicecare.recognition.grammar import (
    GARBAGE_PHONES,
    NOISE_WORDS,
    GrammarSpec,
    accent_variants,
    build_jsgf,
    build_phone_loop_jsgf,
    garbage_word,
    is_garbage,
    normalise_phrases,
    words_of,
)
from voicecare.recognition.ports import Heard
from voicecare.recognition.pronunciations import lookup_pronunciations


@dataclass(frozen=True)
class Tuning:
    """Calibrated knobs of the recogniser (see the module docstring for what each one does)."""

    garbage_weight: float = 0.0
    """JSGF weight of a phone loop inside the turn grammar against 1.0 for the phrases (0: off). Off: it
    cost in-grammar answers and decoding time (docs/measurements.md)."""
    noise_weight: float = 1e-3
    """JSGF weight of the noise-only alternative against 1.0 for the phrases; higher rejects more."""
    llr_threshold: float = -0.75
    """Reject below this log-likelihood ratio, in nats per 10 ms speech frame."""
    llr_sure: float = -0.25
    """The ratio at which the confidence is 0.5 (``SURE_CONFIDENCE``): above it, sure enough for a "no"
    or a command (``understanding.trust``). Between the two, a phrase is accepted with a confidence
    below 0.5."""
    min_coverage: float = 0.25
    """Reject when the phrase covers less than this share of the speech the phone loop found."""
    max_uncovered_s: float = 0.56
    """Reject when the phone loop hears this much speech (seconds) before or after the phrase."""
    max_coverage: float = 2.5
    """Reject when the phrase spans more than this many times the speech the phone loop found (noise).
    Lower values rejected a clear "stop" in some voices."""
    llr_scale: float = 0.3
    """Width of the logistic that maps the ratio to a 0..1 confidence (centred on ``llr_sure``), in nats
    per frame."""
    noise_floor_rms: int = 50
    """RMS of the noise floor mixed into the audio, in 16-bit sample units."""
    pad_s: float = 0.2
    """Noise-floor padding before each utterance, in seconds."""
    end_pad_s: float = 0.6
    """Noise-floor padding after the ``tail_s`` of silence kept for the final pass, in seconds. Shorter
    padding scores short answers too low for the calibrated thresholds."""
    cmn_follow: float = 0.3
    """Share of each utterance's own cepstral mean taken into the running mean the next utterance starts
    from (the rest is the running mean so far). Following wholly, as pocketsphinx does, lets a run of
    short answers, mostly silence, drag the mean away from speech."""
    own_mean_share: float = 0.5
    """Where the second pass's cepstral mean lies between the running mean (0) and the mean the live pass
    estimated on this utterance (1)."""
    warm_up_s: float = 2.0
    """Seconds of the noise floor both decoders decode when loaded. pocketsphinx's feature extraction
    keeps state between utterances that ``set_cmn`` does not reset, and the thresholds were calibrated on
    decoders that had decoded before, so a cold decoder would judge the first answer on other terms."""
    tail_s: float = 0.1
    """Seconds of the silence after speech kept for the final pass (``end_pad_s`` of the floor follows);
    the rest is dropped. So the final pass can be decoded as soon as this much silence has followed the
    speech, with the same result whether the utterance then ends early or waits out the hangover."""
    all_senones: bool = False
    """Score every senone each frame (``compallsen``); off: slower, and no better separation."""


SPEECH_CMN = "46.01,-12.67,-3.13,14.25,-4.75,-5.13,-3.90,-8.95,-4.25,-5.28,-1.20,-2.57,-2.06"
"""The cepstral mean both decoders start from: a live estimate after 40 utterances of speech.
pocketsphinx's own start value is far from speech, so the first answers after loading were rejected.
After each utterance the running mean follows the speaker by ``Tuning.cmn_follow``."""


def model_dir() -> Path:
    """Folder of the en-US model inside the pocketsphinx wheel."""
    return Path(pocketsphinx.get_model_path("en-us"))


@dataclass
class _Floor:
    """A fixed, repeatable noise buffer mixed into the audio (see the module docstring)."""

    rms: int
    pcm: bytes = b""
    offset: int = 0

    def __post_init__(self) -> None:
        self.pcm = _noise(self.rms)

    def take(self, n_bytes: int) -> bytes:
        out = bytearray()
        while len(out) < n_bytes:
            piece = self.pcm[self.offset : self.offset + n_bytes - len(out)]
            out.extend(piece)
            self.offset = (self.offset + len(piece)) % len(self.pcm)
        return bytes(out)

    def mix(self, chunk: bytes) -> bytes:
        usable = len(chunk) - len(chunk) % SAMPLE_WIDTH
        if self.rms <= 0 or usable == 0:
            return chunk[:usable]
        return audioop.add(chunk[:usable], self.take(usable), SAMPLE_WIDTH)


@dataclass
class PocketsphinxRecognizer:
    """pocketsphinx with per-turn grammars and rejection; see the module docstring for the method."""

    tuning: Tuning = field(default_factory=Tuning)
    model: Path = field(default_factory=model_dir)
    _grammar: pocketsphinx.Decoder = field(init=False, repr=False)
    _phones: pocketsphinx.Decoder = field(init=False, repr=False)
    _searches: dict[tuple[str, ...], str] = field(init=False, default_factory=dict, repr=False)
    _known: set[str] = field(init=False, default_factory=set, repr=False)
    _active: "PocketsphinxSession | None" = field(init=False, default=None, repr=False)
    _cmn: list[float] = field(init=False, repr=False)
    """The running cepstral mean every utterance starts from (see ``Tuning.cmn_follow``)."""

    def __post_init__(self) -> None:
        hmm = self.model / "en-us"
        for path in (hmm, self.dictionary):
            if not path.exists():
                raise ModelError(
                    f"the pocketsphinx model is incomplete: {path} is missing",
                    "reinstall pocketsphinx with 'pip install --force-reinstall pocketsphinx'",
                )
        pocketsphinx.set_loglevel("FATAL")
        common = {
            "hmm": str(hmm),
            "lm": None,
            "loglevel": "FATAL",
            "compallsen": self.tuning.all_senones,
            "bestpath": False,
        }
        try:
            self._grammar = pocketsphinx.Decoder(pocketsphinx.Config(dict=_tiny_dictionary(), **common))
            self._phones = pocketsphinx.Decoder(pocketsphinx.Config(dict=_tiny_dictionary(), **common))
        except RuntimeError as error:
            raise EngineError(
                f"pocketsphinx could not start with the model in {self.model} ({error})",
                "reinstall pocketsphinx with 'pip install --force-reinstall pocketsphinx'",
            ) from error
        for decoder in (self._grammar, self._phones):
            for phone in GARBAGE_PHONES:
                decoder.add_word(garbage_word(phone), phone, False)
            for word, phone in NOISE_WORDS.items():
                decoder.add_word(word, phone, True)
        self._phones.add_jsgf_string("phones", build_phone_loop_jsgf())
        self._phones.activate_search("phones")
        self._cmn = _cmn_values(SPEECH_CMN)
        self._warm_up()

    def _warm_up(self) -> None:
        """Decode ``Tuning.warm_up_s`` of the noise floor on both decoders, so the first answer is judged
        on the same terms as the rest (see ``Tuning.warm_up_s``)."""
        floor = _Floor(self.tuning.noise_floor_rms).take(bytes_of(self.tuning.warm_up_s))
        if not floor:
            return
        self._grammar.add_jsgf_string("warm_up", build_jsgf(GrammarSpec((_START_WORD,))))
        self._grammar.activate_search("warm_up")
        for decoder in (self._grammar, self._phones):
            decoder.set_cmn(SPEECH_CMN)
            decoder.start_utt()
            decoder.process_raw(floor, False, True)
            decoder.end_utt()

    @property
    def dictionary(self) -> Path:
        """The CMU pronunciation dictionary file of the model (read a turn's new words at a time)."""
        return self.model / "cmudict-en-us.dict"

    @classmethod
    def load(cls) -> "PocketsphinxRecognizer":
        """The process-wide recogniser with the default tuning (loaded on first call, then shared)."""
        return _shared()

    @property
    def name(self) -> str:
        """Engine name as used by ``--engine``."""
        return "pocketsphinx"

    def open(self, phrases: Sequence[str]) -> "PocketsphinxSession":
        """Start decoding one utterance restricted to ``phrases``; raises EngineError for unknown words."""
        normalised = normalise_phrases(phrases)
        search = self._search_for(normalised)
        if self._active is not None:
            self._active.cancel()
        session = PocketsphinxSession(self, search, frozenset(normalised))
        self._active = session
        return session

    def _search_for(self, phrases: tuple[str, ...]) -> str:
        key = tuple(sorted(phrases))
        search = self._searches.get(key)
        if search is None:
            self._add_words(words_of(phrases))
            search = f"turn{len(self._searches)}"
            spec = GrammarSpec(
                phrases, garbage_weight=self.tuning.garbage_weight, noise_weight=self.tuning.noise_weight
            )
            try:
                self._grammar.add_jsgf_string(search, build_jsgf(spec))
            except ValueError as error:
                raise EngineError(
                    f"pocketsphinx could not compile the grammar for {list(phrases)} ({error})",
                    "use phrases of plain words",
                ) from error
            self._searches[key] = search
        return search

    def _add_words(self, words: list[str]) -> None:
        new = [word for word in dict.fromkeys(words) if word not in self._known]
        found = lookup_pronunciations(self.dictionary, new)
        for word in new:
            if word not in found:
                raise EngineError(
                    f"the word {word!r} is not in the pocketsphinx English dictionary",
                    "spell it as ordinary English words (numbers as words, e.g. 'twenty one')",
                )
            taken = list(dict.fromkeys(found[word]))
            taken += [v for v in accent_variants(taken[0]) if v not in taken]
            for number, phones in enumerate(taken, start=1):
                self._grammar.add_word(word if number == 1 else f"{word}({number})", phones, False)
            self._known.add(word)


@cache
def _noise(rms: int) -> bytes:
    """One second of repeatable Gaussian noise of ``rms`` (16-bit sample units)."""
    rng = random.Random(20_261_126)
    samples = [max(-32768, min(32767, round(rng.gauss(0.0, rms)))) for _ in range(SAMPLE_RATE)]
    return b"".join(s.to_bytes(2, "little", signed=True) for s in samples)


@cache
def _shared() -> PocketsphinxRecognizer:
    return PocketsphinxRecognizer()


_START_WORD = f"{garbage_word('ah')}_start"
"""The one word a decoder's dictionary starts with; also the warm-up grammar."""


@cache
def _tiny_dictionary() -> str:
    """A one-word dictionary to start a decoder with (it needs one): the phone decoder uses phones only,
    and the grammar decoder is given each turn's words as they come (``lookup_pronunciations``)."""
    handle, path = tempfile.mkstemp(prefix="voicecare-", suffix=".dict")
    os.write(handle, f"{_START_WORD} AH\n".encode())
    os.close(handle)
    return path


@dataclass(frozen=True)
class _FinalPass:
    """What the final pass over an utterance found: the result, the utterance's own cepstral mean, and
    the figures kept for calibration. ``kept_bytes`` is how much of the utterance's audio it decoded."""

    kept_bytes: int
    heard: Heard
    own_cmn: list[float]
    llr: float = 0.0
    coverage: float = 0.0
    uncovered_s: float = 0.0


@dataclass
class PocketsphinxSession:
    """One utterance decoded under one turn grammar; made by ``PocketsphinxRecognizer.open``.

    While audio comes in, the grammar decoder runs live (for partial results). The final pass decodes
    the utterance again with both decoders in batch mode, normalised on the utterance itself: as soon as
    ``Tuning.tail_s`` of silence has been fed, or at ``finish``.
    """

    recognizer: PocketsphinxRecognizer
    search: str
    phrases: frozenset[str]
    _floor: _Floor = field(init=False, repr=False)
    _audio: bytearray = field(init=False, default_factory=bytearray, repr=False)
    _open: bool = field(init=False, default=True)
    _partial: str = field(init=False, default="")
    _final: _FinalPass | None = field(init=False, default=None, repr=False)
    """The final pass done ahead; while it is set, the live pass is suspended."""
    last_llr: float = field(init=False, default=0.0)
    """The log-likelihood ratio of the finished utterance, in nats per 10 ms frame (for calibration)."""
    last_coverage: float = field(init=False, default=0.0)
    """Speech frames of the phrase path over speech frames of the phone loop path (for calibration)."""
    last_uncovered_s: float = field(init=False, default=0.0)
    """Phone-loop speech before or after the phrase, in seconds (for calibration)."""

    def __post_init__(self) -> None:
        self._floor = _Floor(self.recognizer.tuning.noise_floor_rms)
        self._audio.extend(self._floor.take(bytes_of(self.recognizer.tuning.pad_s)))
        self._start_live()

    def feed(self, chunk: Chunk, trailing_silence_s: float = 0.0) -> str:
        """Decode ``chunk`` (16 kHz mono int16) and return the partial hypothesis ("" when none).
        ``trailing_silence_s``: seconds of silence at the end of what has been fed, this chunk included;
        from ``Tuning.tail_s`` on, the final pass is done now, so that ``finish`` returns at once, and
        the hypothesis returned is its result ("" when rejected), surer than the live pass's."""
        if not self._open:
            return ""
        pcm = self._floor.mix(chunk)
        self._audio.extend(pcm)
        if self._final is None:
            self._decode_live(pcm)
        elif self._spoken_since_final(trailing_silence_s):
            self._start_live()
        if trailing_silence_s >= self.recognizer.tuning.tail_s:
            self._final_for(self._kept_bytes(trailing_silence_s))
        return self._partial

    def finish(self, trailing_silence_s: float = 0.0) -> Heard:
        """End the utterance and return the phrase heard, or a rejection. ``trailing_silence_s``: seconds
        of silence at the end of what was fed (all but ``Tuning.tail_s`` of it is not decoded)."""
        if not self._open:
            return Heard("", 0.0)
        final = self._final_for(self._kept_bytes(trailing_silence_s))
        self._close()
        recognizer = self.recognizer
        recognizer._cmn = _mix(recognizer._cmn, final.own_cmn, recognizer.tuning.cmn_follow)
        self.last_llr, self.last_coverage, self.last_uncovered_s = (
            final.llr,
            final.coverage,
            final.uncovered_s,
        )
        return final.heard

    def cancel(self) -> None:
        """Abandon the utterance; no result is produced."""
        if self._open:
            self._close()

    def _start_live(self) -> None:
        """Start the live pass over the audio so far (again, after a final pass done too soon). The audio
        goes in 100 ms at a time, as it came: ten seconds given to the live decoder at once after a
        final pass, then more, crashed pocketsphinx 5.1.1 (a segmentation fault in ``process_raw``)."""
        grammar = self.recognizer._grammar
        grammar.activate_search(self.search)
        grammar.set_cmn(_cmn_text(self.recognizer._cmn))
        grammar.start_utt()
        self._final = None
        self._decode_live(bytes(self._audio))

    def _final_for(self, kept_bytes: int) -> _FinalPass:
        """The final pass over the first ``kept_bytes`` of the audio: the one done ahead, or a new one."""
        if self._final is not None and self._final.kept_bytes == kept_bytes:
            return self._final
        if self._final is not None:
            self._start_live()
        self._final = self._final_pass(kept_bytes)
        self._partial = self._final.heard.text
        return self._final

    def _decode_live(self, pcm: bytes) -> None:
        grammar = self.recognizer._grammar
        for start in range(0, len(pcm), CHUNK_BYTES):
            grammar.process_raw(pcm[start : start + CHUNK_BYTES], False, False)
        words = _words(grammar.hyp())
        self._partial = "" if any(is_garbage(w) for w in words) else " ".join(words)

    def _spoken_since_final(self, trailing_silence_s: float) -> bool:
        """Whether audio fed since the final pass held speech: more of it than the trailing silence."""
        assert self._final is not None
        fed_since = len(self._audio) - self._final.kept_bytes
        return fed_since > bytes_of(trailing_silence_s - self.recognizer.tuning.tail_s + _FRAME_S)

    def _kept_bytes(self, trailing_silence_s: float) -> int:
        dropped = bytes_of(max(0.0, trailing_silence_s - self.recognizer.tuning.tail_s))
        return max(0, len(self._audio) - dropped)

    def _final_pass(self, kept_bytes: int) -> _FinalPass:
        """End the live pass and decode the first ``kept_bytes`` of the audio, padded, with both decoders."""
        recognizer = self.recognizer
        tuning = recognizer.tuning
        grammar = recognizer._grammar
        live = _cmn_values(grammar.get_cmn(True))
        grammar.end_utt()
        cmn = _cmn_text(_mix(recognizer._cmn, live, tuning.own_mean_share))
        audio = bytes(self._audio[:kept_bytes]) + _end_pad(tuning.noise_floor_rms, bytes_of(tuning.end_pad_s))
        for decoder in (grammar, recognizer._phones):
            decoder.set_cmn(cmn)
            decoder.start_utt()
            decoder.process_raw(audio, False, True)
            decoder.end_utt()
        return self._judge(kept_bytes, _cmn_values(grammar.get_cmn(False)))

    def _close(self) -> None:
        if self._final is None:
            self.recognizer._grammar.end_utt()
        self._open = False
        if self.recognizer._active is self:
            self.recognizer._active = None

    def _judge(self, kept_bytes: int, own_cmn: list[float]) -> _FinalPass:
        """The result of the final pass just decoded: the phrase, or a rejection (module docstring)."""
        grammar = self.recognizer._grammar
        words = _words(grammar.hyp())
        text = " ".join(words)
        grammar_score, speech_frames = _path_score(grammar)
        phone_score, phone_frames = _path_score(self.recognizer._phones)
        coverage = speech_frames / max(phone_frames, 1)
        if speech_frames == 0 or not text:
            heard = Heard("", 0.0, rejected=True, hypothesis="")
            return _FinalPass(kept_bytes, heard, own_cmn, coverage=coverage)
        llr = (grammar_score - phone_score) / speech_frames
        tuning = self.recognizer.tuning
        confidence = _logistic((llr - tuning.llr_sure) / tuning.llr_scale)
        if any(is_garbage(w) for w in words) or text not in self.phrases:
            rejected = Heard("", min(confidence, 0.5), rejected=True, hypothesis="")
            return _FinalPass(kept_bytes, rejected, own_cmn, llr, coverage)
        uncovered_s = _uncovered_s(_speech_spans(grammar), _speech_spans(self.recognizer._phones))
        consistent = tuning.min_coverage <= coverage <= tuning.max_coverage
        consistent = consistent and uncovered_s < tuning.max_uncovered_s
        poor = llr < tuning.llr_threshold or not consistent
        heard = Heard(text, confidence, rejected=poor, hypothesis=text)
        return _FinalPass(
            kept_bytes,
            heard if not heard.rejected else replace(heard, text=""),
            own_cmn,
            llr,
            coverage,
            uncovered_s,
        )


@cache
def _end_pad(rms: int, n_bytes: int) -> bytes:
    """The noise floor after every utterance's final pass: the same each time, so a final pass done ahead
    and one done at the end decode the same audio."""
    return _Floor(rms).take(n_bytes)


def _words(hyp: pocketsphinx.Hypothesis | None) -> list[str]:
    """The words of a hypothesis, without the ``(2)`` marks of alternative pronunciations."""
    if hyp is None:
        return []
    return [word.split("(", 1)[0] for word in hyp.hypstr.split()]


def _cmn_text(mean: list[float]) -> str:
    """A cepstral mean as pocketsphinx's ``set_cmn`` takes it: comma-separated numbers."""
    return ",".join(f"{value:.2f}" for value in mean)


def _cmn_values(text: str) -> list[float]:
    """A cepstral mean as pocketsphinx's ``get_cmn`` gives it, as numbers."""
    return [float(value) for value in text.split(",")]


def _mix(old: list[float], new: list[float], share: float) -> list[float]:
    """``old`` moved ``share`` (0 to 1) of the way towards ``new``, value by value."""
    return [(1 - share) * a + share * b for a, b in zip(old, new, strict=True)]


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


_FRAME_S = 0.01
"""One feature frame (s): the least speech the endpointer can find between two silences is two."""


_SCORE_SCALE = 1024
"""pocketsphinx keeps search scores shifted down by 10 bits (SENSCR_SHIFT); this undoes it."""
_UNDERFLOW = math.log(5e-324) * _SCORE_SCALE
"""The log score of a segment whose score underflowed a double: very poor."""

_SILENCES = {"<s>", "<sil>", "SIL", "[NOISE]", "[SPEECH]", "+NSN+", "+SPN+", "(NULL)"}


def _path_score(decoder: pocketsphinx.Decoder) -> tuple[float, int]:
    """Acoustic log score of the decoder's best path in nats, and its count of non-silence frames."""
    total = 0.0
    for segment in decoder.seg() or ():
        if segment.word != "</s>":
            total += math.log(segment.ascore) * _SCORE_SCALE if segment.ascore > 0 else _UNDERFLOW
    return total, sum(end - start + 1 for start, end in _speech_spans(decoder))


def _speech_spans(decoder: pocketsphinx.Decoder) -> list[tuple[int, int]]:
    """First and last frame of each word of the best path that is neither silence nor noise."""
    return [
        (segment.start_frame, segment.end_frame)
        for segment in decoder.seg() or ()
        if segment.word not in _SILENCES and segment.word not in NOISE_WORDS and segment.start_frame >= 0
    ]


def _uncovered_s(phrase: list[tuple[int, int]], phones: list[tuple[int, int]]) -> float:
    """Seconds of phone-loop speech before the phrase's first word or after its last, whichever is more."""
    if not phrase:
        return 0.0
    first, last = phrase[0][0], phrase[-1][1]
    before = sum(min(end, first - 1) - start + 1 for start, end in phones if start < first)
    after = sum(end - max(start, last + 1) + 1 for start, end in phones if end > last)
    return max(before, after) / 100
