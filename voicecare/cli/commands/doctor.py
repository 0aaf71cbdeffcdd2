"""``voicecare doctor``: check sound devices, the synthesiser, each recogniser and model; say what to fix."""

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicecare.errors import VoicecareError

PROBE_PHRASES = ["yes", "no", "not sure"]
PROBE_LEAD_S = 1.0
"""Seconds of silence before the probe word, as a person pauses before answering."""


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, whether it is fine, and what was found or what to do."""

    name: str
    ok: bool
    detail: str
    essential: bool = False


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser("doctor", help="check audio devices, synthesiser, recognisers and models")
    parser.add_argument("--models-dir", type=Path, help="models folder to look in")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    checks = [_devices(), *_speech_and_recognition(), *_vosk_models(args.models_dir)]
    width = max(len(check.name) for check in checks)
    for check in checks:
        print(f"{'ok' if check.ok else 'FIX':3}  {check.name:<{width}}  {check.detail}")
    broken = [check for check in checks if check.essential and not check.ok]
    if broken:
        print("voicecare cannot talk yet: fix the lines marked FIX above.")
        return 1
    print("voicecare can talk. Lines marked FIX are optional improvements.")
    return 0


def _guarded(name: str, probe: Callable[[], str], essential: bool = False) -> Check:
    try:
        return Check(name, True, probe(), essential)
    except VoicecareError as error:
        return Check(name, False, error.one_line(), essential)


def _devices() -> Check:
    def probe() -> str:
        from voicecare.audio.devices import list_devices

        devices = list_devices()
        inputs = sum(1 for d in devices if d.input_channels > 0)
        outputs = sum(1 for d in devices if d.output_channels > 0)
        return f"{inputs} input and {outputs} output devices"

    return _guarded("sound devices", probe)


def _speech_and_recognition() -> list[Check]:
    from voicecare.audio.pcm import duration_s
    from voicecare.speech.ports import SpeechSettings
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    spoken: list[bytes] = []

    def synthesise() -> str:
        with Pyttsx3Synthesizer() as synthesizer:
            spoken.append(b"".join(synthesizer.speak("yes", SpeechSettings(rate_wpm=150))))
            return f"espeak-ng through pyttsx3, {len(synthesizer.voices())} voices"

    checks = [_guarded("synthesiser", synthesise, essential=True)]

    def recognise() -> str:
        from voicecare.audio.pcm import silence, split_chunks
        from voicecare.recognition.engines import load_recognizer
        from voicecare.recognition.listening import listen

        recognizer, _ = load_recognizer("pocketsphinx")
        if not spoken:
            return "loaded (no synthesised speech to try it on)"
        audio = silence(PROBE_LEAD_S) + spoken[0] + silence(1.0)
        heard = listen(recognizer, split_chunks(audio), PROBE_PHRASES)
        got = heard.text if heard.accepted else "nothing"
        found = f"a synthesised 'yes' ({duration_s(audio):.1f} s) was heard as '{got}'"
        if got != "yes":
            raise _ProbeMissed(found)
        return f"embedded English model; {found}"

    checks.append(_guarded("pocketsphinx", recognise, essential=True))
    checks.append(_guarded("checker", _checker))
    return checks


def _checker() -> str:
    """The optional second recogniser that checks pocketsphinx where it is unsure (not loaded here)."""
    from voicecare.recognition.engines import checker_wanted
    from voicecare.recognition.whisper_check import INSTALL_HINT, available

    if not available():
        raise _NoChecker(INSTALL_HINT)
    if not checker_wanted():
        return "Whisper tiny.en installed but turned off (VOICECARE_CHECKER=off)"
    return "Whisper tiny.en (ctranslate2) checks pocketsphinx where it is unsure"


def _vosk_models(models_dir: Path | None) -> list[Check]:
    def probe() -> str:
        from voicecare.model_store.locate import installed_path
        from voicecare.model_store.manifest import DEFAULT_MANIFEST, load_manifest

        found = []
        for entry in load_manifest(DEFAULT_MANIFEST).values():
            path = installed_path(entry, models_dir)
            if path is not None:
                found.append(f"{entry.name} at {path}")
        if not found:
            raise _NoModel()
        return "; ".join(found)

    return [_guarded("vosk models", probe)]


class _ProbeMissed(VoicecareError):
    def __init__(self, found: str) -> None:
        super().__init__(found, "reinstall with scripts/setup, or try a Vosk model (--engine vosk)")


class _NoChecker(VoicecareError):
    def __init__(self, hint: str) -> None:
        super().__init__(
            "no second recogniser: answers pocketsphinx is unsure of are asked again",
            f"to check them with Whisper tiny.en (about 75 MB, offline) run '{hint}'",
        )


class _NoModel(VoicecareError):
    def __init__(self) -> None:
        super().__init__(
            "no Vosk model installed (pocketsphinx is used instead)",
            "for better English recognition run 'voicecare models download small-en-us'",
        )
