"""Tier 3: WAV files made by the real sox command (other encodings, compressed, streamed through a pipe),
and a real process killed while writing one. The other WAV reading and writing is in
tests/logic/test_wav_files.py, whose helpers these tests share."""

from __future__ import annotations

import shutil
import signal
import struct
import subprocess
import sys
from array import array
from pathlib import Path

import pytest

from tests.logic.test_wav_files import REFERENCE, assert_same_audio, raises_naming, samples, tone
from voicecare.audio.pcm import SAMPLE_RATE
from voicecare.audio.wav_files import read_wav


@pytest.fixture(scope="module")
def reference() -> array[int]:
    return samples(read_wav(REFERENCE))


SOX_ENCODINGS = {
    "float32": ["-e", "floating-point", "-b", "32"],
    "float64": ["-e", "floating-point", "-b", "64"],
    "a-law": ["-e", "a-law"],
    "mu-law": ["-e", "u-law"],
    "extensible-4-channels": ["-c", "4"],
    "extensible-24-bit-48k": ["-b", "24", "-r", "48000"],
    "22050-hz": ["-r", "22050"],
}


def sox(source: Path, target: Path, *options: str) -> Path:
    assert shutil.which("sox"), "sox is missing: run scripts/setup"
    subprocess.run(["sox", str(source), *options, str(target)], check=True)
    return target


@pytest.mark.parametrize("name", SOX_ENCODINGS)
def test_sox_made_encodings_convert_to_the_same_audio(
    name: str, tmp_path: Path, reference: array[int]
) -> None:
    path = sox(REFERENCE, tmp_path / f"{name}.wav", *SOX_ENCODINGS[name])
    companded = name.endswith("-law")
    resampled = "-r" in SOX_ENCODINGS[name]
    assert_same_audio(read_wav(path), reference, max_rms_difference=0.3 if resampled or companded else 0.01)


@pytest.mark.parametrize(("encoding", "name"), [("ima-adpcm", "IMA ADPCM"), ("ms-adpcm", "Microsoft ADPCM")])
def test_compressed_wav_encodings_are_refused_by_name(encoding: str, name: str, tmp_path: Path) -> None:
    path = sox(REFERENCE, tmp_path / "compressed.wav", "-e", encoding)
    raises_naming(path, name, "sox")


def test_a_run_killed_mid_write_leaves_nothing_under_the_final_name(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    script = (
        "import os, signal\n"
        "from voicecare.audio.wav_files import WavFileSink\n"
        f"sink = WavFileSink({str(path)!r})\n"
        "sink.write(bytes(32000))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert not path.exists()
    assert [part.name.startswith(".out.wav.") for part in tmp_path.iterdir()] == [True]


def test_a_wav_streamed_through_a_pipe_with_no_length_in_its_header_is_read_to_its_end(
    tmp_path: Path,
) -> None:
    assert shutil.which("sox"), "sox is missing: run scripts/setup"
    pcm = tone(0.5)
    command = f"sox -t raw -r {SAMPLE_RATE} -c 1 -b 16 -e signed - -t wav -"
    streamed = subprocess.run(
        command.split(),
        input=pcm,
        capture_output=True,
        check=True,
    ).stdout
    path = tmp_path / "streamed.wav"
    path.write_bytes(streamed)
    assert struct.unpack_from("<I", streamed, 40)[0] > len(streamed)
    assert read_wav(path) == pcm
