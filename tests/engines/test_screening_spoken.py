"""Tier 3: whole screenings spoken end to end: espeak-ng answer tapes into ``voicecare screen --audio-in``.

Each tape holds one person's answers (varied espeak-ng voices and phrasings), apart by silence; the real
embedded recogniser (pocketsphinx) hears them and voicecare's speech goes to ``--audio-out``. Each run must
end with the person's outcome (every emergency case ``emergency``) and everything it said in the WAV, and
never hear a yes on the tape as a no. The same answers typed must give the same questions, read-backs
included, except in the Scottish voice: pocketsphinx rejects espeak-ng's Scottish "no", so voicecare asks
again and the rest of the tape answers other questions than it was made for (see the README's limits).
"""

import json
import math
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.question_order import assert_json_in_order
from voicecare.audio.pcm import SAMPLE_RATE
from voicecare.audio.wav_files import read_wav, write_wav
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Yes
from voicecare.understanding.parse import parse

NOISE = "<noise>"
"""A burst of noise on the tape where an answer would be: voicecare must ask again."""
NOISE_TYPED = "purple"
"""What stands for the noise in text mode: a reply that is not understood."""
GAP_S = 1.2
"""Silence between answers on a tape, in seconds (more than the endpointer's 0.6 s end of speech)."""
RATE_WPM = 150


@dataclass(frozen=True)
class SpokenPerson:
    """A person's answers in order, the espeak-ng voice that says them, and the outcome they must get."""

    name: str
    voice: str
    answers: tuple[str, ...]
    disposition: str
    heard_as_typed: bool = True
    """False where the voice's "no" is not heard (espeak-ng's Scottish voice): the dialogue then differs."""

    @property
    def typed(self) -> list[str]:
        return [NOISE_TYPED if a == NOISE else a for a in self.answers]


PEOPLE = [
    SpokenPerson(
        "saddle numbness",
        "en-us",
        ("no", "forty two", "that's right", "yes it does", "that's right"),
        "emergency",
    ),
    SpokenPerson(
        "noise is asked again",
        "en-us+f3",
        ("no I haven't", "fifty", "yes", "no it doesn't", NOISE, "yes it does", "yes"),
        "emergency",
    ),
    SpokenPerson(
        "read-back answered no",
        "en-us+f3",
        ("no I haven't", "sixty", "yes", "yes it does", "no it isn't", "yes it does"),
        "emergency",
    ),
    SpokenPerson(
        "age read back wrong",
        "en-gb-scotland",
        ("yes", "yes", "fifteen", "no", "fifty", "yes", "yes it does", "yes"),
        "emergency",
        heard_as_typed=False,
    ),
    SpokenPerson(
        "not sure is possible",
        "en-us",
        ("no", "forty two", "yes it is", "not sure"),
        "emergency",
    ),
    SpokenPerson(
        "cancer history and a numb bottom",
        "en-gb",
        ("yes", "yes it is", "sixty", "yes it is", "yes it does", "yes"),
        "emergency",
    ),
    SpokenPerson("the tape runs out", "en-us+f3", ("no I haven't",), "urgent"),
    SpokenPerson(
        "noise on a read-back keeps the yes",
        "en-gb-scotland",
        ("no", "forty two", "yes", "yes it does", NOISE, NOISE, NOISE),
        "emergency",
        heard_as_typed=False,
    ),
]


def noise(seconds: float, seed: int) -> bytes:
    """White noise at about a tenth of full scale: speech-like energy that is no word."""
    generator = random.Random(seed)
    count = int(seconds * SAMPLE_RATE)
    samples = (int(max(-32768, min(32767, generator.gauss(0.0, 3000.0)))) for _ in range(count))
    return b"".join(sample.to_bytes(2, "little", signed=True) for sample in samples)


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> EspeakSpeech:
    require_espeak()
    return EspeakSpeech(tmp_path_factory.mktemp("espeak"))


def make_tape(person: SpokenPerson, speech: EspeakSpeech, path: Path) -> None:
    gap = bytes(2 * int(GAP_S * SAMPLE_RATE))
    pcm = gap
    for index, answer in enumerate(person.answers):
        said = noise(0.8, index) if answer == NOISE else speech.pcm(answer, person.voice, RATE_WPM)
        pcm += said + gap
    write_wav(path, pcm)


@dataclass(frozen=True)
class SpokenRun:
    events: list[dict[str, Any]]
    said_s: float
    """Length of the ``--audio-out`` WAV in seconds."""
    typed_events: list[dict[str, Any]]
    """The events of the same answers typed (``--text``)."""


@pytest.fixture(scope="module", params=PEOPLE, ids=[p.name for p in PEOPLE])
def spoken_run(
    request: pytest.FixtureRequest, speech: EspeakSpeech, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SpokenPerson, SpokenRun]:
    person: SpokenPerson = request.param
    folder = tmp_path_factory.mktemp("tape")
    tape, said = folder / "answers.wav", folder / "said.wav"
    make_tape(person, speech, tape)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "voicecare.cli.main",
            "screen",
            "--audio-in",
            str(tape),
            "--audio-out",
            str(said),
            "--json",
            "--no-save",
            "--engine",
            "pocketsphinx",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "VOICECARE_CHECKER": "off"},
    )
    assert done.returncode == 0, done.stderr
    typed = subprocess.run(
        [sys.executable, "-m", "voicecare.cli.main", "screen", "--text", "--json", "--no-save"],
        input="\n".join(person.typed) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert typed.returncode == 0, typed.stderr
    return person, SpokenRun(
        events=[json.loads(line) for line in done.stdout.splitlines()],
        said_s=len(read_wav(said)) / (2 * SAMPLE_RATE),
        typed_events=[json.loads(line) for line in typed.stdout.splitlines()],
    )


def outcome(events: list[dict[str, Any]]) -> str:
    return next(e["disposition"] for e in events if e["type"] == "outcome")


def questions(events: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """The questions put, in order, without those cut short because the reply before them was revised
    (``revised`` heard events): those are put again once the revised reply is taken."""
    asked: list[tuple[str, bool]] = []
    since_heard = 0
    for event in events:
        if event["type"] == "ask":
            asked.append((event["id"], event.get("readback", False)))
            since_heard += 1
        elif event["type"] == "heard":
            if event.get("revised", False):
                del asked[len(asked) - since_heard :]
            since_heard = 0
    return asked


def test_each_person_gets_their_outcome_spoken_and_typed(spoken_run: tuple[SpokenPerson, SpokenRun]) -> None:
    person, run = spoken_run
    assert outcome(run.events) == person.disposition
    assert outcome(run.typed_events) == person.disposition


def test_the_spoken_dialogue_asks_what_the_typed_one_asks(spoken_run: tuple[SpokenPerson, SpokenRun]) -> None:
    """Where a voice's "no" is not heard, the two part where voicecare asks again, never before."""
    person, run = spoken_run
    spoken, typed = questions(run.events), questions(run.typed_events)
    if person.heard_as_typed:
        assert spoken == typed
    else:
        parting = next(i for i, (a, b) in enumerate(zip(spoken, typed, strict=False)) if a != b)
        assert parting > 0 and spoken[parting] == spoken[parting - 1]


def test_a_yes_on_the_tape_is_never_heard_as_a_no(spoken_run: tuple[SpokenPerson, SpokenRun]) -> None:
    """The tape moves on only while voicecare listens, so each turn that heard something (not a silence)
    took the next answer on the tape: a yes there must not come out as a no, even after a miss. A reply
    heard again in full (``revised``) replaces the provisional one it revises."""
    person, run = spoken_run
    heard: list[str] = []
    for event in run.events:
        if event["type"] == "heard" and event["answer"] != "silence":
            heard[len(heard) - event.get("revised", False) :] = [event["answer"]]
    taken = person.answers[: len(heard)]
    said_yes = [isinstance(parse(a, AnswerKind.YES_NO), Yes) for a in taken]
    assert [h for h, yes in zip(heard, said_yes, strict=True) if yes and h == "no"] == []


def test_everything_said_is_in_the_output_wav(spoken_run: tuple[SpokenPerson, SpokenRun]) -> None:
    _, run = spoken_run
    words = sum(len(e["text"].split()) for e in run.events if e["type"] in ("ask", "say"))
    assert run.said_s >= words / 400 * 60, "less audio than the fastest speech of every sentence said"
    assert math.isfinite(run.said_s)


def test_the_run_ends_with_one_outcome(spoken_run: tuple[SpokenPerson, SpokenRun]) -> None:
    _, run = spoken_run
    assert len([e for e in run.events if e["type"] == "outcome"]) == 1
    assert run.events[-1] == {"type": "end"}


def test_the_questions_stay_in_order(spoken_run: tuple[SpokenPerson, SpokenRun]) -> None:
    """No re-ask or correction of a question after a later one (issue 12 item 2), spoken or typed."""
    _, run = spoken_run
    assert_json_in_order(run.events)
    assert_json_in_order(run.typed_events)
