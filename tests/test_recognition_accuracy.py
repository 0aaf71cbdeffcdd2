"""Tier 3: pocketsphinx accuracy and false accepts on espeak-ng speech, per voice, on two turn grammars.

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
from tests.espeak_speech import EspeakSpeech, require_espeak
from voicecare.audio.pcm import silence, split_chunks
from voicecare.audio.wav_files import read_wav
from voicecare.recognition.listening import listen
from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer

pytestmark = pytest.mark.engine

VOICES = ("en-us", "en-gb", "en-gb-scotland", "en-us+f3")
RATES_WPM = (130, 175)
COMMANDS = ("help", "repeat", "stop", "pause", "resume", "slower", "faster")

YES_CLASS = ("yes", "yeah", "yes i do", "yes it is")
NO_CLASS = ("no", "nope", "no i don't", "no it isn't")
YES_NO_TURN = (*YES_CLASS, *NO_CLASS, "not sure", *COMMANDS)
NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
NUMBER_TURN = (*NUMBERS, *COMMANDS)
OUT_OF_GRAMMAR = (
    "the weather is lovely today",
    "my back hurts a lot",
    "what time is it",
    "i think so",
    "maybe later",
    "twenty",
)


def meaning(phrase: str) -> str:
    """What the dialogue would take ``phrase`` to mean: yes, no, or the phrase itself."""
    if phrase in YES_CLASS:
        return "yes"
    if phrase in NO_CLASS:
        return "no"
    return phrase or "(nothing)"


@dataclass(frozen=True)
class Trial:
    turn: str
    voice: str
    rate_wpm: int
    said: str
    heard: str
    in_grammar: bool

    @property
    def correct(self) -> bool:
        return meaning(self.heard) == meaning(self.said)


def _said(turn: str) -> Iterator[tuple[str, bool]]:
    phrases = YES_NO_TURN if turn == "yes/no" else NUMBER_TURN
    yield from ((p, True) for p in phrases)
    yield from ((p, False) for p in OUT_OF_GRAMMAR)


@pytest.fixture(scope="session")
def trials(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> list[Trial]:
    """Every phrase and out-of-grammar sentence, in every voice at every rate, recognised once."""
    require_espeak()
    speech = EspeakSpeech(tmp_path_factory.getbasetemp() / "espeak-cache")
    recognizer = PocketsphinxRecognizer.load()
    found: list[Trial] = []
    for turn, grammar in (("yes/no", YES_NO_TURN), ("numbers", NUMBER_TURN)):
        for voice in VOICES:
            for rate in RATES_WPM:
                for said, in_grammar in _said(turn):
                    pcm = silence(0.5) + speech.pcm(said, voice, rate) + silence(1.0)
                    heard = listen(recognizer, split_chunks(pcm), grammar)
                    found.append(
                        Trial(turn, voice, rate, said, heard.text if heard.accepted else "", in_grammar)
                    )
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
        accepted = sum(bool(t.heard) for t in oog)
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
    assert share_correct(trials, "yes/no") >= 0.85


def test_number_turn_is_at_least_75_percent_correct(trials: list[Trial]) -> None:
    assert share_correct(trials, "numbers") >= 0.75


def test_yes_is_never_heard_as_no_nor_no_as_yes(trials: list[Trial]) -> None:
    swapped = [t for t in trials if {meaning(t.said), meaning(t.heard)} == {"yes", "no"}]
    assert swapped == []


def test_nothing_else_is_ever_heard_as_yes_or_no(trials: list[Trial]) -> None:
    wrong = [t for t in trials if meaning(t.heard) in {"yes", "no"} and meaning(t.said) not in {"yes", "no"}]
    assert wrong == []


def test_noise_is_never_heard_as_yes_or_no() -> None:
    recognizer = PocketsphinxRecognizer.load()
    noise = read_wav(DATA / "noise_1000ms.wav")
    for pcm in (noise, noise + noise, silence(0.3) + noise + silence(0.8)):
        heard = listen(recognizer, split_chunks(pcm), YES_NO_TURN)
        assert meaning(heard.text) not in {"yes", "no"} or not heard.accepted
