#!/usr/bin/env python3
"""Real-time acceptance run (issue 12 item 4): whole screenings through PulseAudio virtual devices.

Run from the project root: ``.venv/bin/python scripts/bench_realtime.py [--people healthy,saddle,chest]
[--barge-in] [--busy] [--runs N]``. Prints a table (markdown).

A private PulseAudio server with the virtual room (voicecare/simulation/virtual_room.py) is started;
``voicecare screen --json --no-save --engine pocketsphinx`` runs as a child process on it (its speaker
is the room's left channel, its microphone hears the room's right channel), and this script plays a
simulated person: it reads the JSON events from the child's stdout to know what is asked, waits until
the question's sound has ended in the room (the speaker quiet for ``QUIET_S``), and says its answer in a
flite voice into the room. ``--barge-in``: it answers ``BARGE_S`` into each question instead (not the
first question, nor a question put again after an answer voicecare did not hear: voicecare needs to
have heard the voice once before it can hear it over its own). Read-backs are answered truthfully;
anything else asked (the self-harm check, offers after the outcome) gets "no". ``--busy`` runs another
process that keeps one core busy throughout.

Per run: the outcome (and the expected one), turns (replies heard), the session time (start of the
process to its last event), re-asks (a question put again straight after a reply to it, or after
silence), revisions (replies taken provisionally that did not stand), order violations
(voicecare.simulation.question_order) and the turn latency: in the room's recording, both voices on one
clock, from the end of each answer's sound to the first sound voicecare makes after it. With
``--barge-in`` also the stop latency: from the end of a one-word answer said over a question to the end
of the question's sound.

Targets: the expected outcome every time; median turn latency <= 250 ms and p90 <= 600 ms; a healthy
first visit in <= 4 minutes; fewer than 3 re-asks per 100 answers; stop latency <= 200 ms.
"""

import argparse
import contextlib
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.compat import audioop  # noqa: E402
from voicecare.audio.pcm import SAMPLE_WIDTH, bytes_of, duration_s  # noqa: E402
from voicecare.dialogue.events import AskEvent, Event, HeardEvent  # noqa: E402
from voicecare.simulation.flite_speech import FliteSpeech, require_flite  # noqa: E402
from voicecare.simulation.question_order import order_violations  # noqa: E402
from voicecare.simulation.virtual_audio import start_pulse, stop_pulse  # noqa: E402
from voicecare.simulation.virtual_room import (  # noqa: E402
    FRAME_BYTES,
    FRAME_S,
    QUIET_RMS,
    RoomRecording,
    VirtualRoom,
    last_sound_end_s,
    room_in_use,
)
from voicecare.understanding.answer_kind import AnswerKind  # noqa: E402

QUIET_S = 0.3
"""The person answers once voicecare's speaker has been quiet this long after the question began."""
BARGE_S = 1.0
"""With --barge-in: how far into a question (after its first sound) the person answers."""
LIMIT_S = 400.0
"""A run with no outcome by then is stopped and counted as none."""
GAP_S = 0.3
"""Silences shorter than this within the person's speech are within one answer."""
STEREO_FRAME = 2 * SAMPLE_WIDTH


@dataclass(frozen=True)
class Person:
    """Who answers: replies by question or finding id (else "no"), the numbers they mean, their voice."""

    name: str
    about: str
    replies: dict[str, str]
    numbers: dict[str, int]
    expected: str
    voice: str
    rate_wpm: int = 160

    def reply(self, ask: dict[str, Any]) -> str:
        prompt_id: str = ask["id"]
        if prompt_id.endswith(".readback"):
            return self._readback(prompt_id.removesuffix(".readback"), ask)
        for key in (prompt_id, ask.get("finding")):
            if key in self.replies:
                return self.replies[key]
        return "no"

    def _readback(self, question: str, ask: dict[str, Any]) -> str:
        """Truthfully: the number read back is the one meant, or the yes read back was meant."""
        for key in (question, ask.get("finding")):
            if key in self.numbers:
                return "yes" if re.search(rf"\b{self.numbers[key]}\b", ask["text"]) else "no"
        meant = self.replies.get(question) or self.replies.get(str(ask.get("finding")), "no")
        return "yes" if meant == "yes" else "no"


PEOPLE = {
    "healthy": Person(
        "healthy",
        "healthy adult, 37, pain 2 weeks",
        {"age": "thirty seven", "pain_weeks": "two weeks"},
        {"age": 37, "pain_weeks": 2},
        "self_care",
        "rms",
    ),
    "saddle": Person(
        "saddle",
        "saddle numbness, 48",
        {"age": "forty eight", "pain_weeks": "three weeks", "saddle_numbness.skin": "yes"},
        {"age": 48, "pain_weeks": 3},
        "emergency",
        "slt",
    ),
    "chest": Person(
        "chest",
        "chest pain, 45",
        {"age": "forty five", "pain_weeks": "one week", "chest_pain.pain": "yes"},
        {"age": 45, "pain_weeks": 1},
        "emergency",
        "rms",
    ),
}


@dataclass
class RoomFollower:
    """Follows the room's recording as it is written: where voicecare's speaker last sounded."""

    path: Path
    _done: int = 0
    frames: int = 0
    """Stereo 10 ms frames read so far (the room's clock, in frames)."""
    last_sound: int = -1
    """The last speaker frame that sounded."""

    def poll(self) -> None:
        with self.path.open("rb") as raw:
            raw.seek(self._done)
            data = raw.read()
        usable = len(data) // (2 * FRAME_BYTES) * (2 * FRAME_BYTES)
        self._done += usable
        for start in range(0, usable, 2 * FRAME_BYTES):
            stereo = data[start : start + 2 * FRAME_BYTES]
            left = audioop.tomono(stereo, SAMPLE_WIDTH, 1, 0)
            if audioop.rms(left, SAMPLE_WIDTH) > QUIET_RMS:
                self.last_sound = self.frames
            self.frames += 1

    def wait_for_sound_after(self, frame: int, limit_s: float) -> bool:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            self.poll()
            if self.last_sound >= frame:
                return True
            time.sleep(0.01)
        return False

    def wait_for_quiet(self, quiet_s: float, limit_s: float) -> None:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            self.poll()
            if (self.frames - 1 - self.last_sound) * FRAME_S >= quiet_s:
                return
            time.sleep(0.01)


@dataclass
class Run:
    person: Person
    barge_in: bool
    busy: bool
    events: list[dict[str, Any]] = field(default_factory=list)
    session_s: float = 0.0
    outcome_s: float = float("nan")
    """From the start of the process to the outcome event."""
    answers: list[tuple[str, float]] = field(default_factory=list)
    """What the person said, and its sound length (s)."""
    latencies: list[float] = field(default_factory=list)
    stops: list[float] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return next((e["disposition"] for e in self.events if e["type"] == "outcome"), "none")

    @property
    def turns(self) -> int:
        return sum(1 for e in self.events if e["type"] == "heard")

    @property
    def reasks(self) -> int:
        """Questions put again straight after a reply to them, or after silence (not read-backs)."""
        count, last = 0, None
        for e in self.events:
            if e["type"] == "ask":
                count += last == e["id"]
                last = e["id"]
        return count

    @property
    def revisions(self) -> int:
        return sum(1 for e in self.events if e["type"] == "heard" and e.get("revised"))

    @property
    def violations(self) -> int:
        return len(order_violations(as_events(self.events)))


def as_events(events: list[dict[str, Any]]) -> list[Event]:
    found: list[Event] = []
    for e in events:
        if e["type"] == "ask":
            kind = AnswerKind(e["kind"])
            found.append(AskEvent(e["id"], e["finding"], kind, e["text"], e.get("readback", False)))
        elif e["type"] == "heard":
            found.append(HeardEvent(e["id"], e["text"], e["answer"], e.get("revised", False)))
    return found


@contextlib.contextmanager
def busy_core(on: bool) -> Iterator[None]:
    """Another process keeping one core busy, while ``on``."""
    if not on:
        yield
        return
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        burner.kill()
        burner.wait()


def read_events(stream: Any, into: "queue.Queue[dict[str, Any] | None]") -> None:
    for line in stream:
        with contextlib.suppress(json.JSONDecodeError):
            into.put(json.loads(line))
    into.put(None)


def one_run(room: VirtualRoom, speech: FliteSpeech, person: Person, barge_in: bool, busy: bool) -> Run:
    run = Run(person, barge_in, busy)
    command = [sys.executable, "-m", "voicecare", "screen", "--json", "--no-save", "--engine", "pocketsphinx"]
    env = {**os.environ, **room.server.env}
    with busy_core(busy), room.record() as recording:
        assert recording.path is not None
        follower = RoomFollower(recording.path)
        started = time.monotonic()
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=read_events, args=(child.stdout, events), daemon=True).start()
        heard_once = False
        previous_ask: str | None = None
        try:
            while time.monotonic() - started < LIMIT_S:
                try:
                    event = events.get(timeout=1.0)
                except queue.Empty:
                    continue
                if event is None:
                    break
                run.events.append(event)
                run.session_s = time.monotonic() - started
                if event["type"] == "outcome":
                    run.outcome_s = run.session_s
                if event["type"] == "heard" and event["answer"] != "silence":
                    heard_once = True
                if event["type"] != "ask":
                    continue
                follower.poll()
                asked_at = follower.frames
                again = previous_ask == event["id"]
                previous_ask = event["id"]
                answer = person.reply(event)
                pcm = trimmed(speech.pcm(answer, person.voice, person.rate_wpm))
                follower.wait_for_sound_after(asked_at, 10.0)
                if barge_in and heard_once and not again:
                    time.sleep(BARGE_S)
                else:
                    follower.wait_for_quiet(QUIET_S, 60.0)
                room.say(pcm)
                run.answers.append((answer, duration_s(pcm)))
        finally:
            if child.poll() is None:
                child.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=10)
            if child.poll() is None:
                child.kill()
                child.wait()
        time.sleep(0.5)
    run.latencies, run.stops = latencies(recording, barge_in)
    return run


def trimmed(pcm: bytes) -> bytes:
    """``pcm`` without flite's silent lead-out (so the answer's sound ends where the PCM ends)."""
    end_s = last_sound_end_s(pcm)
    return pcm[: bytes_of(end_s)] if end_s else pcm


def sounding(pcm: bytes) -> list[bool]:
    return [
        audioop.rms(pcm[i : i + FRAME_BYTES], SAMPLE_WIDTH) > QUIET_RMS
        for i in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)
    ]


def segments(frames: list[bool]) -> list[tuple[int, int]]:
    """Runs of sound (start frame, end frame exclusive), joined across gaps shorter than GAP_S."""
    runs: list[tuple[int, int]] = []
    gap = round(GAP_S / FRAME_S)
    start = None
    quiet = 0
    for index, loud in enumerate(frames):
        if loud:
            if start is None:
                start = index
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet >= gap:
                runs.append((start, index - quiet + 1))
                start, quiet = None, 0
    if start is not None:
        runs.append((start, len(frames) - quiet))
    return runs


def latencies(recording: RoomRecording, barge_in: bool) -> tuple[list[float], list[float]]:
    """Turn latencies (end of each answer's sound to voicecare's next onset) and, with ``barge_in``, stop
    latencies of the answers said over voicecare's speech (end of the answer's sound, one word mostly,
    to the end of voicecare's sound: the first 0.25 s of quiet from it)."""
    speaker, person = sounding(recording.speaker), sounding(recording.person)
    turn: list[float] = []
    stops: list[float] = []
    quiet = round(0.25 / FRAME_S)
    for start, end in segments(person):
        onset = next((f for f in range(max(end, 1), len(speaker)) if speaker[f] and not speaker[f - 1]), None)
        if onset is not None and (onset - end) * FRAME_S < 10.0:
            turn.append((onset - end) * FRAME_S)
        if barge_in and start < len(speaker) and any(speaker[start : start + 10]):
            stopped = start
            while stopped < len(speaker) and any(speaker[stopped : stopped + quiet]):
                stopped += 1
            stops.append((stopped - end) * FRAME_S)
    return turn, stops


def percentile(values: list[float], q: float) -> float:
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, int(q * len(ranked)))] if ranked else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--people", default="healthy,saddle,chest", help="comma-separated: " + ",".join(PEOPLE)
    )
    parser.add_argument("--barge-in", action="store_true", help="answer 1 s into each question")
    parser.add_argument("--busy", action="store_true", help="keep one core busy with another process")
    parser.add_argument("--runs", type=int, default=1, help="runs per person")
    args = parser.parse_args()
    require_flite()
    rows: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="voicecare-realtime-") as folder:
        server = start_pulse(Path(folder))
        try:
            speech = FliteSpeech(Path(folder) / "flite")
            speech.cache_dir.mkdir()
            with room_in_use(server, Path(folder)) as room:
                for name in args.people.split(","):
                    for _ in range(args.runs):
                        run = one_run(room, speech, PEOPLE[name], args.barge_in, args.busy)
                        rows.append(run)
                        done = f"# {name}: {run.outcome} in {run.session_s:.0f} s"
                        print(done, file=sys.stderr, flush=True)
        finally:
            stop_pulse(server)
    load = "one core busy" if args.busy else "quiet"
    mode = "barge-in" if args.barge_in else "waits"
    print(f"\n### bench_realtime: {load}, person {mode}\n")
    print(
        "| person | outcome (expected) | turns | to outcome s | session s | re-asks | revisions "
        "| order violations | turn latency median / p90 ms | stop latency median / p90 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for run in rows:
        lat = f"{1000 * statistics.median(run.latencies):.0f} / {1000 * percentile(run.latencies, 0.9):.0f}"
        stop = (
            f"{1000 * statistics.median(run.stops):.0f} / {1000 * percentile(run.stops, 0.9):.0f}"
            if run.stops
            else "-"
        )
        print(
            f"| {run.person.about} | {run.outcome} ({run.person.expected}) | {run.turns} "
            f"| {run.outcome_s:.0f} | {run.session_s:.0f} "
            f"| {run.reasks} | {run.revisions} | {run.violations} | {lat} (n={len(run.latencies)}) | {stop} |"
        )
    everything = [x for run in rows for x in run.latencies]
    answers = sum(run.turns for run in rows)
    print(
        f"\nAll runs: turn latency median {1000 * statistics.median(everything):.0f} ms, "
        f"p90 {1000 * percentile(everything, 0.9):.0f} ms (n={len(everything)}); "
        f"re-asks {sum(r.reasks for r in rows)} per {answers} answers; "
        f"expected outcome {sum(r.outcome == r.person.expected for r in rows)} of {len(rows)}"
    )


if __name__ == "__main__":
    main()
