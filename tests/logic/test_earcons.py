"""Earcons: generated listening/done tones in voicecare's format, click-free, volume-scaled, switchable."""

import itertools
import math
from array import array

import pytest

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, SAMPLE_WIDTH, duration_s
from voicecare.errors import ConfigError
from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm, play_earcon, render

FULL_SCALE = 32767


def samples(pcm: bytes) -> list[int]:
    return array("h", pcm).tolist()


def dominant_hz(pcm: bytes) -> float:
    """Frequency with most energy among 400..1200 Hz in 10 Hz steps (a coarse DFT: enough for two notes)."""
    values = samples(pcm)

    def power(hz: float) -> float:
        re = sum(v * math.cos(2 * math.pi * hz * i / SAMPLE_RATE) for i, v in enumerate(values))
        im = sum(v * math.sin(2 * math.pi * hz * i / SAMPLE_RATE) for i, v in enumerate(values))
        return re * re + im * im

    return max(range(400, 1201, 10), key=power)


@pytest.mark.parametrize("earcon", list(Earcon))
def test_earcons_last_about_150_ms(earcon: Earcon) -> None:
    pcm = render(earcon)
    assert len(pcm) % SAMPLE_WIDTH == 0
    assert duration_s(pcm) == pytest.approx(0.15, abs=0.005)


@pytest.mark.parametrize("earcon", list(Earcon))
@pytest.mark.parametrize("volume", [0.1, 0.5, 1.0])
def test_peak_level_follows_the_volume(earcon: Earcon, volume: float) -> None:
    assert audioop.max(render(earcon, volume), SAMPLE_WIDTH) == round(volume * FULL_SCALE)


@pytest.mark.parametrize("earcon", list(Earcon))
def test_earcons_fade_in_and_out_without_clicks(earcon: Earcon) -> None:
    values = samples(render(earcon, 1.0))
    edge = SAMPLE_RATE // 1000  # the first and last millisecond
    assert max(abs(v) for v in values[:edge]) < 0.05 * FULL_SCALE
    assert max(abs(v) for v in values[-edge:]) < 0.05 * FULL_SCALE
    assert values[0] == 0 and abs(values[-1]) < 0.005 * FULL_SCALE
    steps = [abs(b - a) for a, b in itertools.pairwise(values)]
    smooth_step = 2 * math.pi * 1400 / SAMPLE_RATE * FULL_SCALE  # steepest slope of the notes' partials
    assert max(steps) < smooth_step


def test_listening_rises_and_done_falls() -> None:
    half = len(render(Earcon.LISTENING)) // 2 // SAMPLE_WIDTH * SAMPLE_WIDTH
    listening, done = render(Earcon.LISTENING), render(Earcon.DONE)
    assert dominant_hz(listening[:half]) < dominant_hz(listening[half:])
    assert dominant_hz(done[:half]) > dominant_hz(done[half:])
    assert dominant_hz(listening[: half // 2]) == pytest.approx(660, abs=20)
    assert dominant_hz(done[: half // 2]) == pytest.approx(880, abs=20)


def test_the_two_earcons_differ() -> None:
    assert render(Earcon.LISTENING) != render(Earcon.DONE)


def test_earcons_switched_off_or_silent_give_no_audio() -> None:
    assert earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=False)) == b""
    assert earcon_pcm(Earcon.DONE, EarconSettings(volume=0.0)) == b""
    assert earcon_pcm(Earcon.DONE, EarconSettings()) == render(Earcon.DONE, 0.5)


@pytest.mark.parametrize("volume", [-0.1, 1.01])
def test_volume_out_of_range_is_refused(volume: float) -> None:
    with pytest.raises(ConfigError, match="volume"):
        EarconSettings(volume=volume)
    with pytest.raises(ConfigError, match="volume"):
        render(Earcon.LISTENING, volume)


class RecordingSink:
    """An AudioSink that keeps what it is given."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, chunk: bytes) -> None:
        self.chunks.append(chunk)

    def stop(self) -> None:
        self.chunks.clear()

    def drain(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_play_earcon_writes_chunks_to_the_sink_only_when_enabled() -> None:
    sink = RecordingSink()
    play_earcon(sink, Earcon.LISTENING, EarconSettings(volume=0.3))
    assert b"".join(sink.chunks) == render(Earcon.LISTENING, 0.3)
    assert all(len(chunk) <= CHUNK_BYTES for chunk in sink.chunks)
    off = RecordingSink()
    play_earcon(off, Earcon.LISTENING, EarconSettings(enabled=False))
    assert off.chunks == []
