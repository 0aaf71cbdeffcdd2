#!/usr/bin/env python3
"""Dialogue benchmark: whole screenings from answer tapes, with turn latency, peak RSS and speed.

Run from the project root: ``.venv/bin/python scripts/bench_dialogue.py``. Prints a table.

Each scenario is a policy of answers (every sign "no", or some "yes"). A dry run of the real screening
with typed answers gives the answers in the order asked; the synthesiser (espeak-ng, in another voice
and rate) speaks them into an answer tape (a WAV, silence between answers), and a fresh process runs
the screening as ``voicecare screen --audio-in TAPE --audio-out OUT.wav`` does: the real pocketsphinx
recogniser and pyttsx3 synthesiser, a ``VoiceChannel`` on the audio bus (the simulated clock: a tape
advances only while voicecare listens).
Per turn it measures, without touching the dialogue code (the recogniser, synthesiser and tape are
wrapped):

- endpoint: stream time from the end of the person's speech on the tape (its last sounding 10 ms frame)
  to the endpoint firing (the tape position when the recogniser is asked for its final result);
- reply: wall time from the endpoint firing to the first sample of voicecare's reply being ready
  (final decoding, understanding, the dialogue's next step, synthesis of the first sentence); a turn
  with no reply before the next endpoint (voicecare listened again at once) has no reply figure;
- turn: their sum, what a person waits in real time between finishing and hearing the reply begin.

Speed is session audio time (everything said and listened to) over the session's wall time.
Targets: median turn <= 300 ms; a whole screening >= 20x faster than real time; peak RSS <= 100 MB.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.virtual_room import last_sound_end_s  # noqa: E402
from voicecare.audio.pcm import Chunk, duration_s, silence, split_chunks  # noqa: E402
from voicecare.dialogue.conversation import Conversation  # noqa: E402
from voicecare.dialogue.event_sinks import RecordingSink  # noqa: E402
from voicecare.dialogue.events import AskEvent  # noqa: E402
from voicecare.dialogue.safety_check import self_harm_check  # noqa: E402
from voicecare.dialogue.screening_session import ScreeningSession  # noqa: E402
from voicecare.recognition.ports import Heard, RecognitionSession, Recognizer  # noqa: E402
from voicecare.records import NoRecorder  # noqa: E402
from voicecare.screening.regions import region as load_region  # noqa: E402
from voicecare.speech.ports import SpeechSettings, Synthesizer, Voice  # noqa: E402
from voicecare.understanding.turn_understanding import TurnUnderstanding  # noqa: E402

REGION = "uk"
LEAD_S = 0.6
"""Silence on the tape before the first answer (seconds)."""
GAP_S = 1.2
"""Silence on the tape after each answer (seconds): longer than the endpointer's hangover."""


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

    def answer(self, prompt_id: str, kind: str) -> str:
        if prompt_id.endswith("readback"):
            return "yes"
        if prompt_id == "age":
            return self.age
        if prompt_id == "pain_weeks":
            return self.pain_weeks
        return "yes" if prompt_id.startswith(self.yes_to) and self.yes_to else "no"


SCENARIOS = (
    Scenario("no signs, en-us 160", "gmw/en-us", 160),
    Scenario("no signs, en-gb-scotland 140", "gmw/en-gb-scotland", 140),
    Scenario("urgent (fever), en 175", "gmw/en", 175, yes_to=("fever",)),
)


def placeholders() -> dict[str, str]:
    region = load_region(REGION)
    return {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}


@dataclass
class PolicyChannel:
    """Dry run: answers each question by the scenario's policy, as typed text, and keeps the answers."""

    scenario: Scenario
    events: RecordingSink
    answers: list[str] = field(default_factory=list)
    ended: bool = False

    def say(self, text: str, speech: SpeechSettings) -> None:
        pass

    def hear(
        self, phrases: Sequence[str], timeout_s: float, finishing: Collection[str] | None = None
    ) -> Heard:
        asked = [event for event in self.events.events if isinstance(event, AskEvent)]
        reply = self.scenario.answer(asked[-1].id, asked[-1].kind) if asked else "no"
        self.answers.append(reply)
        return Heard(reply, 1.0)


def answers_in_order(scenario: Scenario) -> list[str]:
    """The answers the scenario gives, in the order the real screening asks for them."""
    events = RecordingSink()
    channel = PolicyChannel(scenario, events)
    conversation = Conversation(
        channel, events, TurnUnderstanding(), on_self_harm=self_harm_check(load_region(REGION))
    )
    ScreeningSession(conversation, placeholders(), NoRecorder()).run()
    return channel.answers


def make_tape(scenario: Scenario, synthesizer: Synthesizer, path: Path) -> dict[str, object]:
    """Write the scenario's answer tape; return what the worker needs (answers, where each speech ends)."""
    from voicecare.audio.wav_files import write_wav

    answers = answers_in_order(scenario)
    settings = SpeechSettings(rate_wpm=scenario.rate_wpm, voice=scenario.voice)
    pcm = silence(LEAD_S)
    ends: list[float] = []
    for answer in answers:
        said = b"".join(synthesizer.speak(answer, settings))
        ends.append(duration_s(pcm) + (last_sound_end_s(said) or 0.0))
        pcm += said + silence(GAP_S)
    write_wav(path, pcm)
    return {"tape": str(path), "answers": answers, "ends_s": ends}


class Tape:
    """The answer tape as chunks; ``position_s`` is how much of it has been read (stream seconds)."""

    def __init__(self, pcm: bytes) -> None:
        self._chunks = iter(split_chunks(pcm))
        self.position_s = 0.0

    def __iter__(self) -> Iterator[Chunk]:
        return self

    def __next__(self) -> Chunk:
        chunk = next(self._chunks)
        self.position_s += duration_s(chunk)
        return chunk


@dataclass
class Endpoint:
    """One endpoint: wall time (perf_counter s) and tape position (s) when it fired, and what was heard."""

    wall: float
    tape_s: float
    heard: str = ""


class TimedRecognizer:
    """Passes everything to ``inner``; notes each endpoint (when a final result is asked for)."""

    def __init__(self, inner: Recognizer, tape: Tape) -> None:
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

    def feed(self, chunk: Chunk) -> str:
        return self.inner.feed(chunk)

    def finish(self) -> Heard:
        endpoint = Endpoint(time.perf_counter(), self.owner.tape.position_s)
        heard = self.inner.finish()
        endpoint.heard = heard.text if heard.accepted else ""
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


def worker(case_file: Path) -> dict[str, object]:
    """In this process: run one screening on its tape; report per-turn figures, speed and peak RSS."""
    from voicecare.audio.endpointing import EndpointSettings
    from voicecare.audio.wav_files import WavFileSink, read_wav
    from voicecare.dialogue.channels.voice import VoiceChannel
    from voicecare.narration.bus import AudioBus
    from voicecare.recognition.engines import load_recognizer
    from voicecare.settings import Settings
    from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    case = json.loads(case_file.read_text())
    settings = Settings(region=REGION, save=False)
    started = time.perf_counter()
    loaded, _ = load_recognizer("pocketsphinx")
    tape = Tape(read_wav(Path(case["tape"])))
    recognizer = TimedRecognizer(loaded, tape)
    with Pyttsx3Synthesizer() as engine, WavFileSink(case_file.with_suffix(".out.wav")) as sink:
        engine.start()
        load_s = time.perf_counter() - started
        synthesizer = TimedSynthesizer(engine)
        bus = AudioBus(sink, tape)
        endpoint = EndpointSettings(no_speech_timeout_s=settings.no_input_timeout_s)
        tone = earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=settings.earcons))
        channel = VoiceChannel(bus, synthesizer, recognizer, endpoint, listening_tone=tone)
        conversation = Conversation(
            channel,
            RecordingSink(),
            TurnUnderstanding(),
            speech=SpeechSettings(settings.rate_wpm, settings.volume, settings.voice),
            timeout_s=settings.no_input_timeout_s,
            on_self_harm=self_harm_check(load_region(REGION)),
        )
        started = time.perf_counter()
        result = ScreeningSession(conversation, placeholders(), NoRecorder()).run()
        wall_s = time.perf_counter() - started
    ends: list[float] = case["ends_s"]
    turns = []
    points = recognizer.endpoints
    for point, following in zip(points, [*points[1:], None], strict=True):
        spoken = [end for end in ends if end <= point.tape_s]
        before = following.wall if following is not None else float("inf")
        replies = [t for t in synthesizer.first_chunks if point.wall <= t < before]
        if spoken and replies:
            turns.append({"endpoint_s": point.tape_s - spoken[-1], "reply_s": replies[0] - point.wall})
    heard = [point.heard for point in recognizer.endpoints]
    return {
        "turns": turns,
        "heard_right": sum(h == a for h, a in zip(heard, case["answers"], strict=False)),
        "answers": len(case["answers"]),
        "endpoints": len(heard),
        "outcome": result.outcome.disposition.value,
        "ended_by": result.ended_by,
        "audio_s": bus.t_s,
        "wall_s": wall_s,
        "load_s": load_s,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(case_file: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(case_file)], check=True, capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def print_table(rows: list[tuple[Scenario, dict[str, object]]]) -> None:
    head = (
        f"{'scenario':30} {'heard':>7} {'endpoint ms':>11} {'reply ms':>9} {'turn ms':>8} {'p90 turn':>8} "
        f"{'audio s':>8} {'wall s':>7} {'x RT':>6} {'load s':>6} {'RSS MB':>7}  outcome"
    )
    print(head)
    all_turns: list[float] = []
    for scenario, row in rows:
        turns: list[dict[str, float]] = row["turns"]  # type: ignore[assignment]
        endpoint = [t["endpoint_s"] for t in turns]
        reply = [t["reply_s"] for t in turns]
        total = sorted(t["endpoint_s"] + t["reply_s"] for t in turns)
        all_turns += total
        audio_s, wall_s = float(row["audio_s"]), float(row["wall_s"])  # type: ignore[arg-type]
        p90 = total[int(0.9 * (len(total) - 1))] if total else 0.0
        print(
            f"{scenario.name:30} {row['heard_right']:>3}/{row['answers']:<3} "
            f"{ms(statistics.median(endpoint)) if endpoint else '-':>11} "
            f"{ms(statistics.median(reply)) if reply else '-':>9} "
            f"{ms(statistics.median(total)) if total else '-':>8} {ms(p90):>8} "
            f"{audio_s:8.1f} {wall_s:7.2f} {audio_s / wall_s:6.1f} {float(row['load_s']):6.2f} "  # type: ignore[arg-type]
            f"{float(row['rss_mb']):7.1f}  {row['outcome']} ({row['ended_by']})"  # type: ignore[arg-type]
        )
    if all_turns:
        print(f"\nall turns: median {ms(statistics.median(all_turns))} ms over {len(all_turns)} turns")
    print(
        "heard: answers recognised as said / answers on the tape; endpoint: stream ms from the end of "
        "speech to the endpoint; reply: wall ms from the endpoint to the reply's first sample; "
        "x RT: session audio s / wall s (loading excluded, shown as load s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    with tempfile.TemporaryDirectory() as temp, Pyttsx3Synthesizer() as synthesizer:
        folder = Path(temp)
        rows = []
        for index, scenario in enumerate(SCENARIOS):
            case = make_tape(scenario, synthesizer, folder / f"tape{index}.wav")
            case_file = folder / f"case{index}.json"
            case_file.write_text(json.dumps(case))
            rows.append((scenario, run_worker(case_file)))
    print_table(rows)


if __name__ == "__main__":
    main()
