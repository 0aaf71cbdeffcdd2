"""Tier 3: ``voicecare home --audio-in LONG.wav``: a recording of the room (noise, wake phrases said by
flite and espeak-ng voices, a "stop" over voicecare's speech) runs on the session clock, through the real
wake phrase detector and recogniser, as fast as the machine allows."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, silence
from voicecare.audio.wav_files import read_wav, write_wav
from voicecare.simulation.espeak_speech import EspeakSpeech, require_espeak
from voicecare.simulation.flite_speech import FliteSpeech
from voicecare.simulation.room_noise import mix_at_snr, noise_at, speech_rms

ROOT = Path(__file__).resolve().parents[2]


def trimmed(pcm: bytes, floor: int = 200) -> bytes:
    from voicecare.audio.compat import audioop

    frame = SAMPLE_RATE // 100 * SAMPLE_WIDTH
    loud = [i for i in range(0, len(pcm) - frame + 1, frame) if audioop.rms(pcm[i : i + frame], 2) > floor]
    return pcm[loud[0] : loud[-1] + frame]


@pytest.fixture(scope="module")
def room_tape(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    """Noise, 'alexa' (flite slt), 'stop' said over the menu, 'alexa' (espeak-ng en-gb) and silence past the
    8 s the menu waits, 'alexa' again (flite kal16); and the tape times the three phrases end."""
    require_espeak()
    cache = tmp_path_factory.getbasetemp() / "home-speech"
    flite, espeak = FliteSpeech(cache), EspeakSpeech(cache)
    alexa = [trimmed(flite.pcm("alexa", "slt")), trimmed(espeak.pcm("alexa", "en-gb", 165)),
             trimmed(flite.pcm("alexa", "kal16"))]  # fmt: skip
    stop = trimmed(espeak.pcm("stop", "en-us", 150))
    parts = [silence(3), alexa[0], silence(4), stop, silence(8), alexa[1], silence(30), alexa[2], silence(15)]
    ends, at = [], 0
    for part in parts:
        at += len(part)
        if any(part is phrase for phrase in alexa):
            ends.append(at / (SAMPLE_RATE * SAMPLE_WIDTH))
    clean = b"".join(parts)
    noise = read_wav(ROOT / "tests" / "data" / "running_tap_10s.wav")
    tape = mix_at_snr(clean, noise_at(noise, 0, len(clean)), 30.0, speech_rms(alexa[0]))
    path = tmp_path_factory.mktemp("tape") / "room.wav"
    write_wav(path, tape)
    return path, ends


def test_a_long_recording_wakes_it_on_each_phrase_on_the_session_clock(
    room_tape: tuple[Path, list[float]], tmp_path: Path
) -> None:
    tape, ends = room_tape
    out = tmp_path / "out.wav"
    command = [sys.executable, "-m", "voicecare", "home", "--audio-in", str(tape), "--audio-out", str(out)]
    command += ["--json", "--no-save", "--engine", "pocketsphinx", "--config", str(tmp_path / "c.toml")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    wakes = [e for e in events if e["type"] == "wake"]
    assert [w["phrase"] for w in wakes] == ["alexa"] * 3
    for wake, end in zip(wakes, ends, strict=True):
        assert end - 0.5 <= wake["t"] <= end + 1.0
    heard = [e for e in events if e["type"] == "heard"]
    assert heard[0]["answer"] == "command:stop"
    assert heard[1]["answer"] == "silence"
    assert [e["type"] for e in events].count("end") == 3
    assert abs(len(read_wav(out)) - len(read_wav(tape))) <= SAMPLE_RATE * SAMPLE_WIDTH // 2


@pytest.mark.parametrize("kind", ["silence", "tone"])
def test_minutes_of_silence_or_a_constant_tone_wake_nothing(kind: str, tmp_path: Path) -> None:
    import math
    from array import array

    count = 5 * 60 * SAMPLE_RATE
    if kind == "silence":
        pcm = bytes(count * SAMPLE_WIDTH)
    else:
        pcm = array(
            "h", (int(8000 * math.sin(2 * math.pi * 1000 * i / SAMPLE_RATE)) for i in range(count))
        ).tobytes()
    tape = tmp_path / f"{kind}.wav"
    write_wav(tape, pcm)
    command = [sys.executable, "-m", "voicecare", "home", "--audio-in", str(tape), "--json", "--no-save"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_a_setting_said_to_the_menu_is_heard_among_the_devices_choices(tmp_path: Path) -> None:
    """The menu's grammar holds the session's choices and the device's (volume, people, mute): 'quieter'
    said after the menu is taken, said back, and kept in the config."""
    from voicecare.home.woken import load_home_talk
    from voicecare.settings import load_settings
    from voicecare.speech.cached import CachedSynthesizer
    from voicecare.speech.ports import SpeechSettings
    from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer

    require_espeak()
    talk = load_home_talk()
    with Pyttsx3Synthesizer() as synthesizer:
        cached = CachedSynthesizer(synthesizer)
        spoken_s = sum(
            cached.seconds(text, SpeechSettings()) for text in (talk.line("yes"), talk.line("menu"))
        )
    cache = tmp_path / "speech"
    alexa = trimmed(FliteSpeech(cache).pcm("alexa", "kal16"))
    quieter = trimmed(EspeakSpeech(cache).pcm("quieter", "en-us", 150))
    gap = silence(spoken_s + 2.0)
    tape = tmp_path / "room.wav"
    write_wav(tape, silence(2) + alexa + gap + quieter + silence(12))
    config = tmp_path / "c.toml"
    command = [
        sys.executable,
        "-m",
        "voicecare",
        "home",
        "--audio-in",
        str(tape),
        "--json",
        "--config",
        str(config),
    ]
    command += ["--engine", "pocketsphinx"]
    env_config = f'data_dir = "{tmp_path / "data"}"\n'
    config.write_text(env_config)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    heard = [e for e in events if e["type"] == "heard"]
    assert heard and (heard[0]["text"], heard[0]["answer"]) == ("quieter", "choice"), events
    assert {"type": "say", "text": "Quieter, volume 9."} in events
    assert load_settings(config, environ={}).volume == 0.9
