"""``voicecare relax``, ``breathe`` and ``reframe`` run in-process through ``main()`` (stdin and stdout
replaced): typed on a pipe or a terminal with ``--json``, and rendered to a WAV with the real synthesiser
(``--audio-out`` without ``--audio-in``)."""

import io
import json
import os
import pty
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from voicecare.audio.pcm import duration_s
from voicecare.audio.wav_files import read_wav
from voicecare.cli.main import main
from voicecare.exercises.script import ExerciseOptions, Say
from voicecare.exercises.timeline import ExerciseName, build_timeline, default_scripts, words_estimator
from voicecare.narration.warning_signs import load_warning_signs
from voicecare.narration.wording import load_player_wording
from voicecare.screening.safety import load_safety
from voicecare.speech.cached import CachedSynthesizer
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer
from voicecare.understanding.answer_kind import AnswerKind

Event = dict[str, Any]


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty config file, so the person's own settings stay out."""
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def synthesizer() -> Iterator[CachedSynthesizer]:
    with Pyttsx3Synthesizer() as inner:
        yield CachedSynthesizer(inner)


class Voicecare:
    """The CLI run in-process through ``main()`` with no ``VOICECARE_*`` settings from the environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self._monkeypatch, self._capsys = monkeypatch, capsys
        for name in os.environ:
            if name.startswith("VOICECARE_"):
                monkeypatch.delenv(name)

    def __call__(
        self, config: Path, *args: str, typed: str = "", stdin: io.TextIOBase | None = None
    ) -> tuple[list[Event], str]:
        """Run the CLI with ``typed`` on stdin (or ``stdin``); the JSON events on stdout (every line must
        be one) and stderr."""
        self._monkeypatch.setattr("sys.stdin", io.StringIO(typed) if stdin is None else stdin)
        self._capsys.readouterr()
        code = main([*args, "--json", "--no-save", "--config", str(config)])
        out, err = self._capsys.readouterr()
        assert code == 0, err
        events = [json.loads(line) for line in out.splitlines()]
        assert all(isinstance(e, dict) and "type" in e for e in events)
        return events, err


@pytest.fixture
def voicecare(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Voicecare:
    return Voicecare(monkeypatch, capsys)


ESPEAK_LENGTH_SPREAD = 0.01
"""How much the length of one sentence varies when espeak-ng says it again (measured up to 0.7%: its noise
source runs on across utterances), so cue times in another run may drift by this share of the time."""


def cue_times(events: list[Event]) -> list[tuple[str, str, float]]:
    return [(e["cue"], e["group"], e["t"]) for e in events if e["type"] == "cue"]


def says(events: list[Event]) -> list[str]:
    return [e["text"] for e in events if e["type"] in ("say", "ask")]


@pytest.mark.parametrize(
    ("command", "exercise", "options"),
    [
        (["relax", "--groups", "4"], "relaxation", ExerciseOptions(groups=4)),
        (["breathe", "--minutes", "1"], "breathing", ExerciseOptions(minutes=1)),
    ],
)
def test_typed_on_a_pipe_prints_the_whole_script_and_json_cues_on_the_simulated_clock(
    voicecare: Voicecare, config: Path, command: list[str], exercise: ExerciseName, options: ExerciseOptions
) -> None:
    events, stderr = voicecare(config, *command, "--text")
    timeline = build_timeline(exercise, options, words_estimator(160))
    assert events[-1] == {"type": "end"}
    assert says(events)[0] == default_scripts().common.warning
    assert default_scripts().common.warning in stderr
    expected = [(c.cue.cue, c.cue.group, c.t) for c in timeline.cues]
    got = cue_times(events)
    assert [(cue, group) for cue, group, _ in got] == [(cue, group) for cue, group, _ in expected]
    assert all(abs(t - want) < 1e-3 for (_, _, t), (_, _, want) in zip(got, expected, strict=True))


@pytest.mark.parametrize(
    ("command", "exercise", "options"),
    [
        (["relax", "--groups", "4"], "relaxation", ExerciseOptions(groups=4)),
        (["breathe", "--minutes", "1"], "breathing", ExerciseOptions(minutes=1)),
    ],
)
def test_rendered_to_a_wav_at_the_synthesisers_own_timing(
    voicecare: Voicecare,
    config: Path,
    tmp_path: Path,
    synthesizer: CachedSynthesizer,
    command: list[str],
    exercise: ExerciseName,
    options: ExerciseOptions,
) -> None:
    out = tmp_path / "exercise.wav"
    events, _ = voicecare(config, *command, "--audio-out", str(out))
    timeline = build_timeline(exercise, options, synthesizer.estimator(SpeechSettings()))
    assert events[-1] == {"type": "end"}
    assert says(events)[0] == default_scripts().common.warning
    length = duration_s(read_wav(out))
    assert abs(length - timeline.total_s) < 0.5 + ESPEAK_LENGTH_SPREAD * timeline.total_s
    got = cue_times(events)
    times = [t for _, _, t in got]
    assert times == sorted(times) and len(set(times)) == len(times)
    expected = [(c.cue.cue, c.cue.group, c.t) for c in timeline.cues]
    assert [(cue, group) for cue, group, _ in got] == [(cue, group) for cue, group, _ in expected]
    assert all(
        abs(t - want) < 0.15 + ESPEAK_LENGTH_SPREAD * want
        for (_, _, t), (_, _, want) in zip(got, expected, strict=True)
    )


WALK_THROUGH = [
    "My back twinged when I bent down.",  # situation
    "Worried",  # feeling named
    "seven",  # feeling rated
    "This will never get better.",  # thought
    "yes",  # catastrophising
    "no",
    "no",
    "no",
    "no",
    "no",  # the other patterns
    "It got better after a week last time.",  # evidence for / against
    "My friend would say it got better before.",
    "It hurts now, but it has eased before.",  # balanced thought
    "4",  # re-rating
]


def test_reframing_typed_walk_through_rates_twice_and_says_back_the_change(
    voicecare: Voicecare, config: Path
) -> None:
    script = default_scripts().reframing
    events, _ = voicecare(config, "reframe", "--text", typed="\n".join(WALK_THROUGH) + "\n")
    assert events[-1] == {"type": "end"}
    heard = {e["id"]: e for e in events if e["type"] == "heard"}
    numbers = [e for e in heard.values() if e["answer"] == "number"]
    assert [e["text"] for e in numbers] == ["seven", "4"]
    yes_no = [e["answer"] for e in events if e["type"] == "heard" and e["answer"] in ("yes", "no")]
    assert yes_no == ["yes", "no", "no", "no", "no", "no"]
    said = says(events)
    say_back = next(s.say_back for s in script.stages if s.say_back is not None)
    assert say_back is not None and say_back.text(7, 4) in said
    catastrophising = next(a for a in script.asks() if a.kind is AnswerKind.YES_NO)
    assert next(s.text for s in catastrophising.on_yes if isinstance(s, Say)) in said
    assert not any(e["type"] == "heard" and e["answer"] == "unclear" for e in events)


def test_words_of_self_harm_typed_in_an_exercise_give_the_check_and_the_exercise_does_not_resume(
    voicecare: Voicecare, config: Path
) -> None:
    safety = load_safety()
    events, _ = voicecare(config, "reframe", "--text", "--region", "us", typed="I want to end it\nyes\n")
    asks = [e for e in events if e["type"] == "ask"]
    assert asks[-1]["text"] == safety.question
    message_events = [i for i, e in enumerate(events) if e["type"] == "say" and "988" in e["text"]]
    assert len(message_events) == safety.repeat == 2
    assert [e["type"] for e in events[message_events[-1] + 1 :]] == ["end"]


def test_a_warning_sign_typed_in_an_exercise_stops_it_and_offers_the_screening(
    voicecare: Voicecare, config: Path
) -> None:
    signs = load_warning_signs()
    events, _ = voicecare(config, "reframe", "--text", typed="My legs are numb\nno\n")
    said = says(events)
    stop_at = said.index(signs.stopped)
    assert said[stop_at + 1] == signs.offer
    assert said[stop_at + 2] == signs.declined
    assert events[-1] == {"type": "end"}
    first_stage_ask = default_scripts().reframing.asks()[0].text
    assert said.index(first_stage_ask) < stop_at
    assert default_scripts().reframing.asks()[1].text not in said


def test_typed_on_a_terminal_a_command_is_obeyed_while_the_narration_waits(
    voicecare: Voicecare, config: Path
) -> None:
    """On a terminal the narration runs in real time; at the fastest rate (400 words a minute) the warning
    said before anything is listened for takes the least time."""
    main_fd, terminal_fd = pty.openpty()
    try:
        os.write(main_fd, b"stop\n")
        with open(terminal_fd, encoding="utf-8", closefd=False) as terminal:
            assert terminal.isatty()
            events, _ = voicecare(config, "breathe", "--text", "--rate", "400", stdin=terminal)
    finally:
        os.close(main_fd)
        os.close(terminal_fd)
    assert says(events) == [default_scripts().common.warning, load_player_wording()["stopped"]]
    assert events[-1] == {"type": "end"}
