"""Tier 1: the audio bus keeps output and input in lockstep, and that is the session clock."""

from pathlib import Path

from voicecare.audio.bus import AudioBus
from voicecare.audio.pcm import CHUNK_BYTES, silence, split_chunks
from voicecare.audio.wav_files import WavFileSink, read_wav

LOUD = b"\x00\x40" * (CHUNK_BYTES // 2)


def test_playing_advances_the_clock_by_the_audio_length_and_writes_it(tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    with WavFileSink(out) as sink:
        bus = AudioBus(sink)
        assert not bus.play(LOUD * 5)
        assert not bus.wait(1.0)
        assert abs(bus.t_s - 1.5) < 1e-9
    assert read_wav(out) == LOUD * 5 + silence(1.0)


def test_a_listener_sees_one_input_chunk_per_output_chunk_and_can_interrupt(tmp_path: Path) -> None:
    tape = iter(split_chunks(silence(0.3) + LOUD + silence(1.0)))
    seen: list[bytes] = []

    def listener(chunk: bytes) -> bool:
        seen.append(chunk)
        return chunk == LOUD

    with WavFileSink(tmp_path / "out.wav") as sink:
        bus = AudioBus(sink, tape)
        assert bus.play(LOUD * 10, listener)
    assert len(seen) == 4
    assert abs(bus.t_s - 0.4) < 1e-9


def test_a_tape_advances_only_while_someone_listens(tmp_path: Path) -> None:
    tape = iter(split_chunks(LOUD + silence(0.1)))
    with WavFileSink(tmp_path / "out.wav") as sink:
        bus = AudioBus(sink, tape)
        bus.play(LOUD * 3)
        taken: list[bytes] = []
        bus.wait(0.1, lambda chunk: taken.append(chunk) is not None)
    assert taken == [LOUD]


def test_a_live_input_is_read_even_while_nobody_listens(tmp_path: Path) -> None:
    tape = iter(split_chunks(silence(0.3)))
    with WavFileSink(tmp_path / "out.wav") as sink:
        bus = AudioBus(sink, tape, live_input=True)
        bus.play(LOUD * 3)
    assert next(tape, None) is None


def test_monitor_mixes_what_was_heard_into_the_recording(tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    with WavFileSink(out) as sink:
        bus = AudioBus(sink, iter(split_chunks(LOUD)), monitor=True)
        bus.wait(0.2, lambda chunk: False)
    assert read_wav(out) == LOUD + silence(0.1)


def test_on_a_live_input_a_lead_writes_chunks_ahead_and_the_next_wait_makes_them_up(tmp_path: Path) -> None:
    """While the listener works on the first input chunk, the speaker already has two chunks queued; the
    wait after writes one chunk of silence less, so the output is as long as the input read."""
    tape = iter(split_chunks(silence(1.0)))
    written_when_heard: list[float] = []
    out = tmp_path / "out.wav"
    with WavFileSink(out) as sink:
        bus = AudioBus(sink, tape, live_input=True)

        def listener(chunk: bytes) -> bool:
            written_when_heard.append(round(bus.t_s, 6))
            return False

        bus.play(LOUD * 2, listener, lead=1)
        bus.wait(0.3)
        assert abs(bus.t_s - 0.4) < 1e-9
    assert written_when_heard == [0.2]
    assert read_wav(out) == LOUD * 2 + silence(0.2)
    assert len(list(tape)) == 6


def test_on_a_tape_a_lead_changes_nothing(tmp_path: Path) -> None:
    tape = iter(split_chunks(silence(1.0)))
    written_when_heard: list[float] = []
    with WavFileSink(tmp_path / "out.wav") as sink:
        bus = AudioBus(sink, tape)

        def listener(chunk: bytes) -> bool:
            written_when_heard.append(round(bus.t_s, 6))
            return False

        bus.play(LOUD * 2, listener, lead=1)
    assert written_when_heard == [0.1, 0.2]
    assert len(list(tape)) == 8


def test_an_interruption_drops_what_was_written_ahead(tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    with WavFileSink(out) as sink:
        bus = AudioBus(sink, iter(split_chunks(silence(1.0))), live_input=True)
        assert bus.play(LOUD * 3, lambda chunk: True, lead=1)
        bus.wait(0.1)
    assert read_wav(out) == LOUD * 2 + silence(0.1)
