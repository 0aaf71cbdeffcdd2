"""Tier 3: pocketsphinx accuracy and false accepts on espeak-ng speech, per voice, on the real turn grammars.

The grammars are the ones the screening gives the recogniser (``TurnUnderstanding.phrases``): a yes/no
turn (about 85 phrases: answers, doubts, commands, the spoken self-harm phrases) and an age turn (the
numbers 0 to 110 and the rest). What counts is what the dialogue would make of what was heard: the
reply parsed for the turn and weighed by ``understanding.trust.believed`` (a "no" or a command heard with
less than ``SURE_CONFIDENCE`` is asked again).

Voices: the two voices a default install speaks with (``en-us``, ``en-gb``), a regional accent
(``en-gb-scotland``) and a higher, female variant (``en-us+f3``). They were chosen before anything was
measured, to span accent and pitch, and none was dropped after. Rates: 130 and 175 words per minute
(slow and ordinary). espeak-ng's formant voices are far from the human speech the model was trained on,
so these figures are a floor, not a promise for people.

Every utterance goes through ``listen`` (endpointing, then the recogniser) with silence around it, as a
microphone would give it. The table of results per voice is printed at the end of the session.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import DATA
from voicecare.audio.pcm import silence, split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.dialogue.prompt import Prompt
from voicecare.recognition.listening import listen
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer
from voicecare.recognition.ports import Heard
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Command, Number
from voicecare.understanding.trust import believed
from voicecare.understanding.turn_understanding import TurnUnderstanding

UNDERSTANDING = TurnUnderstanding()
YES_NO_PROMPT = Prompt("fever", "Have you felt feverish?")
AGE_PROMPT = Prompt("age", "How old are you?", kind=AnswerKind.NUMBER)
VOICES = ("en-us", "en-gb", "en-gb-scotland", "en-us+f3")
RATES_WPM = (130, 175)
COMMANDS = ("help", "repeat", "stop", "pause", "resume", "slower", "faster")

YES_NO_SAID = ("yes", "yeah", "yes i do", "yes it is", "no", "nope", "not really", "no it isn't")
YES_NO_SAID += ("not sure", "i don't know", *COMMANDS)
NUMBERS_SAID = ("seven", "nineteen", "twenty five", "thirty", "forty two", "fifty", "sixty eight", "seventy")
NUMBERS_SAID += ("eighty one", "ninety", "not sure", *COMMANDS)
OUT_OF_GRAMMAR = (
    "the weather is lovely today",
    "my back hurts a lot",
    "what time is it",
    "maybe later",
    "twenty",
)


def meaning(text: str, prompt: Prompt, confidence: float = 1.0) -> str:
    """What the dialogue would take ``text`` heard at ``confidence`` to mean for ``prompt``: yes, no,
    unsure, a number, a command, or "(nothing)" when it would ask again."""
    if not text:
        return "(nothing)"
    answer = believed(UNDERSTANDING.parse(text, prompt), confidence)
    if isinstance(answer, Command):
        return answer.name.value
    if isinstance(answer, Number):
        return str(answer.value)
    return "(nothing)" if answer.label == "unclear" else answer.label


@dataclass(frozen=True)
class Trial:
    turn: str
    voice: str
    rate_wpm: int
    said: str
    heard: str
    confidence: float
    in_grammar: bool

    @property
    def prompt(self) -> Prompt:
        return YES_NO_PROMPT if self.turn == "yes/no" else AGE_PROMPT

    @property
    def taken(self) -> str:
        """What the dialogue makes of what was heard."""
        return meaning(self.heard, self.prompt, self.confidence)

    @property
    def meant(self) -> str:
        return meaning(self.said, self.prompt) if self.in_grammar else "(out of grammar)"

    @property
    def correct(self) -> bool:
        return self.taken == self.meant


def _said(turn: str) -> Iterator[tuple[str, bool]]:
    phrases = YES_NO_SAID if turn == "yes/no" else NUMBERS_SAID
    yield from ((p, True) for p in phrases)
    yield from ((p, False) for p in OUT_OF_GRAMMAR)


def _accepted(heard: Heard) -> tuple[str, float]:
    return (heard.text, heard.confidence) if heard.accepted else ("", 0.0)


@pytest.fixture(scope="session")
def trials(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> list[Trial]:
    """Every phrase and out-of-grammar sentence, in every voice at every rate, recognised once."""
    require_espeak()
    speech = EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")
    recognizer = PocketsphinxRecognizer.load()
    found: list[Trial] = []
    for turn, prompt in (("yes/no", YES_NO_PROMPT), ("numbers", AGE_PROMPT)):
        grammar = UNDERSTANDING.phrases(prompt)
        for voice in VOICES:
            for rate in RATES_WPM:
                for said, in_grammar in _said(turn):
                    assert not in_grammar or said in grammar, f"{said!r} is not in the {turn} grammar"
                    pcm = silence(0.5) + speech.pcm(said, voice, rate) + silence(1.0)
                    text, confidence = _accepted(listen(recognizer, split_chunks(pcm), grammar))
                    found.append(Trial(turn, voice, rate, said, text, confidence, in_grammar))
    _report(found, request)
    return found


def _report(found: list[Trial], request: pytest.FixtureRequest) -> None:
    rows: dict[tuple[str, str], list[Trial]] = defaultdict(list)
    for trial in found:
        rows[(trial.turn, trial.voice)].append(trial)
    lines = [
        "",
        "pocketsphinx on espeak-ng speech (130 and 175 wpm)",
        "turn     voice            correct  false accepts (out of grammar)",
    ]
    for (turn, voice), group in sorted(rows.items()):
        said = [t for t in group if t.in_grammar]
        oog = [t for t in group if not t.in_grammar]
        correct = sum(t.correct for t in said)
        accepted = sum(t.taken != "(nothing)" for t in oog)
        share = f"{correct:3}/{len(said):<3} {correct / len(said):4.0%}"
        lines.append(f"{turn:8} {voice:16} {share}  {accepted}/{len(oog)}")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    text = "\n".join(lines)
    if reporter is not None:
        request.config.add_cleanup(lambda: reporter.write_line(text))
    else:
        print(text)


def share_correct(trials: list[Trial], turn: str) -> float:
    said = [t for t in trials if t.turn == turn and t.in_grammar]
    return sum(t.correct for t in said) / len(said)


def test_yes_no_turn_is_at_least_85_percent_correct(trials: list[Trial]) -> None:
    """Measured 88% (120/136). With one rejection threshold (before ``trust``) it was 75%; with ``trust``
    and the speaker's cepstral mean followed wholly (before ``Tuning.cmn_follow``), 82%."""
    assert share_correct(trials, "yes/no") >= 0.85


def test_age_turn_is_at_least_62_percent_correct(trials: list[Trial]) -> None:
    """Measured 70% (101/144) on the 180-phrase age grammar (49% before ``trust``, 65% before
    ``Tuning.cmn_follow``); each number heard is read back."""
    assert share_correct(trials, "numbers") >= 0.62


def test_yes_is_never_taken_as_no_nor_no_as_yes(trials: list[Trial]) -> None:
    swapped = [t for t in trials if {t.meant, t.taken} == {"yes", "no"}]
    assert swapped == []


def test_no_reply_that_is_not_a_no_is_ever_taken_as_no(trials: list[Trial]) -> None:
    wrong = [t for t in trials if t.taken == "no" and t.meant != "no"]
    assert wrong == []


def test_out_of_grammar_speech_is_rarely_taken_as_yes(trials: list[Trial]) -> None:
    """A wrong yes is read back ("you said yes to ..."), so it costs a question, not safety."""
    oog = [t for t in trials if not t.in_grammar]
    as_yes = [t for t in oog if t.taken == "yes"]
    assert len(as_yes) <= 0.1 * len(oog)


def test_noise_is_never_taken_as_an_answer() -> None:
    recognizer = PocketsphinxRecognizer.load()
    grammar = UNDERSTANDING.phrases(YES_NO_PROMPT)
    noise = read_wav(DATA / "noise_1000ms.wav")
    for pcm in (noise, noise + noise, silence(0.3) + noise + silence(0.8)):
        text, confidence = _accepted(listen(recognizer, split_chunks(pcm), grammar))
        assert meaning(text, YES_NO_PROMPT, confidence) in {"(nothing)", "help", "repeat"}
