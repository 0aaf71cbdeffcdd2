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

Per answer it measures, without touching the dialogue code (the synthesiser and the tape are wrapped,
and the tape watches the dialogue's events):

- endpoint: stream time from the end of the person's speech on the tape (its last sounding 10 ms frame)
  to the point where voicecare took the answer (the tape position when it was heard; the tape is not
  read again before the reply begins);
- behind: how far the work on the audio so far would lag behind a real microphone at that point. The
  tape is read as fast as the machine allows, so work done while the person is silent takes no stream
  time; a microphone would not wait for it. Each 100 ms chunk is taken to arrive in real time and to be
  worked on once it has arrived and the work on the chunk before is done, for the wall time measured
  between reading it and reading the next: behind = the backlog left from earlier chunks;
- reply: wall time from reading the last chunk to the first sample of voicecare's reply being ready
  (decoding that chunk, understanding, the dialogue's next step, synthesis of the first sentence); an
  answer with no reply before voicecare listened again has no figure. A reply taken provisionally
  (``Heard.provisional``) and then revised counts to the reply that followed the revision;
- turn: their sum, what a person waits in real time between finishing and hearing the reply begin.

"heard" counts the answers the dialogue took to mean what was said (what it last heard for them, not
"unclear"), out of the answers spoken; "asked again" counts questions put again because an answer was
not understood; "revised" counts provisional replies that did not stand (the final decoding was not
sure or meant something else, or the person went on), each of which cut the next question short.
Speed is session audio time (everything said and listened to) over the session's wall time.
"turns" counts the questions put to the person (every ask, read-backs and re-asks included); "session s"
is the session's stream time, what the whole visit takes the person by voice.

Visits: the first two scenarios are the same healthy person (en-us 160) on a first visit and on a return
visit 10 days after a healthy first visit (the history a first visit leaves: every stable answer asked no,
age 40, 3 weeks of pain; the person says yes to "Am I speaking with ...?"). ``--visits`` runs only those two.
The first visit before return visits existed is measured by running this script's first scenario in the
older tree (commit 107b5aa: ``.venv/bin/python scripts/bench_dialogue.py --worker 0``, its "answers").
Targets: median turn <= 300 ms; a whole screening >= 20x faster than real time; peak RSS <= 100 MB.
"""

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.endpointing import EndpointSettings  # noqa: E402
from voicecare.audio.pcm import CHUNK_BYTES, CHUNK_MS, Chunk, duration_s, silence, split_chunks  # noqa: E402
from voicecare.dialogue.conversation import Conversation  # noqa: E402
from voicecare.dialogue.event_sinks import FanOutSink, RecordingSink  # noqa: E402
from voicecare.dialogue.events import AskEvent, Event, HeardEvent  # noqa: E402
from voicecare.dialogue.prompt import Prompt  # noqa: E402
from voicecare.dialogue.safety_check import self_harm_check  # noqa: E402
from voicecare.dialogue.screening_session import ScreeningSession  # noqa: E402
from voicecare.records import NoRecorder, Person, PersonHistory, Remembered, Visit  # noqa: E402
from voicecare.screening.advice import load_advice  # noqa: E402
from voicecare.screening.findings import load_screening  # noqa: E402
from voicecare.screening.regions import region as load_region  # noqa: E402
from voicecare.screening.return_visit import VisitPlan, plan_visit, stable_keys  # noqa: E402
from voicecare.simulation.virtual_room import last_sound_end_s  # noqa: E402
from voicecare.speech.ports import SpeechSettings, Synthesizer, Voice  # noqa: E402
from voicecare.understanding.turn_understanding import TurnUnderstanding  # noqa: E402

REGION = "uk"
CHUNK_S = CHUNK_MS / 1000
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
    return_after_days: int | None = None
    """A return visit this many days after a healthy first visit (None: a first visit)."""

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
    Scenario("return 10 days on, en-us 160", "gmw/en-us", 160, yes_to=("return.who",), return_after_days=10),
    Scenario("no signs, en-gb-scotland 140", "gmw/en-gb-scotland", 140),
    Scenario("urgent (fever), en 175", "gmw/en", 175, yes_to=("fever",)),
)


VISITS = (0, 1)
"""The healthy first visit and its return visit (``--visits``)."""


def return_plan(scenario: Scenario) -> VisitPlan:
    """The plan of a return visit ``scenario.return_after_days`` after a healthy first visit."""
    today = date(2026, 3, 11)
    if scenario.return_after_days is None:
        return plan_visit(None, today)
    on = today - timedelta(days=scenario.return_after_days)
    never_asked = "aneurysm_risk.risk_factors"  # asked only after a symptom
    keys = stable_keys(load_screening(), load_advice())
    remembered = {key: "no" for key in keys if key != never_asked}
    remembered |= {"age": "40", "pain_weeks": "3", "serious_accident.accident": "no"}
    history = PersonHistory(
        Person(1, "Sam", on),
        {key: Remembered(answer, on, 1) for key, answer in remembered.items()},
        Visit(1, on, "self_care", True),
    )
    return plan_visit(history, today)


def placeholders() -> dict[str, str]:
    region = load_region(REGION)
    return {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}


@dataclass
class Reply:
    """One answer put on the tape: the question it answers, what was said, where its sound ends (s), and
    whether it answers the question asked again (the answer before was not understood)."""

    ask: AskEvent
    said: str
    end_s: float
    again: bool = False
    heard: HeardEvent | None = None
    """What the dialogue last took it to be (a provisional reply revised is replaced)."""
    revised: bool = False
    """A provisional reply to it was revised, after the next thing had begun to be said."""
    response: "ReplyStart | None" = None
    """The first sample of voicecare's answer to it: after the last time it was heard."""


@dataclass(frozen=True)
class ReplyStart:
    """The first chunk of something voicecare said: wall time (perf_counter s), tape position (s), and
    the microphone model's backlog and the time the last chunk was read (see ``AnswerTape``)."""

    wall: float
    tape_s: float
    behind_s: float
    read_at: float


class AnswerTape:
    """The microphone: answers each question as it is asked (an event sink), read only while voicecare
    listens. ``position_s`` is how much of the tape has been read (stream seconds)."""

    def __init__(self, scenario: Scenario, speech: dict[str, bytes]) -> None:
        self.scenario = scenario
        self.speech = speech
        self.position_s = 0.0
        self.replies: list[Reply] = []
        self._queued: list[Chunk] = []
        self._asked_id = ""
        self._times_asked = 0
        self.behind_s = 0.0
        """Backlog of work on the chunk being read, as a real microphone would see it (seconds)."""
        self.read_at: float | None = None
        """Wall time (perf_counter s) the last chunk was read; None before the first of an answer."""
        self._awaiting_reply: tuple[Reply, float, float, float] | None = None
        """The answer last heard, with the tape position, backlog and last read time then."""

    def emit(self, event: Event) -> None:
        if isinstance(event, HeardEvent):
            self._heard(event)
        if not isinstance(event, AskEvent):
            return
        last = self.replies[-1] if self.replies else None
        if last is not None and last.end_s > self.position_s:
            self.replies.pop()
            last = self.replies[-1] if self.replies else None
        again = last is not None and last.ask.id == event.id and last.heard is not None
        if event.id != self._asked_id:
            self._times_asked = 0
        elif again:
            self._times_asked += 1
        self._asked_id = event.id
        options = self.scenario.replies(event)
        said = options[min(self._times_asked, len(options) - 1)]
        waiting_s = max(0.0, self._listening_from_s() - self.position_s)
        lead_s = LEAD_S + math.ceil(round(waiting_s / CHUNK_S, 6)) * CHUNK_S
        pcm = silence(lead_s) + self.speech[said]
        end_s = self.position_s + lead_s + (last_sound_end_s(self.speech[said]) or 0.0)
        self.replies.append(Reply(event, said, end_s, again))
        self._queued = list(split_chunks(pcm))
        self.behind_s, self.read_at = 0.0, None

    def _heard(self, event: HeardEvent) -> None:
        """Note what the dialogue took the last answer to be; the next thing said is the reply to it."""
        spoken = [reply for reply in self.replies if reply.end_s <= self.position_s]
        if not spoken or spoken[-1].ask.id != event.id:
            return
        reply = spoken[-1]
        reply.revised = reply.revised or (reply.heard is not None and self._asked_id != event.id)
        reply.heard = event
        reply.response = None
        if self.read_at is not None:
            self._awaiting_reply = (reply, self.position_s, self.behind_s, self.read_at)

    def said(self) -> None:
        """voicecare began to say something (its first chunk is ready): the reply to the answer last heard,
        if it is the first thing said since (the tape is not read in between: see ``_heard``)."""
        if self._awaiting_reply is not None:
            reply, position_s, behind_s, read_at = self._awaiting_reply
            reply.response = ReplyStart(time.perf_counter(), position_s, behind_s, read_at)
        self._awaiting_reply = None

    def _listening_from_s(self) -> float:
        """Where on the tape voicecare starts listening for the next answer: after the hangover of the last
        one. A question asked after a provisional end (``Heard.provisional``) is asked while the tape
        goes on through that hangover; the person answers ``LEAD_S`` after it, not into it. That wait is
        rounded up to whole chunks, so every answer starts on a chunk boundary, as when voicecare waited
        out every hangover: recognition varies a little with where speech falls in the 100 ms chunks and
        20 ms frames, and the comparison with earlier runs should not."""
        return self.replies[-1].end_s + HANGOVER_S if self.replies else 0.0

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


class TimedSynthesizer:
    """Passes everything to ``inner``; tells ``tape`` when the first chunk of each thing said is ready."""

    def __init__(self, inner: Synthesizer, tape: AnswerTape) -> None:
        self.inner = inner
        self.tape = tape

    def speak(self, text: str, settings: SpeechSettings) -> Iterator[Chunk]:
        first = True
        for chunk in self.inner.speak(text, settings):
            if first:
                self.tape.said()
                first = False
            yield chunk

    def voices(self) -> list[Voice]:
        return self.inner.voices()


def worker(index: int) -> dict[str, object]:
    """In this process: run one screening for ``SCENARIOS[index]``; report per-turn figures, speed, RSS."""
    from voicecare.audio.bus import AudioBus
    from voicecare.audio.wav_files import WavFileSink
    from voicecare.dialogue.channels.voice import VoiceChannel
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
        synthesizer = TimedSynthesizer(engine, tape)
        with WavFileSink(Path(temp) / "out.wav") as sink:
            bus = AudioBus(sink, tape)
            endpoint = EndpointSettings(no_speech_timeout_s=settings.no_input_timeout_s)
            tone = earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=settings.earcons))
            channel = VoiceChannel(bus, synthesizer, loaded, endpoint, listening_tone=tone)
            recording = RecordingSink()
            conversation = Conversation(
                channel,
                FanOutSink([recording, tape]),
                understanding,
                speech=SpeechSettings(settings.rate_wpm, settings.volume, settings.voice),
                timeout_s=settings.no_input_timeout_s,
                on_self_harm=self_harm_check(load_region(REGION)),
            )
            started = time.perf_counter()
            plan = return_plan(scenario)
            result = ScreeningSession(conversation, placeholders(), NoRecorder(), plan=plan).run()
            wall_s = time.perf_counter() - started
    turns = []
    heard_right = 0
    for reply in tape.replies:
        prompt = Prompt(reply.ask.id, reply.ask.text, reply.ask.kind)
        heard = reply.heard
        if heard is not None and heard.answer != "unclear":
            heard_right += understanding.parse(heard.text, prompt) == understanding.parse(reply.said, prompt)
        start = reply.response
        if start is not None:
            endpoint_s, reply_s = start.tape_s - reply.end_s, start.wall - start.read_at
            turn = {"endpoint_s": endpoint_s, "behind_s": start.behind_s, "reply_s": reply_s}
            turns.append(turn | {"early": float(endpoint_s < HANGOVER_S), "revised": float(reply.revised)})
    return {
        "turns": turns,
        "heard_right": heard_right,
        "answers": len(tape.replies),
        "asks": sum(isinstance(event, AskEvent) for event in recording.events),
        "asked_again": sum(reply.again for reply in tape.replies),
        "revised": sum(reply.revised for reply in tape.replies),
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
        f"{'scenario':30} {'heard':>7} {'again':>5} {'revised':>7} {'endpoint ms':>11} {'behind ms':>9} "
        f"{'reply ms':>9} "
        f"{'turn ms':>8} "
        f"{'p90 turn':>8} "
        f"{'turns':>5} {'session s':>9} "
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
            f"{row['revised']:>7} "
            f"{ms(statistics.median(endpoint)) if endpoint else '-':>11} "
            f"{ms(statistics.median(behind)) if behind else '-':>9} "
            f"{ms(statistics.median(reply)) if reply else '-':>9} "
            f"{ms(statistics.median(total)) if total else '-':>8} {ms(p90):>8} "
            f"{row['asks']:>5} {audio_s:9.1f} "
            f"{audio_s:8.1f} {wall_s:7.2f} {audio_s / wall_s:6.1f} {float(row['load_s']):6.2f} "  # type: ignore[arg-type]
            f"{float(row['rss_mb']):7.1f}  {row['outcome']} ({row['ended_by']})"  # type: ignore[arg-type]
        )
    if all_turns:
        print(f"\nall turns: median {ms(statistics.median(all_turns))} ms over {len(all_turns)} turns")
        labels = {
            True: "replied to before the hangover was out (a provisional reply, or a settled phrase)",
            False: "replied to after the hangover (a reply revised, or not understood)",
        }
        for early, label in labels.items():
            if by_ending[early]:
                median = ms(statistics.median(by_ending[early]))
                print(f"  {label}: median {median} ms over {len(by_ending[early])} turns")
    print(
        "heard: answers taken to mean what was said / answers spoken; again: questions asked again; "
        "revised: provisional replies revised once the next thing had begun to be said; "
        "endpoint: stream ms from the end of "
        "speech to the endpoint; behind: work a real-time microphone would still wait for at the endpoint; "
        "reply: wall ms from reading the endpoint's chunk to the reply's first sample; "
        "x RT: session audio s / wall s (loading excluded, shown as load s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--visits", action="store_true", help="only the healthy first visit and its return visit"
    )
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker)))
        return
    chosen = VISITS if args.visits else range(len(SCENARIOS))
    print_table([(SCENARIOS[index], run_worker(index)) for index in chosen])


if __name__ == "__main__":
    main()
