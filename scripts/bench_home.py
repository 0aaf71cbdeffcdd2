#!/usr/bin/env python3
"""``voicecare home`` benchmark: wake phrase detection, false wakes, idle cost and wake latency.

Run from the project root: ``.venv/bin/python scripts/bench_home.py PART [options]``, PART one of
``detection``, ``false-wakes``, ``idle``, ``latency`` (or ``all``). Each prints a table and one JSON line;
``--json-out FILE`` keeps them. Synthesised speech is cached in ``--cache`` (default /tmp/voicecare-bench).

- detection: every wake phrase said by flite and espeak-ng voices at three speeds, with 1 s of real room
  noise before and 1.5 s after, mixed at 10 dB and 0 dB SNR (speech RMS over its active frames against the
  noise RMS; noise from Google Speech Commands' _background_noise_, CC BY 4.0). The clips follow one
  another in one stream through the home device's own waiting code (``AudioWaiter`` on an ``AudioBus``),
  so the refractory period and the detector's state across clips are as in use. A clip counts as detected
  when a wake comes between its phrase's start and 1.5 s after its end. The TUNING voices are the only ones
  any threshold or the refractory period was ever looked at with; the HELD-OUT voices never were, and are
  reported apart.
- false-wakes: long texts (the licences in /usr/share/common-licenses, voicecare's own questions and
  narration) read by espeak-ng and flite voices at several speeds, each paragraph over room noise at 5 to
  20 dB SNR, with voicecare's own questions and narration (its synthesiser's default voice) as heard back
  through the room (sox: quieter, band-limited, reverberant) every few minutes; streamed through the same
  ``AudioWaiter`` as fast as the machine allows. Every detection counts (none of these contain a phrase).
  Reports hours, wakes, the rate and its one-sided 95% upper bound (Poisson).
- idle: ``voicecare home`` running on a private PulseAudio server's virtual devices, waiting, nothing said:
  CPU (process CPU seconds over wall seconds, percent of one core) over windows of ``--idle-s``, RSS,
  threads and open files; repeated ``--repeats`` times; the load average is printed with it.
- latency: the same, in the virtual room (tests' ``virtual_room``): the phrase played into the room; from
  the end of the phrase (last sound of the person's channel) to the start of the earcon in the speaker's
  channel, and to the first sound of "Yes?" after it. Real time.
"""

import argparse
import itertools
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.bus import AudioBus  # noqa: E402
from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, SAMPLE_WIDTH, silence, split_chunks  # noqa: E402
from voicecare.home.room import NullSink  # noqa: E402
from voicecare.home.waiting import AudioWaiter  # noqa: E402
from voicecare.recognition.wake import WakePhrase, load_wake_catalogue, open_detector  # noqa: E402
from voicecare.simulation.espeak_speech import EspeakSpeech  # noqa: E402
from voicecare.simulation.flite_speech import ORDINARY_WPM, FliteSpeech  # noqa: E402
from voicecare.simulation.room_noise import (  # noqa: E402
    NOISE_DIR,
    heard_back,
    load_noise,
    mix_at_snr,
    noise_at,
    speech_rms,
)

BYTES_PER_S = SAMPLE_RATE * SAMPLE_WIDTH
NOISES = ("doing_the_dishes", "running_tap", "exercise_bike", "dude_miaowing")


@dataclass(frozen=True)
class Voice:
    engine: str  # flite or espeak
    name: str
    tuning: bool

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}"


TUNING = (
    Voice("flite", "awb", True),
    Voice("flite", "rms", True),
    Voice("espeak", "en-us", True),
    Voice("espeak", "en-gb", True),
)
HELD_OUT = (
    Voice("flite", "slt", False),
    Voice("flite", "kal16", False),
    Voice("espeak", "en-us+f3", False),
    Voice("espeak", "en-gb-scotland", False),
    Voice("espeak", "en-029", False),
    Voice("espeak", "en-gb-x-rp+f2", False),
)
SPEEDS = (0.85, 1.0, 1.2)
"""Duration factors: flite's rate is its ordinary 160 wpm divided by it, espeak-ng's 165 wpm."""


class Speech:
    def __init__(self, cache: Path) -> None:
        self.flite = FliteSpeech(cache / "flite")
        self.espeak = EspeakSpeech(cache / "espeak")

    def say(self, text: str, voice: Voice, speed: float) -> bytes:
        if voice.engine == "flite":
            return self.flite.pcm(text, voice.name, round(ORDINARY_WPM / speed))
        return self.espeak.pcm(text, voice.name, round(165 / speed))


def noises() -> dict[str, bytes]:
    return {name: load_noise(NOISE_DIR / f"{name}.wav") for name in NOISES}


def wake_times(phrase: WakePhrase, chunks: Iterator[bytes], refractory_s: float) -> list[float]:
    """Every wake in the stream, through the home device's waiting code; session times (s)."""
    detector = open_detector(phrase, refractory_s)
    bus = AudioBus(NullSink(), chunks)
    waiter = AudioWaiter(bus, detector)
    found: list[float] = []
    while waiter.wake() is not None:
        found.append(bus.t_s)
    detector.close()
    return found


# ---------------------------------------------------------------- detection


def detection(args: argparse.Namespace) -> dict[str, object]:
    catalogue = load_wake_catalogue()
    speech = Speech(args.cache)
    room = noises()
    phrases = [p for p in catalogue.phrases if args.phrase is None or p.phrase in args.phrase]
    results: dict[str, object] = {}
    for phrase in phrases:
        for snr in (10.0, 0.0):
            rng = random.Random(f"{phrase.phrase}|{snr:g}")
            stream = bytearray()
            clips: list[tuple[Voice, float, float, str]] = []
            for voice in (*TUNING, *HELD_OUT):
                for speed, name, _ in itertools.product(SPEEDS, NOISES, range(args.draws)):
                    said = trim(speech.say(phrase.phrase, voice, speed))
                    clean = silence(1.0) + said + silence(1.5)
                    offset = rng.randrange(0, len(room[name]) // 2) * 2
                    mixed = mix_at_snr(clean, noise_at(room[name], offset, len(clean)), snr, speech_rms(said))
                    start = len(stream) / BYTES_PER_S + 1.0
                    clips.append((voice, start, start + len(said) / BYTES_PER_S, name))
                    stream += mixed
            wakes = wake_times(phrase, split_chunks(bytes(stream)), catalogue.refractory_s)
            tally: dict[str, list[int]] = {"tuning": [0, 0], "held_out": [0, 0]}
            per_voice: dict[str, list[int]] = {}
            matched: set[float] = set()
            for voice, start, end, _ in clips:
                hit = [t for t in wakes if start <= t <= end + 1.5]
                matched.update(hit)
                group = "tuning" if voice.tuning else "held_out"
                tally[group][0] += bool(hit)
                tally[group][1] += 1
                counts = per_voice.setdefault(voice.label, [0, 0])
                counts[0] += bool(hit)
                counts[1] += 1
            extra = len([t for t in wakes if t not in matched])
            key = f"{phrase.phrase}@{snr:g}dB"
            results[key] = {
                "tuning": tally["tuning"],
                "held_out": tally["held_out"],
                "per_voice": per_voice,
                "wakes_outside_phrases": extra,
                "audio_s": round(len(stream) / BYTES_PER_S, 1),
            }
            held, tuned = tally["held_out"], tally["tuning"]
            print(
                f"{phrase.phrase:15s} {snr:4g} dB  held-out {held[0]:3d}/{held[1]:3d} {pct(held):6.1f}%   "
                f"tuning {tuned[0]:3d}/{tuned[1]:3d} {pct(tuned):6.1f}%   wakes between clips {extra}",
                flush=True,
            )
            print("      " + "  ".join(f"{v}:{c[0]}/{c[1]}" for v, c in per_voice.items()), flush=True)
    return results


def pct(counts: list[int]) -> float:
    return 100.0 * counts[0] / max(1, counts[1])


def trim(pcm: bytes, floor: int = 200) -> bytes:
    """The speech without the synthesiser's leading and trailing silence."""
    from voicecare.audio.compat import audioop

    frame = SAMPLE_RATE // 100 * SAMPLE_WIDTH
    loud = [i for i in range(0, len(pcm) - frame + 1, frame) if audioop.rms(pcm[i : i + frame], 2) > floor]
    return pcm[loud[0] : loud[-1] + frame] if loud else pcm


def tune(args: argparse.Namespace) -> dict[str, object]:
    """Thresholds from the TUNING voices only: each clip's highest detection probability (10 dB SNR), and
    the highest threshold that still detects ``--tune-target`` of them. Held-out voices are never made."""
    from voicecare.recognition.wake import MicroWakeDetector

    catalogue = load_wake_catalogue()
    speech = Speech(args.cache)
    room = noises()
    rng = random.Random(29)
    results: dict[str, object] = {}
    for phrase in (p for p in catalogue.phrases if p.engine == "micro"):
        peaks: list[float] = []
        for voice in TUNING:
            for speed in SPEEDS:
                for name in NOISES:
                    said = trim(speech.say(phrase.phrase, voice, speed))
                    clean = silence(1.0) + said + silence(1.5)
                    offset = rng.randrange(0, len(room[name]) // 2) * 2
                    mixed = mix_at_snr(
                        clean, noise_at(room[name], offset, len(clean)), 10.0, speech_rms(said)
                    )
                    detector = MicroWakeDetector(phrase)
                    peak = 0.0
                    for start in range(0, len(mixed) - 320 + 1, 320):
                        for features in detector._features.process_streaming(mixed[start : start + 320]):
                            peak = max(peak, detector._model.process_streaming_prob(features) or 0.0)
                    detector.close()
                    peaks.append(peak)
        peaks.sort()
        allowed = int(len(peaks) * (1 - args.tune_target))
        chosen = max(0.5, min(phrase.threshold, peaks[allowed] - 0.005))
        results[phrase.phrase] = {
            "clips": len(peaks),
            "shipped": phrase.threshold,
            "chosen": round(chosen, 3),
            "peaks_low": [round(p, 3) for p in peaks[:8]],
        }
        print(
            f"{phrase.phrase:15s} shipped {phrase.threshold:.2f}  chosen {chosen:.3f}  lowest peaks "
            f"{' '.join(f'{p:.2f}' for p in peaks[:8])}",
            flush=True,
        )
    return results


# ---------------------------------------------------------------- false wakes


def paragraphs() -> list[str]:
    """Long English texts with no wake phrase: the licences on this machine, then voicecare's content."""
    texts: list[str] = []
    seen: set[str] = set()
    for path in sorted(Path("/usr/share/common-licenses").iterdir()):
        real = str(path.resolve())
        if real in seen or not path.is_file():
            continue
        seen.add(real)
        body = path.read_text(errors="replace")
        for block in re.split(r"\n\s*\n", body):
            words = re.sub(r"[^A-Za-z0-9,.;:'?! -]+", " ", block).split()
            for start in range(0, len(words), 120):
                piece = " ".join(words[start : start + 120])
                if len(piece.split()) >= 8:
                    texts.append(piece)
    return [t for t in texts if not any(w in t.lower() for w in ("jarvis", "alexa", "mycroft", "nabu"))]


def own_lines() -> list[str]:
    """voicecare's own questions and narration (every string of its content files)."""
    import tomllib

    lines: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and len(value.split()) >= 4:
            lines.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((ROOT / "voicecare" / "content").rglob("*.toml")):
        walk(tomllib.loads(path.read_text()))
    return [re.sub(r"\{[a-z_]+\}", "", line) for line in lines]


def false_wake_stream(
    args: argparse.Namespace,
    hours: float,
    stats: dict[str, float],
    log: list[tuple[float, str, str]] | None = None,
) -> Iterator[bytes]:
    """Chunks of the false-wake tape, made as they are needed; ``stats`` gets seconds by kind, ``log`` the
    start time, voice and text of each piece."""
    speech = Speech(args.cache)
    room = noises()
    rng = random.Random(7)
    texts, own = paragraphs(), own_lines()
    voices = (*TUNING, *HELD_OUT)
    target = hours * 3600
    t = 0.0
    next_own = 120.0
    order = [(text, voice) for voice in voices for text in texts]
    rng.shuffle(order)
    for text, voice in order:
        if t >= target:
            return
        if t >= next_own:
            line = own[rng.randrange(len(own))]
            if log is not None:
                log.append((t, "voicecare heard back", line))
            pcm = heard_back(speech.espeak.pcm(line, "en-us", 160))
            stats["own_speech_s"] = stats.get("own_speech_s", 0.0) + len(pcm) / BYTES_PER_S
            next_own += rng.uniform(120, 300)
        else:
            if log is not None:
                log.append((t, voice.label, text))
            pcm = trim(speech.say(text, voice, rng.choice(SPEEDS)))
            key = f"speech_s:{voice.label}"
            stats[key] = stats.get(key, 0.0) + len(pcm) / BYTES_PER_S
        pcm = pcm + silence(rng.uniform(0.3, 1.5))
        name = rng.choice(NOISES)
        noise = noise_at(room[name], rng.randrange(0, len(room[name]) // 2) * 2, len(pcm))
        pcm = mix_at_snr(pcm, noise, rng.uniform(5, 20))
        t += len(pcm) / BYTES_PER_S
        stats["total_s"] = t
        pcm += bytes(-len(pcm) % CHUNK_BYTES)
        yield from split_chunks(pcm)


def tee_wakes(
    phrases: list[WakePhrase], chunks: Iterator[bytes], refractory_s: float
) -> dict[str, list[float]]:
    """Feed one stream to each phrase's waiting code in lock-step (one bus each, same chunks)."""
    waiters = []
    for phrase in phrases:
        bus = AudioBus(NullSink(), iter(()))
        waiters.append((phrase.phrase, bus, AudioWaiter(bus, open_detector(phrase, refractory_s))))
    found: dict[str, list[float]] = {p.phrase: [] for p in phrases}
    block: list[bytes] = []
    for chunk in chunks:
        block.append(chunk)
        if len(block) < 600:
            continue
        _feed(waiters, block, found)
        block = []
    _feed(waiters, block, found)
    return found


def _feed(
    waiters: list[tuple[str, AudioBus, AudioWaiter]], block: list[bytes], found: dict[str, list[float]]
) -> None:
    for name, bus, waiter in waiters:
        bus.source, bus.input_ended = iter(block), False
        while waiter.wake() is not None:
            found[name].append(bus.t_s)


def poisson_upper(count: int, confidence: float = 0.95) -> float:
    """One-sided upper confidence bound on a Poisson mean after ``count`` events (exact, by bisection)."""
    low, high = float(count), float(count) + 50.0

    def cdf(mean: float) -> float:
        return sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(count + 1))

    for _ in range(100):
        mid = (low + high) / 2
        if cdf(mid) > 1 - confidence:
            low = mid
        else:
            high = mid
    return high


def episode_peaks(phrase: WakePhrase, chunks: Iterator[bytes], gap_s: float) -> list[float]:
    """For tuning only: every stretch where the detection probability passed ``FLOOR`` (stretches closer
    than ``gap_s`` are one), with its highest probability."""
    from voicecare.recognition.wake import MicroWakeDetector

    detector = MicroWakeDetector(phrase)
    peaks: list[float] = []
    last_s = -1e9
    t_s = 0.0
    for chunk in chunks:
        for start in range(0, len(chunk) - 320 + 1, 320):
            t_s += 0.01
            for features in detector._features.process_streaming(chunk[start : start + 320]):
                probability = detector._model.process_streaming_prob(features) or 0.0
                if probability <= FLOOR:
                    continue
                if t_s - last_s > gap_s:
                    peaks.append(probability)
                else:
                    peaks[-1] = max(peaks[-1], probability)
                last_s = t_s
    detector.close()
    return peaks


FLOOR = 0.3


def curve(args: argparse.Namespace) -> dict[str, object]:
    """Thresholds against both targets: each clip's peak probability (10 dB, all voices, tuning and
    held-out apart) and the false-wake tape's episodes above FLOOR with their peaks; detection and false
    wakes an hour at each threshold, for choosing (the figures reported come from detection and
    false-wakes, through the waiting code)."""
    import itertools

    catalogue = load_wake_catalogue()
    speech = Speech(args.cache)
    room = noises()
    out: dict[str, object] = {}
    for phrase in (p for p in catalogue.phrases if p.engine == "micro"):
        rng = random.Random(13)
        clip_peaks: dict[str, list[float]] = {"tuning": [], "held_out": []}
        for voice, speed, name in itertools.product((*TUNING, *HELD_OUT), SPEEDS, NOISES):
            said = trim(speech.say(phrase.phrase, voice, speed))
            clean = silence(1.0) + said + silence(1.5)
            offset = rng.randrange(0, len(room[name]) // 2) * 2
            mixed = mix_at_snr(clean, noise_at(room[name], offset, len(clean)), 10.0, speech_rms(said))
            peaks = episode_peaks(phrase, split_chunks(mixed), 10.0)
            clip_peaks["tuning" if voice.tuning else "held_out"].append(max(peaks, default=0.0))
        stats: dict[str, float] = {}
        episodes = episode_peaks(phrase, false_wake_stream(args, args.hours, stats), catalogue.refractory_s)
        hours = stats["total_s"] / 3600
        rows = []
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97):
            row = {
                "threshold": threshold,
                "tuning_pct": round(
                    100 * sum(p > threshold for p in clip_peaks["tuning"]) / len(clip_peaks["tuning"]), 1
                ),
                "held_out_pct": round(
                    100 * sum(p > threshold for p in clip_peaks["held_out"]) / len(clip_peaks["held_out"]), 1
                ),
                "false_per_hour": round(sum(p > threshold for p in episodes) / hours, 3),
            }
            rows.append(row)
            print(
                f"{phrase.phrase:12s} {threshold:4.2f}  tuning {row['tuning_pct']:5.1f}%  held-out "
                f"{row['held_out_pct']:5.1f}%  false {row['false_per_hour']:6.3f}/h ({hours:.1f} h)",
                flush=True,
            )
        out[phrase.phrase] = rows
    return out


def false_wakes(args: argparse.Namespace) -> dict[str, object]:
    catalogue = load_wake_catalogue()
    phrases = [p for p in catalogue.phrases if p.engine == "micro"]
    stats: dict[str, float] = {}
    started = time.process_time()
    wall = time.monotonic()
    found = tee_wakes(phrases, false_wake_stream(args, args.hours, stats), catalogue.refractory_s)
    hours = stats.get("total_s", 0.0) / 3600
    results: dict[str, object] = {
        "hours": round(hours, 2),
        "cpu_s": round(time.process_time() - started, 1),
        "wall_s": round(time.monotonic() - wall, 1),
        "seconds_by_kind": {k: round(v) for k, v in stats.items()},
    }
    print(
        f"false wakes over {hours:.2f} h of speech and noise (no wake phrase); "
        f"{results['cpu_s']} CPU s, {results['wall_s']} wall s"
    )
    for name, times in found.items():
        upper = poisson_upper(len(times)) / hours if hours else float("nan")
        results[name] = {
            "wakes": len(times),
            "per_hour": round(len(times) / hours, 3) if hours else None,
            "upper95_per_hour": round(upper, 3),
            "at_s": [round(t, 1) for t in times[:50]],
        }
        print(
            f"  {name:15s} {len(times):4d} wakes  {len(times) / hours:6.3f}/h"
            f"  (95% upper bound {upper:.3f}/h)"
        )
    if args.keyphrase_hours > 0:
        keyphrase = next(p for p in catalogue.phrases if p.engine == "keyphrase")
        stats2: dict[str, float] = {}
        found2 = tee_wakes(
            [keyphrase], false_wake_stream(args, args.keyphrase_hours, stats2), catalogue.refractory_s
        )
        hours2 = stats2.get("total_s", 0.0) / 3600
        count = len(found2[keyphrase.phrase])
        results[keyphrase.phrase] = {
            "hours": round(hours2, 2),
            "wakes": count,
            "per_hour": round(count / hours2, 3),
            "upper95_per_hour": round(poisson_upper(count) / hours2, 3),
        }
        print(
            f"  {keyphrase.phrase:15s} {count:4d} wakes over the first {hours2:.2f} h"
            f"  {count / hours2:6.3f}/h"
        )
    return results


# ---------------------------------------------------------------- idle and latency (virtual devices)


def proc_stat(pid: int) -> tuple[float, int, int, int]:
    """CPU seconds, RSS kB, threads and open files of ``pid`` and its children (none expected)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    files = len(os.listdir(f"/proc/{pid}/fd"))
    return cpu, rss, threads, files


def start_home(env: dict[str, str], folder: Path, extra: list[str]) -> subprocess.Popen[str]:
    config = folder / "config.toml"
    command = [
        sys.executable,
        "-m",
        "voicecare",
        "home",
        "--json",
        "--config",
        str(config),
        "--no-save",
        *extra,
    ]
    return subprocess.Popen(
        command,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(process: subprocess.Popen[str], limit_s: float = 60.0) -> None:
    """Wait for the "waiting for" line on stderr."""
    assert process.stderr is not None
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if "waiting for" in line:
            return
        if process.poll() is not None:
            raise RuntimeError(f"voicecare home exited: {process.stderr.read()}")
    raise RuntimeError("voicecare home did not start")


def idle(args: argparse.Namespace) -> dict[str, object]:
    """Waiting on the virtual devices: never woken and nothing heard; a constant 1 kHz tone played into
    the microphone; then after one wake and conversation (the recogniser dropped again)."""
    from voicecare.simulation.virtual_audio import start_pulse, stop_pulse
    from voicecare.simulation.virtual_room import room_in_use

    speech = Speech(args.cache)
    phrase = trim(speech.say(load_wake_catalogue().default.phrase, TUNING[1], 1.0))
    windows: dict[str, list[dict[str, float]]] = {"silence": [], "tone": [], "after_wake": []}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        server = start_pulse(folder)
        try:
            with room_in_use(server, folder) as room:
                process = start_home(server.env, folder, ["--timeout", "2"])
                try:
                    wait_ready(process)
                    time.sleep(5.0)
                    for case in ("silence", "tone", "after_wake"):
                        player = None
                        if case == "tone":
                            player = room.say(tone_pcm(args.idle_s * args.repeats + 5))
                        if case == "after_wake":
                            room.say(phrase + silence(0.3)).wait()
                            time.sleep(25.0)
                        for _ in range(args.repeats):
                            windows[case].append(measure(process.pid, args.idle_s))
                            row = windows[case][-1]
                            print(
                                f"  {case:10s} {args.idle_s:g} s: {row['cpu_pct']:5.2f}% of one core, "
                                f"RSS {row['rss_mb']:5.1f} MB (PSS {row['pss_mb']:5.1f} MB), "
                                f"{row['threads']} threads, {row['open_files']} open files "
                                f"(load average {row['load1']:.2f})",
                                flush=True,
                            )
                        if player is not None:
                            player.terminate()
                            player.wait()
                finally:
                    process.terminate()
                    process.wait(timeout=10)
        finally:
            stop_pulse(server)
    summary: dict[str, object] = {"windows": windows, "nproc": os.cpu_count()}
    for case, rows in windows.items():
        cpus = [r["cpu_pct"] for r in rows]
        summary[case] = {
            "cpu_pct_median": statistics.median(cpus),
            "cpu_pct_min": min(cpus),
            "cpu_pct_max": max(cpus),
            "rss_mb_max": max(r["rss_mb"] for r in rows),
            "pss_mb_max": max(r["pss_mb"] for r in rows),
        }
    return summary


def tone_pcm(seconds: float, hz: float = 1000.0, amplitude: int = 6000) -> bytes:
    from array import array

    count = int(seconds * SAMPLE_RATE)
    return array(
        "h", (int(amplitude * math.sin(2 * math.pi * hz * i / SAMPLE_RATE)) for i in range(count))
    ).tobytes()


def measure(pid: int, seconds: float) -> dict[str, float]:
    cpu0, _, _, _ = proc_stat(pid)
    t0 = time.monotonic()
    time.sleep(seconds)
    cpu1, rss, threads, files = proc_stat(pid)
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    pss = int(re.search(r"Pss:\s+(\d+)", rollup).group(1))  # type: ignore[union-attr]
    return {
        "cpu_pct": round(100 * (cpu1 - cpu0) / (time.monotonic() - t0), 2),
        "rss_mb": round(rss / 1024, 1),
        "pss_mb": round(pss / 1024, 1),
        "threads": threads,
        "open_files": files,
        "load1": round(os.getloadavg()[0], 2),
    }


def latency(args: argparse.Namespace) -> dict[str, object]:
    from voicecare.simulation.virtual_audio import start_pulse, stop_pulse
    from voicecare.simulation.virtual_room import last_sound_end_s, position_s, room_in_use, sound_frames
    from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm

    catalogue = load_wake_catalogue()
    phrase = catalogue.default
    speech = Speech(args.cache)
    earcon = earcon_pcm(Earcon.LISTENING, EarconSettings())
    trials = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        server = start_pulse(folder)
        try:
            with room_in_use(server, folder) as room:
                process = start_home(server.env, folder, ["--timeout", "3"])
                try:
                    wait_ready(process)
                    time.sleep(2.0)
                    voices = [*TUNING, *HELD_OUT]
                    for trial in range(args.trials):
                        voice = voices[trial % len(voices)]
                        said = trim(speech.say(phrase.phrase, voice, 1.0))
                        with room.record() as recording:
                            time.sleep(0.5)
                            room.say(said + silence(0.2)).wait()
                            time.sleep(3.0)
                        person, speaker = recording.person, recording.speaker
                        spoken = sound_frames(person)
                        started = spoken[0] * 0.01 if spoken else 0.0
                        sounds = [f * 0.01 for f in sound_frames(speaker) if f * 0.01 > started]
                        exact = position_s(speaker, earcon[: CHUNK_BYTES // 4])
                        at = sounds[0] if sounds else None
                        phrase_end = last_sound_end_s(person, at) if at is not None else None
                        if at is None or phrase_end is None:
                            print(f"  trial {trial + 1} ({voice.label}): no earcon", flush=True)
                            trials.append({"voice": voice.label, "earcon_ms": None})
                            time.sleep(12.0)
                            continue
                        if exact is not None and abs(exact - at) > 0.02:
                            print(f"  trial {trial + 1}: first sound at {at:.2f} s, earcon at {exact:.2f} s")
                        earcon_end = at + len(earcon) / BYTES_PER_S
                        after = [f * 0.01 for f in sound_frames(speaker) if f * 0.01 > earcon_end + 0.02]
                        word = after[0] if after else None
                        row = {
                            "voice": voice.label,
                            "earcon_ms": round(1000 * (at - phrase_end)),
                            "first_word_ms": None if word is None else round(1000 * (word - phrase_end)),
                            "load1": round(os.getloadavg()[0], 2),
                        }
                        trials.append(row)
                        print(
                            f"  trial {trial + 1} ({voice.label}): "
                            f"phrase end -> earcon {row['earcon_ms']} ms, "
                            f"-> first word of 'Yes?' {row['first_word_ms']} ms (load {row['load1']})",
                            flush=True,
                        )
                        time.sleep(20.0)
                finally:
                    process.terminate()
                    process.wait(timeout=10)
        finally:
            stop_pulse(server)
    got = [t["earcon_ms"] for t in trials if t["earcon_ms"] is not None]
    words = [t["first_word_ms"] for t in trials if t.get("first_word_ms") is not None]
    summary: dict[str, object] = {"phrase": phrase.phrase, "trials": trials, "detected": len(got)}
    if got:
        summary.update(
            earcon_ms_median=statistics.median(got), earcon_ms_max=max(got), earcon_ms_min=min(got)
        )
    if words:
        summary.update(first_word_ms_median=statistics.median(words), first_word_ms_max=max(words))
    print(json.dumps({k: v for k, v in summary.items() if k != "trials"}))
    return summary


def soak(args: argparse.Namespace) -> dict[str, object]:
    """``--soak-hours`` on the simulated clock: room noise, and each hour the wake phrase and a
    conversation (the menu, then silence: back to waiting), through the home device's own loop, visit and
    voice channel (the recogniser loaded on each wake and dropped after, as on a device). RSS, threads
    and open files at each simulated hour."""
    from voicecare.dialogue.event_sinks import RecordingSink
    from voicecare.home.loop import HomeLoop
    from voicecare.home.settings import HomeSettings
    from voicecare.home.woken import HomeVisit
    from voicecare.recognition.engines import load_recognizer, unload_recognizers
    from voicecare.session.io import voice_io
    from voicecare.settings import settings_without_config
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    catalogue = load_wake_catalogue()
    speech = Speech(args.cache)
    room = noises()
    phrase = trim(speech.say(catalogue.default.phrase, HELD_OUT[0], 1.0))
    rows: list[dict[str, float]] = []

    def usage(hour: int) -> None:
        status = Path("/proc/self/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
        threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        rows.append(
            {
                "hour": hour,
                "rss_mb": round(rss, 1),
                "threads": threads,
                "open_files": len(os.listdir("/proc/self/fd")),
            }
        )

    def tape() -> Iterator[bytes]:
        rng = random.Random(3)
        for hour in range(int(args.soak_hours)):
            usage(hour)
            name = NOISES[hour % len(NOISES)]
            for second in range(0, 3600, 10):
                piece = noise_at(room[name], rng.randrange(0, len(room[name]) // 2) * 2, 10 * BYTES_PER_S)
                from voicecare.audio.compat import audioop

                piece = audioop.mul(piece, SAMPLE_WIDTH, 0.3)
                if second == 1800:
                    said = phrase + silence(1.0)
                    piece = mix_at_snr(said + bytes(len(piece) - len(said)), piece, 15.0, speech_rms(phrase))
                yield from split_chunks(piece)
        usage(int(args.soak_hours))

    settings = settings_without_config(save=False)
    with Pyttsx3Synthesizer() as synthesizer:
        load_recognizer("pocketsphinx")
        unload_recognizers()
        bus = AudioBus(NullSink(), tape(), live_input=True)
        events = RecordingSink()
        io = voice_io(bus, synthesizer, None, settings, events)
        visit = HomeVisit(io, settings, HomeSettings(catalogue.default))
        visit.load_recognizer = lambda: load_recognizer("pocketsphinx")[0]
        detector = open_detector(catalogue.default, catalogue.refractory_s)
        waiter = AudioWaiter(bus, detector)
        wall, cpu = time.monotonic(), time.process_time()
        loop = HomeLoop(waiter, visit, events)
        loop.run()
        events.events.clear()
    for row in rows:
        print(
            f"  hour {row['hour']:3d}: RSS {row['rss_mb']:6.1f} MB, {row['threads']} threads, "
            f"{row['open_files']} open files",
            flush=True,
        )
    later = rows[1:]
    result = {
        "simulated_hours": args.soak_hours,
        "wakes": len(loop.wakes),
        "rss_mb_first_hour": rows[1]["rss_mb"],
        "rss_mb_last": rows[-1]["rss_mb"],
        "rss_growth_mb_after_first_hour": round(rows[-1]["rss_mb"] - rows[1]["rss_mb"], 1),
        "rss_mb_max_after_first_hour": max(r["rss_mb"] for r in later),
        "threads": sorted({r["threads"] for r in later}),
        "open_files": sorted({r["open_files"] for r in later}),
        "wall_s": round(time.monotonic() - wall, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
    }
    print(json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "part", choices=("tune", "curve", "soak", "detection", "false-wakes", "idle", "latency", "all")
    )
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "voicecare-bench")
    parser.add_argument("--phrase", action="append", help="only these phrases (detection)")
    parser.add_argument("--hours", type=float, default=10.0, help="hours of false-wake speech")
    parser.add_argument(
        "--keyphrase-hours", type=float, default=1.0, help="hours for the pocketsphinx phrase"
    )
    parser.add_argument("--idle-s", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--draws", type=int, default=4, help="noise stretches per voice, speed and noise")
    parser.add_argument("--soak-hours", type=float, default=24.0)
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--tune-target", type=float, default=0.97, help="share of tuning clips to detect")
    args = parser.parse_args()
    parts = ("detection", "false-wakes", "idle", "latency") if args.part == "all" else (args.part,)
    out: dict[str, object] = {"load_at_start": os.getloadavg()}
    for part in parts:
        print(f"== {part}", flush=True)
        out[part] = {
            "tune": tune,
            "curve": curve,
            "soak": soak,
            "detection": detection,
            "false-wakes": false_wakes,
            "idle": idle,
            "latency": latency,
        }[part](args)
    print(json.dumps(out))
    if args.json_out:
        args.json_out.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
