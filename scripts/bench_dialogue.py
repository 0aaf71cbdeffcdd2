#!/usr/bin/env python3
"""Dialogue benchmark: whole screenings from answer tapes, with turn latency, peak RSS and speed.

Run from the project root: ``.venv/bin/python scripts/bench_dialogue.py``. Prints a table.

Each scenario is a person: a synthesiser voice and rate, and a policy of answers (every sign "no", or
some "yes"). A fresh process runs the screening as ``voicecare screen --audio-in TAPE --audio-out OUT.wav``
does: the real pocketsphinx recogniser and pyttsx3 synthesiser, a ``VoiceChannel`` on the audio bus (the
simulated clock: the tape advances only while voicecare listens). The answer tape is laid down as the
screening goes: each question's answer (spoken by espeak-ng through pyttsx3 in the person's voice, made
before the session starts) is put on the tape when the question is asked, and a question asked again is
answered again in other words ("no", "not at all", "no i haven't"), as a person would. A tape fixed in
advance slips by one answer at the first re-ask and answers every later question with the wrong reply.

Per turn it measures, without touching the dialogue code (the recogniser, synthesiser and tape are
wrapped):

- endpoint: stream time from the end of the person's speech on the tape (its last sounding 10 ms frame)
  to the endpoint firing (the tape position when the recogniser is asked for its final result);
- behind: how far the work on the audio so far would lag behind a real microphone when the endpoint
  fires. The tape is read as fast as the machine allows, so work done while the person is silent (the
  final decoding done ahead, see ``RecognitionSession.feed``) takes no stream time; a microphone would
  not wait for it. Each 100 ms chunk is taken to arrive in real time and to be worked on once it has
  arrived and the work on the chunk before is done, for the wall time measured between reading it and
  reading the next: behind = the backlog left from earlier chunks plus the wall time spent on the
  endpoint's own chunk before the final result is asked for;
- reply: wall time from the endpoint firing to the first sample of voicecare's reply being ready
  (final decoding, understanding, the dialogue's next step, synthesis of the first sentence); a turn
  with no reply before the next endpoint (voicecare listened again at once) has no reply figure;
- turn: their sum, what a person waits in real time between finishing and hearing the reply begin.

"heard" counts the answers the dialogue took to mean what was said (parsed for the question, weighed by
``understanding.trust``), out of the answers spoken; "asked again" counts questions put again because an
answer was not understood. Speed is session audio time (everything said and listened to) over the
session's wall time. Targets: median turn <= 300 ms; a whole screening >= 20x faster than real time;
peak RSS <= 100 MB.
"""

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.virtual_room import last_sound_end_s  # noqa: E402
from voicecare.audio.endpointing import EndpointSettings  # noqa: E402
from voicecare.audio.pcm import CHUNK_BYTES, Chunk, duration_s, silence, split_chunks  # noqa: E402
from voicecare.dialogue.conversation import Conversation  # noqa: E402
from voicecare.dialogue.event_sinks import FanOutSink, RecordingSink  # noqa: E402
from voicecare.dialogue.events import AskEvent, Event  # noqa: E402
from voicecare.dialogue.prompt import Prompt  # noqa: E402
from voicecare.dialogue.safety_check import self_harm_check  # noqa: E402
from voicecare.dialogue.screening_session import ScreeningSession  # noqa: E402
from voicecare.recognition.ports import Heard, RecognitionSession, Recognizer  # noqa: E402
from voicecare.records import NoRecorder  # noqa: E402
from voicecare.screening.regions import region as load_region  # noqa: E402
from voicecare.speech.ports import SpeechSettings, Synthesizer, Voice  # noqa: E402
from voicecare.understanding.trust import believed  # noqa: E402
from voicecare.understanding.turn_understanding import TurnUnderstanding  # noqa: E402

REGION = "uk"
HANGOVER_S = EndpointSettings().end_silence_s
"""The endpointer's hangover (s): an utterance ended with less silence than this ended early."""
LEAD_S = 0.6
"""Silence on the tape before each answer (seconds): the person's reaction time."""

YES = ("yes", "yeah", "yes i have")
NO = ("no", "not at all", "no i haven't")
CONFIRM = ("yes", "that's right", "correct")
"""A person's replies, first time asked and then in other words when asked again."""


@dataclass(frozen=True)
class Scenario:
    """A person: the synthesiser's (espeak-ng's) ``voice`` at ``rate_wpm``; "yes" to the questions whose
    id starts with any of ``yes_to``, "no" to every other yes/no question; their age and pain's length."""

    name: str
    voice: str
    rate_wpm: int
    yes_to: tuple[str, ...] = ()
    age: str = "forty"
    pain_weeks: str = "three weeks"

    def replies(self, ask: AskEvent) -> tuple[str, ...]:
        """What the person says to ``ask``: the first reply, then the ones used when asked again."""
        if ask.readback:
            return CONFIRM
        if ask.id == "age":
            return (self.age,)
        if ask.id == "pain_weeks":
            return (self.pain_weeks,)
        return YES if self.yes_to and ask.id.startswith(self.yes_to) else NO

    def all_replies(self) -> set[str]:
        return {*YES, *NO, *CONFIRM, self.age, self.pain_weeks}


SCENARIOS = (
    Scenario("no signs, en-us 160", "gmw/en-us", 160),
    Scenario("no signs, en-gb-scotland 140", "gmw/en-gb-scotland", 140),
    Scenario("urgent (fever), en 175", "gmw/en", 175, yes_to=("fever",)),
)


def placeholders() -> dict[str, str]:
    region = load_region(REGION)
    return {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}


@dataclass
class Reply:
    """One answer put on the tape: the question's kind, what was said, and where its sound ends (s)."""

    ask: AskEvent
    said: str
    end_s: float


class AnswerTape:
    """The microphone: answers each question as it is asked (an event sink), read only while voicecare
    listens. ``position_s`` is how much of the tape has been read (stream seconds)."""

    def __init__(self, scenario: Scenario, speech: dict[str, bytes]) -> None:
        self.scenario = scenario
        self.speech = speech
        self.position_s = 0.0
        self.replies: list[Reply] = []
        self._queued: list[Chunk] = []
        self._last_id = ""
        self._times_asked = 0
        self.behind_s = 0.0
        """Backlog of work on the chunk being read, as a real microphone would see it (seconds)."""
        self.read_at: float | None = None
        """Wall time (perf_counter s) the last chunk was read; None before the first of an answer."""

    def emit(self, event: Event) -> None:
        if not isinstance(event, AskEvent):
            return
        self._times_asked = self._times_asked + 1 if event.id == self._last_id else 0
        self._last_id = event.id
        options = self.scenario.replies(event)
        said = options[min(self._times_asked, len(options) - 1)]
        pcm = silence(LEAD_S) + self.speech[said]
        end_s = self.position_s + LEAD_S + (last_sound_end_s(self.speech[said]) or 0.0)
        self.replies.append(Reply(event, said, end_s))
        self._queued = list(split_chunks(pcm))
        self.behind_s, self.read_at = 0.0, None

    def __iter__(self) -> Iterator[Chunk]:
        return self

    def __next__(self) -> Chunk:
        chunk = self._queued.pop(0) if self._queued else bytes(CHUNK_BYTES)
        self.position_s += duration_s(chunk)
        now = time.perf_counter()
        if self.read_at is not None:
            self.behind_s = max(0.0, self.behind_s + (now - self.read_at) - duration_s(chunk))
        self.read_at = now
        return chunk


@dataclass
class Endpoint:
    """One endpoint: wall time (perf_counter s), tape position (s) and work behind a real-time stream
    (s) when it fired, and what was heard."""

    wall: float
    tape_s: float
    behind_s: float
    early: bool = False
    """Ended on a complete phrase before the hangover was out."""
    heard: str = ""
    confidence: float = 0.0


class TimedRecognizer:
    """Passes everything to ``inner``; notes each endpoint (when a final result is asked for)."""

    def __init__(self, inner: Recognizer, tape: "AnswerTape") -> None:
        self.inner = inner
        self.tape = tape
        self.endpoints: list[Endpoint] = []

    @property
    def name(self) -> str:
        return self.inner.name

    def open(self, phrases: Sequence[str]) -> RecognitionSession:
        return TimedSession(self.inner.open(phrases), self)


class TimedSession:
    def __init__(self, inner: RecognitionSession, owner: TimedRecognizer) -> None:
        self.inner = inner
        self.owner = owner

    def feed(self, chunk: Chunk, trailing_silence_s: float = 0.0) -> str:
        return self.inner.feed(chunk, trailing_silence_s)

    def finish(self, trailing_silence_s: float = 0.0) -> Heard:
        tape, now = self.owner.tape, time.perf_counter()
        behind_s = tape.behind_s + (now - tape.read_at if tape.read_at is not None else 0.0)
        endpoint = Endpoint(now, tape.position_s, behind_s, trailing_silence_s < HANGOVER_S)
        heard = self.inner.finish(trailing_silence_s)
        endpoint.heard = heard.text if heard.accepted else ""
        endpoint.confidence = heard.confidence
        self.owner.endpoints.append(endpoint)
        return heard

    def cancel(self) -> None:
        self.inner.cancel()


class TimedSynthesizer:
    """Passes everything to ``inner``; notes when the first chunk of each reply is ready (perf_counter s)."""

    def __init__(self, inner: Synthesizer) -> None:
        self.inner = inner
        self.first_chunks: list[float] = []

    def speak(self, text: str, settings: SpeechSettings) -> Iterator[Chunk]:
        first = True
        for chunk in self.inner.speak(text, settings):
            if first:
                self.first_chunks.append(time.perf_counter())
                first = False
            yield chunk

    def voices(self) -> list[Voice]:
        return self.inner.voices()


def worker(index: int) -> dict[str, object]:
    """In this process: run one screening for ``SCENARIOS[index]``; report per-turn figures, speed, RSS."""
    from voicecare.audio.wav_files import WavFileSink
    from voicecare.dialogue.channels.voice import VoiceChannel
    from voicecare.narration.bus import AudioBus
    from voicecare.recognition.engines import load_recognizer
    from voicecare.settings import Settings
    from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    scenario = SCENARIOS[index]
    settings = Settings(region=REGION, save=False)
    started = time.perf_counter()
    loaded, _ = load_recognizer("pocketsphinx")
    understanding = TurnUnderstanding()
    with tempfile.TemporaryDirectory() as temp, Pyttsx3Synthesizer() as engine:
        engine.start()
        load_s = time.perf_counter() - started
        voice = SpeechSettings(rate_wpm=scenario.rate_wpm, voice=scenario.voice)
        speech = {text: b"".join(engine.speak(text, voice)) for text in sorted(scenario.all_replies())}
        tape = AnswerTape(scenario, speech)
        recognizer = TimedRecognizer(loaded, tape)
        synthesizer = TimedSynthesizer(engine)
        with WavFileSink(Path(temp) / "out.wav") as sink:
            bus = AudioBus(sink, tape)
            endpoint = EndpointSettings(no_speech_timeout_s=settings.no_input_timeout_s)
            tone = earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=settings.earcons))
            channel = VoiceChannel(bus, synthesizer, recognizer, endpoint, listening_tone=tone)
            conversation = Conversation(
                channel,
                FanOutSink([RecordingSink(), tape]),
                understanding,
                speech=SpeechSettings(settings.rate_wpm, settings.volume, settings.voice),
                timeout_s=settings.no_input_timeout_s,
                on_self_harm=self_harm_check(load_region(REGION)),
            )
            started = time.perf_counter()
            result = ScreeningSession(conversation, placeholders(), NoRecorder()).run()
            wall_s = time.perf_counter() - started
    turns = []
    heard_right = 0
    points = recognizer.endpoints
    for point, following in zip(points, [*points[1:], None], strict=True):
        spoken = [reply for reply in tape.replies if reply.end_s <= point.tape_s]
        if not spoken:
            continue
        reply = spoken[-1]
        prompt = Prompt(reply.ask.id, reply.ask.text, reply.ask.kind, duration=reply.ask.id == "pain_weeks")
        taken = believed(understanding.parse(point.heard, prompt), point.confidence)
        heard_right += taken == understanding.parse(reply.said, prompt)
        before = following.wall if following is not None else float("inf")
        replies = [t for t in synthesizer.first_chunks if point.wall <= t < before]
        if replies:
            endpoint_s, reply_s = point.tape_s - reply.end_s, replies[0] - point.wall
            turn = {"endpoint_s": endpoint_s, "behind_s": point.behind_s, "reply_s": reply_s}
            turns.append(turn | {"early": float(point.early)})
    asked = [reply.ask.id for reply in tape.replies]
    return {
        "turns": turns,
        "heard_right": heard_right,
        "answers": len(tape.replies),
        "asked_again": sum(a == b for a, b in itertools.pairwise(asked)),
        "outcome": result.outcome.disposition.value,
        "ended_by": result.ended_by,
        "audio_s": bus.t_s,
        "wall_s": wall_s,
        "load_s": load_s,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(index: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(index)], check=True, capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def print_table(rows: list[tuple[Scenario, dict[str, object]]]) -> None:
    head = (
        f"{'scenario':30} {'heard':>7} {'again':>5} {'endpoint ms':>11} {'behind ms':>9} {'reply ms':>9} "
        f"{'turn ms':>8} "
        f"{'p90 turn':>8} "
        f"{'audio s':>8} {'wall s':>7} {'x RT':>6} {'load s':>6} {'RSS MB':>7}  outcome"
    )
    print(head)
    all_turns: list[float] = []
    by_ending: dict[bool, list[float]] = {True: [], False: []}
    for scenario, row in rows:
        turns: list[dict[str, float]] = row["turns"]  # type: ignore[assignment]
        endpoint = [t["endpoint_s"] for t in turns]
        behind = [t["behind_s"] for t in turns]
        reply = [t["reply_s"] for t in turns]
        total = sorted(t["endpoint_s"] + t["behind_s"] + t["reply_s"] for t in turns)
        all_turns += total
        for t in turns:
            by_ending[bool(t["early"])].append(t["endpoint_s"] + t["behind_s"] + t["reply_s"])
        audio_s, wall_s = float(row["audio_s"]), float(row["wall_s"])  # type: ignore[arg-type]
        p90 = total[int(0.9 * (len(total) - 1))] if total else 0.0
        print(
            f"{scenario.name:30} {row['heard_right']:>3}/{row['answers']:<3} {row['asked_again']:>5} "
            f"{ms(statistics.median(endpoint)) if endpoint else '-':>11} "
            f"{ms(statistics.median(behind)) if behind else '-':>9} "
            f"{ms(statistics.median(reply)) if reply else '-':>9} "
            f"{ms(statistics.median(total)) if total else '-':>8} {ms(p90):>8} "
            f"{audio_s:8.1f} {wall_s:7.2f} {audio_s / wall_s:6.1f} {float(row['load_s']):6.2f} "  # type: ignore[arg-type]
            f"{float(row['rss_mb']):7.1f}  {row['outcome']} ({row['ended_by']})"  # type: ignore[arg-type]
        )
    if all_turns:
        print(f"\nall turns: median {ms(statistics.median(all_turns))} ms over {len(all_turns)} turns")
        labels = {
            True: "ended early, on a complete phrase no longer phrase changes",
            False: 'waited out the hangover (a no, which may go on "no idea"; an unfinished number)',
        }
        for early, label in labels.items():
            if by_ending[early]:
                median = ms(statistics.median(by_ending[early]))
                print(f"  {label}: median {median} ms over {len(by_ending[early])} turns")
    print(
        "heard: answers taken to mean what was said / answers spoken; again: questions asked again; "
        "endpoint: stream ms from the end of "
        "speech to the endpoint; behind: work a real-time microphone would still wait for at the endpoint; "
        "reply: wall ms from the endpoint to the reply's first sample; "
        "x RT: session audio s / wall s (loading excluded, shown as load s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker)))
        return
    print_table([(scenario, run_worker(index)) for index, scenario in enumerate(SCENARIOS)])


if __name__ == "__main__":
    main()
