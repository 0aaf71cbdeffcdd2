"""WAV files in and out: every format in tests/data/formats, every kind of bad file.

Encodings made by the sox command, and a run killed mid-write, need other processes: they are proven in
tests/engines/test_wav_sox.py."""

from __future__ import annotations

import math
import struct
import wave
from array import array
from pathlib import Path

import pytest

from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, duration_s, join_chunks
from voicecare.audio.wav_files import WavFileSink, WavFileSource, read_wav, write_wav
from voicecare.errors import AudioFileError

FORMATS = Path(__file__).parent.parent / "data" / "formats"
REFERENCE = FORMATS / "audio-mono-16-bit-44100Hz.wav"
SPEECH = Path(__file__).parent.parent / "data"


def samples(pcm: bytes) -> array[int]:
    return array("h", pcm)


def correlation(a: array[int], b: array[int]) -> float:
    n = min(len(a), len(b))
    mean_a = sum(a[:n]) / n
    mean_b = sum(b[:n]) / n
    cross = sum((x - mean_a) * (y - mean_b) for x, y in zip(a[:n], b[:n], strict=True))
    power_a = sum((x - mean_a) ** 2 for x in a[:n])
    power_b = sum((y - mean_b) ** 2 for y in b[:n])
    return cross / math.sqrt(power_a * power_b)


def relative_rms_difference(a: array[int], b: array[int]) -> float:
    n = min(len(a), len(b))
    difference = sum((x - y) ** 2 for x, y in zip(a[:n], b[:n], strict=True))
    power = sum(y * y for y in b[:n])
    return math.sqrt(difference / power)


@pytest.fixture(scope="module")
def reference() -> array[int]:
    return samples(read_wav(REFERENCE))


def assert_same_audio(pcm: bytes, reference: array[int], max_rms_difference: float) -> None:
    assert abs(duration_s(pcm) - len(reference) / SAMPLE_RATE) < 0.010
    got = samples(pcm)
    assert correlation(got, reference) > 0.99
    assert relative_rms_difference(got, reference) < max_rms_difference


def test_the_reference_comes_out_at_16_khz_with_its_length_kept(reference: array[int]) -> None:
    with wave.open(str(REFERENCE)) as original:
        seconds = original.getnframes() / original.getframerate()
    assert abs(len(reference) / SAMPLE_RATE - seconds) < 0.010
    assert max(abs(v) for v in reference) > 1000


@pytest.mark.parametrize("path", sorted(FORMATS.glob("*.wav")), ids=lambda p: p.name)
def test_every_wav_in_formats_converts_to_the_same_audio(path: Path, reference: array[int]) -> None:
    eight_bit = "8-bit" in path.name
    assert_same_audio(read_wav(path), reference, max_rms_difference=0.1 if eight_bit else 0.01)


@pytest.mark.parametrize("name", ["yes_1000ms", "no_1000ms", "noise_1000ms", "silence_1000ms"])
def test_the_one_second_recordings_read_as_one_second(name: str) -> None:
    pcm = read_wav(SPEECH / f"{name}.wav")
    assert duration_s(pcm) == 1.0


def test_speech_files_read_with_their_lengths() -> None:
    assert abs(duration_s(read_wav(SPEECH / "digits_16k.wav")) - 8.308) < 0.01
    assert abs(duration_s(read_wav(SPEECH / "one_two_three_44k.wav")) - 2.745) < 0.01


def test_a_16k_mono_file_is_read_byte_for_byte() -> None:
    path = SPEECH / "yes_1000ms.wav"
    with wave.open(str(path)) as original:
        raw = original.readframes(original.getnframes())
    assert read_wav(path) == raw


def raises_naming(path: Path, *words: str) -> str:
    with pytest.raises(AudioFileError) as caught:
        read_wav(path)
    message = caught.value.one_line()
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    raises_naming(tmp_path / "absent.wav", "no audio file", "absent.wav")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    raises_naming(tmp_path, "is a folder")


def test_an_empty_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    raises_naming(path, "empty")


def test_a_text_file_named_wav_is_not_a_wav(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("remember to stretch\n")
    raises_naming(path, "not a WAV file", "sox")


def test_a_truncated_wav_is_caught_though_wave_reads_it(tmp_path: Path) -> None:
    whole = (SPEECH / "yes_1000ms.wav").read_bytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(whole[: len(whole) // 2])
    with wave.open(str(path)) as lenient:
        assert lenient.readframes(lenient.getnframes())
    raises_naming(path, "truncated", "32000")


def test_a_header_with_no_audio_is_refused(tmp_path: Path) -> None:
    whole = (SPEECH / "yes_1000ms.wav").read_bytes()
    path = tmp_path / "header.wav"
    path.write_bytes(whole[:36])
    raises_naming(path, "no audio data")


def test_a_wav_with_zero_samples_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zero.wav"
    write_wav(path, b"")
    raises_naming(path, "no audio")


def test_flac_is_refused_with_how_to_convert() -> None:
    raises_naming(FORMATS / "audio-mono-16-bit-44100Hz.flac", "FLAC", "sox", "-r 16000 -c 1 -b 16")


def test_aiff_is_refused_with_how_to_convert() -> None:
    raises_naming(FORMATS / "audio-mono-16-bit-44100Hz.aiff", "AIFF", "sox", "-r 16000 -c 1 -b 16")


def test_an_unknown_format_tag_is_refused(tmp_path: Path) -> None:
    fmt = struct.pack("<HHIIHH", 0x1234, 1, 16000, 32000, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", 4) + bytes(4)
    path = tmp_path / "odd.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    raises_naming(path, "0x1234")


def tone(seconds: float, hz: float = 440.0) -> bytes:
    n = int(seconds * SAMPLE_RATE)
    wave_form = (int(8000 * math.sin(2 * math.pi * hz * i / SAMPLE_RATE)) for i in range(n))
    return struct.pack(f"<{n}h", *wave_form)


def test_write_then_read_gives_back_the_same_pcm(tmp_path: Path) -> None:
    pcm = tone(0.75)
    path = tmp_path / "tone.wav"
    write_wav(path, pcm)
    assert read_wav(path) == pcm
    with wave.open(str(path)) as written:
        assert (written.getnchannels(), written.getsampwidth(), written.getframerate()) == (1, 2, SAMPLE_RATE)


def test_sink_writes_nothing_under_the_final_name_until_closed(tmp_path: Path) -> None:
    path = tmp_path / "out.wav"
    sink = WavFileSink(path)
    sink.write(tone(0.3))
    sink.stop()
    sink.write(tone(0.2))
    sink.drain()
    assert not path.exists()
    assert len(list(tmp_path.iterdir())) == 1
    sink.close()
    sink.close()
    assert duration_s(read_wav(path)) == 0.5
    assert list(tmp_path.iterdir()) == [path]


def test_sink_interrupted_by_an_error_keeps_the_old_file_and_leaves_no_litter(tmp_path: Path) -> None:
    path = tmp_path / "answer.wav"
    write_wav(path, tone(0.2))
    with pytest.raises(KeyboardInterrupt), WavFileSink(path) as sink:
        sink.write(tone(1.0))
        raise KeyboardInterrupt
    assert duration_s(read_wav(path)) == 0.2
    assert list(tmp_path.iterdir()) == [path]


def test_sink_joins_odd_sized_writes_into_whole_samples(tmp_path: Path) -> None:
    pcm = tone(0.1)
    path = tmp_path / "odd.wav"
    with WavFileSink(path) as sink:
        sink.write(pcm[:101])
        sink.write(pcm[101:])
    assert read_wav(path) == pcm


def test_sink_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="no folder"):
        WavFileSink(tmp_path / "absent" / "out.wav")


def test_source_yields_chunk_sized_pieces_that_join_to_the_file() -> None:
    path = SPEECH / "one_two_three_44k.wav"
    source = WavFileSource(path)
    chunks = list(source.chunks())
    assert all(len(chunk) == CHUNK_BYTES for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= CHUNK_BYTES
    assert join_chunks(chunks) == read_wav(path)
    assert source.duration_s == duration_s(read_wav(path))


def test_source_stops_yielding_once_closed() -> None:
    source = WavFileSource(SPEECH / "digits_16k.wav")
    taken = []
    for chunk in source.chunks():
        taken.append(chunk)
        if len(taken) == 3:
            source.close()
    assert len(taken) == 3


def test_a_bad_file_fails_when_the_source_is_made(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="no audio file"):
        WavFileSource(tmp_path / "absent.wav")


def test_a_device_is_never_replaced_by_the_atomic_rename() -> None:
    with pytest.raises(AudioFileError, match="device or pipe"):
        WavFileSink(Path("/dev/null"))
    assert not Path("/dev/null").is_file()
