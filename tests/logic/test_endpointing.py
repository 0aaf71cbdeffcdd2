"""Tier 1: the endpointer on generated PCM with known speech and silence."""

import math
import struct

from voicecare.audio.endpointing import Endpointer, EndpointSettings, EventKind, utterances
from voicecare.audio.pcm import SAMPLE_RATE, silence, split_chunks


def tone(seconds: float, amplitude: int = 8000, hz: float = 220.0) -> bytes:
    n = int(seconds * SAMPLE_RATE)
    samples = (int(amplitude * math.sin(2 * math.pi * hz * i / SAMPLE_RATE)) for i in range(n))
    return struct.pack(f"<{n}h", *samples)


def test_three_bursts_come_out_as_three_utterances_with_their_times() -> None:
    pcm = silence(0.5) + tone(0.4) + silence(1.0) + tone(0.6) + silence(1.0) + tone(0.3) + silence(1.0)
    found = list(utterances(split_chunks(pcm)))
    assert len(found) == 3
    starts = [u.start_s for u in found]
    ends = [u.end_s for u in found]
    for got, want in zip(starts, [0.5, 1.9, 3.5], strict=True):
        assert abs(got - want) < 0.05
    for got, want in zip(ends, [0.9, 2.5, 3.8], strict=True):
        assert abs(got - want) < 0.05


def test_a_gap_shorter_than_the_hangover_stays_one_utterance() -> None:
    pcm = silence(0.3) + tone(0.3) + silence(0.2) + tone(0.3) + silence(1.0)
    assert len(list(utterances(split_chunks(pcm)))) == 1


def test_preroll_is_handed_over_with_the_start() -> None:
    settings = EndpointSettings(preroll_s=0.2)
    endpointer = Endpointer(settings)
    events = [e for c in split_chunks(silence(1.0) + tone(0.5) + silence(1.0)) for e in endpointer.push(c)]
    start = next(e for e in events if e.kind is EventKind.START)
    assert len(start.pcm) >= int(0.2 * SAMPLE_RATE) * 2


def test_no_speech_times_out_after_the_set_time() -> None:
    endpointer = Endpointer(EndpointSettings(no_speech_timeout_s=2.0))
    events = [e for c in split_chunks(silence(5.0)) for e in endpointer.push(c)]
    timeouts = [e for e in events if e.kind is EventKind.TIMEOUT]
    assert timeouts and abs(timeouts[0].t_s - 2.0) < 0.05


def test_steady_background_noise_does_not_start_an_utterance() -> None:
    hum = tone(4.0, amplitude=600, hz=50.0)
    assert list(utterances(split_chunks(hum))) == []


def test_speech_running_past_the_stream_end_is_still_returned() -> None:
    found = list(utterances(split_chunks(silence(0.5) + tone(0.5))))
    assert len(found) == 1
