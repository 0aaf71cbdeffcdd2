#!/usr/bin/env python3
"""Session benchmark: peak RSS of a whole session, stop latency, and CPU while listening idle.

Run from the project root: ``.venv/bin/python scripts/bench_session.py [--trials N] [--idle-s S]``.
Prints a table. Every figure uses the embedded recogniser (pocketsphinx) and the real synthesiser.

- whole session: ``voicecare demo --engine pocketsphinx`` in its own process (a screening with no
  warning signs, the advice, then the 4-group relaxation with pause, resume and slower, on the simulated
  clock): the process's peak RSS, CPU and wall time, and the session's audio length. The demo opens no
  sound device; what PortAudio adds (``import sounddevice`` scans the ALSA devices, loading every ALSA
  plugin configured on the machine) is measured on its own.
- stop latency: the exercise player narrates the 4-group relaxation and the person says "stop" 2 s into
  its first sentence (tests/stop_trial.py). Measured in the audio from the end of the word "stop" to the
  narration's silence: on the simulated clock (WAV tape in, WAV out), and in real time through a
  private PulseAudio server's virtual room (``Microphone`` and ``Speaker``; the recording holds both
  voices on one clock, see tests/virtual_room.py), which adds the devices' capture and playback delay.
- idle listening: the microphone open on the virtual device, nothing said, the player's stage listening
  for commands in a silence (as in an exercise's pause) for ``--idle-s`` seconds of real time: process
  CPU seconds over wall seconds, as a percentage of one core.

Targets: peak RSS <= 100 MB; stop latency <= 300 ms; idle listening <= 5% of one core.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicecare.audio.pcm import silence  # noqa: E402
from voicecare.dialogue.port import Listening, Turn  # noqa: E402
from voicecare.narration.player import PlayEnd, command_grammar  # noqa: E402
from voicecare.simulation.stop_trial import ExercisePieces, StopTrial, real_time_stop, simulated_stop  # noqa: E402
from voicecare.simulation.virtual_audio import start_pulse, stop_pulse  # noqa: E402
from voicecare.simulation.virtual_room import room_in_use  # noqa: E402
from voicecare.speech.ports import SpeechSettings  # noqa: E402

PEOPLE = (
    SpeechSettings(rate_wpm=150, voice="gmw/en-us"),
    SpeechSettings(rate_wpm=170, voice="gmw/en"),
    SpeechSettings(rate_wpm=140, voice="gmw/en-gb-scotland"),
)
"""Who says "stop", in turn: voices and rates other than voicecare's own."""


def whole_session(folder: Path) -> dict[str, float]:
    """Run ``voicecare demo`` in a child process; its peak RSS (MB), CPU s, wall s and audio minutes."""
    command = [
        sys.executable,
        "-m",
        "voicecare",
        "demo",
        "--engine",
        "pocketsphinx",
        "--audio-out",
        str(folder / "demo.wav"),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall_s = time.perf_counter() - started
    errors = process.stderr.read() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"voicecare demo failed ({process.returncode}):\n{errors[-2000:]}")
    found = re.search(r"\(([\d.]+) minutes of audio", errors)
    return {
        "rss_mb": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "wall_s": wall_s,
        "audio_min": float(found.group(1)) if found else 0.0,
    }


PORTAUDIO_PROBE = """
def status():
    return {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in open("/proc/self/status"))
            if k in ("VmRSS", "RssFile")}
before = status()
import sounddevice
after = status()
print((after["VmRSS"] - before["VmRSS"]) / 1024, (after["RssFile"] - before["RssFile"]) / 1024)
"""


def portaudio_rss_mb() -> tuple[float, float]:
    """RSS (MB) that opening PortAudio adds to a process, and how much of it is shared libraries.

    The demo never opens a sound device; a session on a microphone and speaker pays this as well.
    """
    done = subprocess.run([sys.executable, "-c", PORTAUDIO_PROBE], check=True, capture_output=True, text=True)
    total, files = done.stdout.split()
    return float(total), float(files)


def stop_and_idle(trials: int, idle_s: float) -> dict[str, object]:
    """Stop trials (simulated and real time) and idle listening, in this process."""
    from voicecare.audio.bus import AudioBus
    from voicecare.audio.devices import Microphone, Speaker
    from voicecare.audio.echo_gate import EchoGate
    from voicecare.recognition.engines import load_recognizer
    from voicecare.speech.cached import CachedSynthesizer
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    recognizer, _ = load_recognizer("pocketsphinx")
    with tempfile.TemporaryDirectory() as temp, Pyttsx3Synthesizer() as synthesizer:
        folder = Path(temp)
        pieces = ExercisePieces(CachedSynthesizer(synthesizer), recognizer)
        stops = [
            silence(0.3) + b"".join(synthesizer.speak("stop", PEOPLE[i % len(PEOPLE)])) + silence(1.0)
            for i in range(trials)
        ]
        simulated = [simulated_stop(folder, pieces, stop) for stop in stops]
        (folder / "pulse").mkdir()
        server = start_pulse(folder / "pulse")
        try:
            with room_in_use(server, folder) as room:
                real = [real_time_stop(room, pieces, stop) for stop in stops]
                with Microphone(room.device) as microphone, Speaker(room.device) as speaker:
                    bus = AudioBus(speaker, microphone.chunks(), live_input=True, echo_gate=EchoGate())
                    channel = pieces.player(bus).channel
                    grammar = Turn(*command_grammar(pieces.understanding))
                    listening = Listening(grammar, lambda text: text or None)
                    bus.wait(1.0)
                    cpu, wall = time.process_time(), time.perf_counter()
                    interrupted = channel.wait(idle_s, listening)
                    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        finally:
            stop_pulse(server)
    return {
        "simulated": [_figures(t) for t in simulated],
        "real": [_figures(t) for t in real],
        "idle_cpu_s": cpu,
        "idle_wall_s": wall,
        "idle_interrupted": interrupted is not None,
    }


def _figures(trial: StopTrial) -> dict[str, object]:
    return {"stopped": trial.end is PlayEnd.STOPPED, "latency_s": trial.latency_s}


def latency_cell(trials: list[dict[str, object]]) -> str:
    stopped = sum(1 for t in trials if t["stopped"])
    latencies = [float(t["latency_s"]) for t in trials if t["stopped"] and t["latency_s"] is not None]  # type: ignore[arg-type]
    if not latencies:
        return f"stopped {stopped}/{len(trials)}, latency not measured"
    cells = ", ".join(f"{s * 1000:.0f}" for s in latencies)
    unmeasured = f" ({stopped - len(latencies)} unmeasured)" if stopped > len(latencies) else ""
    median_ms = statistics.median(latencies) * 1000
    return f"median {median_ms:.0f} ms ({cells}); stopped {stopped}/{len(trials)}{unmeasured}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=3, help="stop trials of each kind (default 3)")
    parser.add_argument("--idle-s", type=float, default=60.0, help="seconds of idle listening (default 60)")
    parser.add_argument("--worker", nargs=2, type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(stop_and_idle(int(args.worker[0]), args.worker[1])))
        return
    with tempfile.TemporaryDirectory() as temp:
        session = whole_session(Path(temp))
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(args.trials), str(args.idle_s)],
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    idle_pct = 100 * measured["idle_cpu_s"] / measured["idle_wall_s"]
    portaudio, libraries = portaudio_rss_mb()
    audio_s = session["audio_min"] * 60
    rows = [
        ("whole session peak RSS (voicecare demo)", f"{session['rss_mb']:.1f} MB", "<= 100 MB"),
        (
            "+ PortAudio, for a session on devices",
            f"+{portaudio:.1f} MB RSS ({libraries:.1f} MB of it shared libraries)",
            "",
        ),
        (
            "whole session time",
            f"{audio_s:.0f} s audio in {session['wall_s']:.1f} s wall ({audio_s / session['wall_s']:.1f}x), "
            f"{session['cpu_s']:.1f} s CPU",
            "",
        ),
        ("stop latency, simulated clock", latency_cell(measured["simulated"]), "<= 300 ms"),
        ("stop latency, real time (PulseAudio)", latency_cell(measured["real"]), "<= 300 ms"),
        (
            f"idle listening CPU ({measured['idle_wall_s']:.0f} s)",
            f"{idle_pct:.2f}% of one core ({measured['idle_cpu_s']:.2f} s CPU)"
            + (" (interrupted!)" if measured["idle_interrupted"] else ""),
            "<= 5%",
        ),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'result':<60}  target")
    for name, result, target in rows:
        print(f"{name:<{width}}  {result:<60}  {target}")


if __name__ == "__main__":
    main()
