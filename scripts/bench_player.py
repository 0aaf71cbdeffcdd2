#!/usr/bin/env python3
"""Exercise player benchmark: stop latency on the simulated clock, and how fast exercises render.

Run from the project root: ``.venv/bin/python scripts/bench_player.py [--engine pocketsphinx]``.
Prints four tables.

Stop latency: a scripted person (espeak-ng, voice en-us+m3) says "stop" in the middle of each of several
narrated sentences; the latency is session time from the end of the word (its last 10 ms frame above
-40 dBFS peak) to the moment the output fell silent (``Player.stopped_at_s``). Session time is exact
stream time, so the figure does not depend on the machine. Target: <= 300 ms.
Commands: each said mid-sentence at ten places; then again with the narration heard back at full level
(as loud as the person), which the echo gate (``audio.echo_gate``) must keep from the recogniser while
letting the person through where louder than it.
Echo: whole exercises with nobody speaking and the narration heard back at full level: what it set off.
Render speed: wall-clock seconds to render an exercise to a WAV without listening, against its length.
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.bus import AudioBus  # noqa: E402
from voicecare.audio.pcm import duration_s  # noqa: E402
from voicecare.audio.wav_files import WavFileSink, read_wav  # noqa: E402
from voicecare.dialogue.event_sinks import NullSink  # noqa: E402
from voicecare.exercises.script import ExerciseOptions, Step  # noqa: E402
from voicecare.exercises.timeline import ExerciseName, exercise_steps  # noqa: E402
from voicecare.narration.player import Player  # noqa: E402
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs  # noqa: E402
from voicecare.narration.wording import load_player_wording  # noqa: E402
from voicecare.recognition.engines import load_recognizer  # noqa: E402
from voicecare.screening.safety import load_safety  # noqa: E402
from voicecare.simulation.espeak_speech import EspeakSpeech  # noqa: E402
from voicecare.simulation.player_session import (  # noqa: E402
    ARMS_ATTEND,
    ARMS_TENSE,
    CLOSING,
    FACE_ATTEND,
    FACE_TENSE,
    STEPS,
    PlayerSession,
)
from voicecare.speech.cached import CachedSynthesizer  # noqa: E402
from voicecare.speech.ports import SpeechSettings  # noqa: E402
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer  # noqa: E402
from voicecare.understanding.answers import CommandName  # noqa: E402
from voicecare.understanding.turn_understanding import TurnUnderstanding  # noqa: E402
from voicecare.understanding.vocabulary import default_vocabulary  # noqa: E402

WORDING = load_player_wording()
SELF_HARM_QUESTION = load_safety().question
STOPS = (
    (ARMS_ATTEND, 1.0),
    (ARMS_TENSE, 2.5),
    (FACE_ATTEND, 1.5),
    (FACE_TENSE, 0.8),
    (CLOSING, 2.0),
    (ARMS_ATTEND, 3.3),
    (ARMS_TENSE, 0.6),
    (FACE_ATTEND, 4.1),
    (FACE_TENSE, 2.2),
    (CLOSING, 3.7),
)


LONGEST_S = 1500.0
"""Longer than any exercise benchmarked here (seconds): the quiet tape the reference is played with."""
EXERCISES: tuple[tuple[ExerciseName, ExerciseOptions, str], ...] = (
    ("relaxation", ExerciseOptions(groups=4), "relax --groups 4"),
    ("relaxation", ExerciseOptions(groups=16), "relax --groups 16"),
    ("breathing", ExerciseOptions(minutes=2), "breathe --minutes 2"),
)


def stop_latencies(session: PlayerSession) -> list[tuple[str, float | None]]:
    reference = session.play(STEPS)
    rows = []
    for sentence, into_s in STOPS:
        played = session.play(STEPS, [("stop", reference.events.time_of(sentence) + into_s)])
        stopped = played.player.stopped_at_s
        rows.append(
            (
                f"{sentence[:30]}... +{into_s:.1f} s",
                None if stopped is None else stopped - played.word_ends[0],
            )
        )
    return rows


COMMANDS = {
    "stop": lambda said: WORDING["stopped"] in said,
    "pause": lambda said: WORDING["paused"] in said,
    "repeat": lambda said: said.count(ARMS_TENSE) + said.count(FACE_ATTEND) + said.count(CLOSING) > 3,
    "slower": lambda said: WORDING["slower"] in said,
    "faster": lambda said: WORDING["faster"] in said,
    "skip": lambda said: WORDING["skipped"] in said,
    "help": lambda said: WORDING["help"] in said,
    "how long is left": lambda said: any(line.endswith(" left.") for line in said),
    "numb legs": lambda said: load_warning_signs().stopped in said,
    **{
        phrase: lambda said: any(line.startswith(SELF_HARM_QUESTION) for line in said)
        for phrase in (" ".join(words) for words in default_vocabulary().spoken_self_harm)
    },
}
"""Each command and how to tell from what was said that it was obeyed."""
PLACES = (
    (ARMS_ATTEND, 1.0),
    (ARMS_ATTEND, 2.7),
    (ARMS_TENSE, 1.0),
    (ARMS_TENSE, 1.5),
    (ARMS_TENSE, 4.2),
    (FACE_ATTEND, 2.5),
    (FACE_TENSE, 1.2),
    (CLOSING, 1.0),
    (CLOSING, 2.9),
    ("Relax.", 3.0),
)
"""Where each command is said: (sentence, seconds after it starts); "Relax." puts it in a silence."""


def commands_heard(session: PlayerSession, over_echo: bool = False) -> list[tuple[str, int, int]]:
    """(command, times obeyed, times said) with the command said at each of PLACES, mid-sentence;
    ``over_echo``: with the narration heard back at full level too (as loud as the person)."""
    reference = session.play(STEPS)
    echo = reference.heard_back if over_echo else b""
    rows = []
    for command, obeyed in COMMANDS.items():
        count = 0
        for sentence, into_s in PLACES:
            person = [(command, reference.events.time_of(sentence) + into_s)]
            played = session.play(STEPS, person, echo=echo)
            count += obeyed([text for _, text in played.events.said()])
        rows.append((command, count, len(PLACES)))
    return rows


def echo_false_commands(session: PlayerSession, steps: Sequence[Step]) -> str:
    """What the narration heard back at full level (no person) did: 'none' or the first ack said."""
    reference = session.play(steps, length_s=LONGEST_S)
    length_s = duration_s(reference.heard_back) + 10.0
    played = session.play(steps, echo=reference.heard_back, length_s=length_s)
    extra = [text for _, text in played.events.said() if text not in {t for _, t in reference.events.said()}]
    return "none" if not extra else f"{played.end.value}: {extra[0][:40]}"


def render_seconds(
    synthesizer: CachedSynthesizer, exercise: ExerciseName, options: ExerciseOptions, folder: Path
) -> tuple[float, float]:
    """Wall seconds to render the exercise to a WAV, and the WAV's length in seconds. Give it a new
    ``synthesizer`` cache, so the synthesis is timed too."""
    from voicecare.dialogue.channels.voice import VoiceChannel
    from voicecare.dialogue.conversation import Conversation

    understanding = SignAwareUnderstanding(TurnUnderstanding(), load_warning_signs())
    out = folder / f"{exercise}.wav"
    started = time.perf_counter()
    with WavFileSink(out) as sink:
        bus = AudioBus(sink)
        conversation = Conversation(VoiceChannel(bus, synthesizer, None), NullSink(), understanding)
        steps = exercise_steps(exercise, options, synthesizer.estimator(SpeechSettings()))
        Player(conversation, understanding).run(steps)
    return time.perf_counter() - started, duration_s(read_wav(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="pocketsphinx")
    args = parser.parse_args()
    recognizer, note = load_recognizer(args.engine)
    print(note)
    understanding = SignAwareUnderstanding(
        TurnUnderstanding(extra_commands=frozenset({CommandName.SKIP, CommandName.TIME_LEFT})),
        load_warning_signs(),
    )
    with tempfile.TemporaryDirectory() as temp, Pyttsx3Synthesizer() as inner:
        folder = Path(temp)
        synthesizer = CachedSynthesizer(inner)
        session = PlayerSession(
            synthesizer, recognizer, understanding, EspeakSpeech(folder / "person"), folder
        )
        rows = stop_latencies(session)
        print(f"\n{'stop said in':44} latency")
        for where, latency in rows:
            print(f"{where:44} {'not heard' if latency is None else f'{latency * 1000:5.0f} ms'}")
        heard = [latency for _, latency in rows if latency is not None]
        if heard:
            print(
                f"{'median of ' + str(len(heard)) + ' heard':44} {statistics.median(heard) * 1000:5.0f} ms"
                f"   (max {max(heard) * 1000:.0f} ms; {len(rows) - len(heard)} not heard)"
            )
        print(f"\n{'command said mid-sentence':24} {'obeyed':>8} {'over its echo':>14}")
        over_echo = commands_heard(session, over_echo=True)
        for (command, count, total), (_, echoed, _) in zip(commands_heard(session), over_echo, strict=True):
            print(f"{command:24} {f'{count}/{total}':>8} {f'{echoed}/{total}':>14}")
        print(f"\n{'narration heard back (echo, full level)':44} acted on")
        estimate = synthesizer.estimator(SpeechSettings())
        for exercise, options, label in EXERCISES:
            steps = exercise_steps(exercise, options, estimate)
            print(f"{label:44} {echo_false_commands(session, steps)}")
        print(f"\n{'render (no listening)':32} {'wall s':>7} {'audio s':>8} {'x real time':>12}")
        for exercise, options, label in EXERCISES:
            wall, audio = render_seconds(CachedSynthesizer(inner), exercise, options, folder)
            print(f"{label:32} {wall:7.2f} {audio:8.1f} {audio / wall:12.0f}")


if __name__ == "__main__":
    main()
