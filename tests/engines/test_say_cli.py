"""``voicecare say`` and ``voicecare voices`` run for real: real synthesiser, real WAV files, real devices."""

import subprocess
import sys
import wave
from pathlib import Path

import pytest

from voicecare.audio.compat import audioop
from voicecare.audio.devices import Microphone
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, duration_s
from voicecare.audio.wav_files import read_wav
from voicecare.cli.main import build_parser, main
from voicecare.simulation.virtual_audio import VirtualAudio
from voicecare.speech.ports import SpeechSettings
from voicecare.speech.pyttsx3_engine import Pyttsx3Synthesizer, wav_is_whole

TEXT = "Please lie on your back. Bend both knees, and rest your feet flat on the floor."
FRAME_BYTES = SAMPLE_RATE // 100 * SAMPLE_WIDTH
"""10 ms analysis frames."""
LOUD_RMS = 500


@pytest.fixture
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty config file, and no VOICECARE_* variables, so the person's own settings stay out."""
    config = tmp_path / "config.toml"
    config.write_text("")
    for name in ("VOICECARE_RATE_WPM", "VOICECARE_VOLUME", "VOICECARE_VOICE", "VOICECARE_OUTPUT_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    return config


def loud_seconds(pcm: bytes) -> float:
    frames = range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)
    return sum(audioop.rms(pcm[i : i + FRAME_BYTES], SAMPLE_WIDTH) > LOUD_RMS for i in frames) / 100


def test_say_writes_a_whole_wav_and_prints_nothing(
    tmp_path: Path, no_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "said.wav"
    assert main(["say", TEXT, "--audio-out", str(out), "--config", str(no_config)]) == 0
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""
    assert wav_is_whole(out)
    with wave.open(str(out), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, SAMPLE_WIDTH, SAMPLE_RATE)
    with Pyttsx3Synthesizer() as synthesizer:
        expected = synthesizer.synthesize(TEXT, SpeechSettings())
    assert duration_s(read_wav(out)) == pytest.approx(duration_s(expected), rel=0.02)
    assert list(tmp_path.glob(".*.part")) == []


def test_say_rate_and_volume_flags_change_the_speech(tmp_path: Path, no_config: Path) -> None:
    paths = {name: tmp_path / f"{name}.wav" for name in ("plain", "fast", "quiet")}
    flags = {"plain": [], "fast": ["--rate", "320"], "quiet": ["--volume", "0.2"]}
    for name, path in paths.items():
        assert main(["say", TEXT, "--audio-out", str(path), "--config", str(no_config), *flags[name]]) == 0
    plain, fast, quiet = (read_wav(paths[name]) for name in ("plain", "fast", "quiet"))
    assert duration_s(fast) < 0.7 * duration_s(plain)
    assert audioop.rms(quiet, SAMPLE_WIDTH) < 0.35 * audioop.rms(plain, SAMPLE_WIDTH)


def test_say_takes_the_rate_from_the_config_file(tmp_path: Path, no_config: Path) -> None:
    no_config.write_text("rate_wpm = 320\n")
    fast, plain = tmp_path / "fast.wav", tmp_path / "plain.wav"
    assert main(["say", TEXT, "--audio-out", str(fast), "--config", str(no_config)]) == 0
    assert main(["say", TEXT, "--audio-out", str(plain), "--config", str(no_config), "--rate", "160"]) == 0
    assert duration_s(read_wav(fast)) < 0.7 * duration_s(read_wav(plain))


def test_say_without_a_sound_device_exits_2_with_one_line(
    no_sound_devices: None, no_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["say", TEXT, "--config", str(no_config)]) == 2
    captured = capfd.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert "no sound devices" in lines[0]
    assert "--audio-out" in lines[0]


def test_say_with_an_unknown_voice_exits_2_with_one_line(
    tmp_path: Path, no_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.wav"
    args = ["say", TEXT, "--voice", "no-such-voice", "--audio-out", str(out), "--config", str(no_config)]
    assert main(args) == 2
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "voicecare: no voice called 'no-such-voice'. run 'voicecare voices' to list them"
    ]
    assert not out.exists()


def test_say_with_nothing_to_say_exits_2(no_config: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "   ", "--audio-out", "x.wav", "--config", str(no_config)]) == 2
    assert len(capfd.readouterr().err.splitlines()) == 1


def test_say_reads_the_text_from_standard_input(tmp_path: Path, no_config: Path) -> None:
    out = tmp_path / "stdin.wav"
    done = subprocess.run(
        [sys.executable, "-m", "voicecare", "say", "-", "--audio-out", str(out), "--config", str(no_config)],
        input="Yes.",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert 0.3 < duration_s(read_wav(out)) < 1.5


def test_voices_lists_the_english_voices(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "--language", "en"]) == 0
    out = capfd.readouterr().out
    ids = [line.split()[0] for line in out.splitlines()[1:-1]]
    assert "gmw/en-us" in ids and "gmw/en" in ids
    assert all("/en" in voice_id for voice_id in ids)


def test_say_plays_the_speech_on_the_speaker(
    virtual_audio: VirtualAudio, no_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Pyttsx3Synthesizer() as synthesizer:
        expected = synthesizer.synthesize(TEXT, SpeechSettings())
    virtual_audio.use_source(virtual_audio.speaker_monitor)
    with Microphone(virtual_audio.device) as microphone:
        assert main(["say", TEXT, "--device", virtual_audio.device, "--config", str(no_config)]) == 0
        recording = b""
        for chunk in microphone.chunks():
            recording += chunk
            if duration_s(recording) >= duration_s(expected) + 1.0:
                break
    assert capfd.readouterr().out == ""
    assert loud_seconds(recording) == pytest.approx(loud_seconds(expected), rel=0.15)


def test_say_takes_the_output_device_flag_of_the_dialogue_commands() -> None:
    parser = build_parser()
    assert parser.parse_args(["say", "hi", "--output-device", "vc_speaker"]).output_device == "vc_speaker"
    assert parser.parse_args(["say", "hi", "--device", "2"]).output_device == "2"
    assert parser.parse_args(["say", "hi"]).output_device is None


def test_say_on_an_unknown_output_device_exits_2_with_one_line_naming_it(
    virtual_audio: VirtualAudio, no_config: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    args = ["say", TEXT, "--output-device", "no-such-speaker", "--config", str(no_config)]
    assert main(args) == 2
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "voicecare: no output device is called 'no-such-speaker'. "
        "run 'voicecare devices' to see the sound devices"
    ]
