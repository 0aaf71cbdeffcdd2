"""The embedded English recogniser: pocketsphinx 5 with the en-US model shipped in its wheel.

Method
------
Loading: the acoustic model only, no n-gram language model and no dictionary, then 2 s of warm-up
(about 0.15 s in all; ``Tuning.warm_up_s`` says why): each turn's new words are looked up in the CMU
dictionary file and added (``pronunciations``), which saves the 24 MB the whole dictionary takes in
memory. Two decoders, each with the same acoustic model:

- the *grammar decoder* runs a JSGF grammar built per turn and cached per phrase set
  (``grammar.build_jsgf``): the turn's phrases as whole alternatives, plus a weak noise-only
  alternative (``NOISE_WORDS``). Each phrase word also gets accent variants (non-rhotic, trap-bath,
  ``grammar.accent_variants``) added with ``Decoder.add_word``, so British and Scottish speech fits;
- the *phone decoder* runs an unconstrained loop of 16 one-phone pseudo-words (``GARBAGE_PHONES``,
  added with ``add_word``): the best a free phone string does on the same audio. (pocketsphinx's own
  allphone search reports no usable per-segment scores through the Python API, so the loop is an FSG.)

While audio comes in, only the grammar decoder runs, live, for partial results, starting from a
running cepstral mean that follows the speaker slowly (``Tuning.cmn_follow``), so a run of short
answers, mostly silence, does not drag it away from speech. The final pass decodes the utterance again
with both decoders, from halfway between the running mean and the mean the live pass estimated on this
utterance (a second pass that does not lag behind as a live decoder does), on the utterance up to
``Tuning.tail_s`` of the silence after it, then ``Tuning.end_pad_s`` of the noise floor. So it can run
as soon as that much silence has followed the speech (``feed`` is told the silence), and the result is
ready when the utterance is declared over. The live pass is then suspended; should speech follow after
all, it is run again over the whole utterance before the next final pass. Measured against the
utterance's own mean alone and the running mean alone: simulated stops over narration heard 6/6, 6/6
and 2/6; the demo person's answers asked again 22, 28 and 15 times; yes/no turn 88%, 87% and 88%.
Then, in this order:

1. complete phrase: the hypothesis must be exactly one whole phrase (no noise word, not a partial path);
2. log-likelihood ratio ``llr`` = (grammar path acoustic score - phone loop acoustic score) / speech
   frames of the grammar path, in nats per 10 ms frame; below ``Tuning.llr_threshold`` is rejected.
   The confidence is a logistic of ``llr`` around ``Tuning.llr_sure``, which sits higher: a phrase
   between the two is accepted with a confidence under ``SURE_CONFIDENCE``, enough for a yes (read
   back), a doubt or a number, but a "no" or a command is asked again (``understanding.trust``);
3. consistency with the phone loop: the phrase's speech frames must be ``min_coverage`` to
   ``max_coverage`` times the phone loop's (far more means the phrase was forced onto noise), and the
   phone loop must not hear ``max_uncovered_s`` or more of speech before or after the phrase (the rest
   of a longer sentence).

The thresholds were calibrated on espeak-ng speech on the screening's real yes/no grammar (six voices,
130 and 175 wpm, its 85 phrases and 34 out-of-grammar words and sentences each: 1,448 utterances), with
the human recordings of tests/data and pocketsphinx-testdata as out-of-grammar checks (with the mean
carried wholly from one utterance to the next, as before ``cmn_follow``). Per meaning, the
share of replies heard right against replies wrongly taken as that meaning: a "no" at -0.25 116/180
against 8, at -0.5 129/180 against 8, at -1.0 145/180 against 14; a doubt at -0.25 163/240 against 1,
at -1.0 196/240 against 5; a yes at -1.0 206/240 against 23. The wrongly taken "no"s are "go" and
"nose", which sound like it. tests/test_recognition_accuracy.py reports the figures per voice.

Those figures were for thresholds of -1.0 and -0.5 with the final pass done after the whole hangover.
Done after ``Tuning.tail_s`` of silence (0.1 s, then 0.6 s of floor), it scores speech higher, so the
same set was measured again: at -1.0 and -0.5, 876 of 1,020 replies right against 834, but 10 wrongly
taken as "no" against 8, and 80 out-of-grammar utterances accepted against 68. At -0.75 and -0.25
(``llr_threshold``, ``llr_sure``) every count is better than before: 858 right, 7 wrongly taken as "no"
(all "go" and "nose"), 64 out-of-grammar accepted, 15 of them as a yes against 20; a yes 212/240, a no
137/180, a doubt 194/240. On the dialogue benchmark the en-us person was
asked again 0 times instead of 18, the person with a fever 0 instead of 4.

Front end: synthetic and digitally silent audio has exact zeros, which the model (trained on real
recordings) never heard; a fixed low noise floor (``Tuning.noise_floor_rms``, about -56 dBFS) is mixed
in, which leaves a real microphone's signal practically unchanged, and each utterance is padded with
that floor at both ends (``Tuning.pad_s``, ``Tuning.end_pad_s``). On espeak-ng this alone took number
accuracy from about 74% to 87%.

Words not in the dictionary raise ``EngineError`` naming the word: a guessed pronunciation would fail
silently, and the grammar's words are content the project controls.

One recogniser decodes one utterance at a time: opening a session abandons any session still open.
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
    """JSGF weight of a phone loop inside the turn grammar against 1.0 for the phrases (0: off). Measured
    at 1e-3 and 1e-12 it took a third of in-grammar answers and tripled decoding time, hence off."""
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
    At 1.7, a clear "stop" in two of three voices spanned 2.0 to 2.2 and was rejected; raising it to 2.5
    changed nothing else on the calibration set."""
    llr_scale: float = 0.3
    """Width of the logistic that maps the ratio to a 0..1 confidence (centred on ``llr_sure``), in nats
    per frame."""
    noise_floor_rms: int = 50
    """RMS of the noise floor mixed into the audio, in 16-bit sample units."""
    pad_s: float = 0.2
    """Noise-floor padding before each utterance, in seconds."""
    end_pad_s: float = 0.6
    """Noise-floor padding after the ``tail_s`` of silence kept for the final pass, in seconds. The
    thresholds were calibrated with the endpointer's 0.6 s hangover and 0.2 s of padding after each
    utterance. Measured on four en-us "no"s (160 wpm) in a row: with 0.1 + 0.2 s of silence after them,
    -1.32 to -0.60 of log-likelihood ratio (three rejected); with 0.1 + 0.6 s, +0.10 to +0.44."""
    cmn_follow: float = 0.3
    """Share of each utterance's own cepstral mean taken into the running mean the next utterance starts
    from (the rest is the running mean so far). pocketsphinx's own estimate after an utterance follows it
    wholly, and a short answer is mostly silence: the same "no" said again and again lost about 0.2 of
    log-likelihood ratio each time (+0.5 to -1.3 over five). Following by 0.3 held it at +0.8 to +1.3."""
    own_mean_share: float = 0.5
    """Where the second pass's cepstral mean lies between the running mean (0) and the mean the live pass
    estimated on this utterance (1); the module docstring gives the measurements behind 0.5."""
    warm_up_s: float = 2.0
    """Seconds of the noise floor both decoders decode when loaded. pocketsphinx's feature extraction
    keeps state from one utterance to the next that ``set_cmn`` does not reset, and the thresholds were
    calibrated on decoders that had decoded before: a cold decoder judged the first answer on other
    terms (the same en-us "no" at confidence 0.40 first, then 0.99). After 2 s of floor it was 0.99 at
    once (0.62 after 1 s); it adds about 0.09 s to loading. ``reinit_feat`` before each utterance would
    make every decode independent of the past, but measured on the calibration set it heard fewer "no"s
    at the same thresholds (103 of 180 against 129), and the thresholds would need calibrating anew."""
    tail_s: float = 0.1
    """Seconds of the silence after speech kept for the final pass (``end_pad_s`` of the floor follows);
    the rest is dropped. So the final pass can be decoded as soon as this much silence has followed the
    speech, with the same result whether the utterance then ends early or waits out the hangover."""
    all_senones: bool = False
    """Score every senone each frame (``compallsen``); about 3x slower and no better separation measured."""


SPEECH_CMN = "46.01,-12.67,-3.13,14.25,-4.75,-5.13,-3.90,-8.95,-4.25,-5.28,-1.20,-2.57,-2.06"
"""The cepstral mean both decoders start from: the live estimate after 40 utterances of speech (4 voices,
130 wpm). pocketsphinx's own start value is far from speech, so the first answers after loading were
rejected: on 10 first answers in fresh recognisers, 1 was heard with its start value and 5 with this one.
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
        audio = bytes(self._audio[:kept_bytes]) + _end_pad(
            tuning.noise_floor_rms, bytes_of(tuning.end_pad_s)
        )
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
            return _FinalPass(kept_bytes, Heard("", 0.0, rejected=True), own_cmn, coverage=coverage)
        llr = (grammar_score - phone_score) / speech_frames
        tuning = self.recognizer.tuning
        confidence = _logistic((llr - tuning.llr_sure) / tuning.llr_scale)
        if any(is_garbage(w) for w in words) or text not in self.phrases:
            rejected = Heard("", min(confidence, 0.5), rejected=True)
            return _FinalPass(kept_bytes, rejected, own_cmn, llr, coverage)
        uncovered_s = _uncovered_s(_speech_spans(grammar), _speech_spans(self.recognizer._phones))
        consistent = tuning.min_coverage <= coverage <= tuning.max_coverage
        consistent = consistent and uncovered_s < tuning.max_uncovered_s
        heard = Heard(text, confidence, rejected=llr < tuning.llr_threshold or not consistent)
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
