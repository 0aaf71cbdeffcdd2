"""The echo gate on real recordings: the narration heard back is silenced, a person louder than it is not."""

from pathlib import Path

from tests.conftest import DATA
from voicecare.audio.compat import audioop
from voicecare.audio.echo_gate import FRAME_BYTES, EchoGate
from voicecare.audio.endpointing import EndpointSettings
from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_WIDTH, silence, split_chunks
from voicecare.audio.wav_files import read_wav

SPEECH_FLOOR = EndpointSettings().min_rms
NARRATION = read_wav(Path(DATA) / "digits_16k.wav")
PERSON = read_wav(Path(DATA) / "yes_1000ms.wav")


def gated(gate: EchoGate, heard: bytes, played: bytes) -> bytes:
    """``heard`` through ``gate`` while ``played`` plays, chunk by chunk."""
    played = played.ljust(len(heard), b"\0")
    return b"".join(
        gate.gate(chunk, played[start : start + CHUNK_BYTES])
        for start, chunk in zip(range(0, len(heard), CHUNK_BYTES), split_chunks(heard), strict=True)
    )


def scaled(pcm: bytes, factor: float) -> bytes:
    return audioop.mul(pcm, SAMPLE_WIDTH, factor)


def loudest_frame(pcm: bytes) -> int:
    """RMS of the loudest 20 ms frame of ``pcm``."""
    return max(audioop.rms(pcm[i : i + FRAME_BYTES], SAMPLE_WIDTH) for i in range(0, len(pcm), FRAME_BYTES))


def test_the_narration_heard_back_is_silenced_at_full_level_and_delayed() -> None:
    """Nothing of it is left that the endpointer would take for speech, though it is as loud as played."""
    loud = scaled(NARRATION, 4.0)
    for delay_s in (0.0, 0.1, 0.2):
        echo = silence(delay_s) + loud
        out = gated(EchoGate(), echo, loud)
        assert loudest_frame(echo) > 10 * SPEECH_FLOOR
        assert loudest_frame(out) < SPEECH_FLOOR, delay_s


def test_nothing_is_silenced_while_nothing_plays() -> None:
    assert gated(EchoGate(), PERSON, b"") == PERSON


def test_a_person_louder_than_the_echo_gets_through_and_one_as_loud_does_not() -> None:
    lead = silence(1.0)
    narration = NARRATION + NARRATION
    echo = scaled(narration, 0.5)
    for loudness, heard in ((3.0, True), (1.0, False)):
        gain = loudness * audioop.rms(echo, SAMPLE_WIDTH) / audioop.rms(PERSON, SAMPLE_WIDTH)
        person = lead + scaled(PERSON, gain)
        mic = audioop.add(echo[: len(person)], person, SAMPLE_WIDTH) + echo[len(person) :]
        out = gated(EchoGate(), mic, narration)
        during = out[len(lead) : len(person)]
        spoken = audioop.rms(person[len(lead) :], SAMPLE_WIDTH)
        assert (audioop.rms(during, SAMPLE_WIDTH) > 0.5 * spoken) is heard


def test_a_microphone_that_hears_no_echo_lets_a_quiet_person_through() -> None:
    """A headset: the coupling falls near 0 while the narration plays, so a quiet reply passes."""
    lead = silence(2.0)
    person = lead + scaled(PERSON, 0.2)
    gate = EchoGate()
    out = gated(gate, person, NARRATION + NARRATION)
    assert gate.coupling < 0.1
    assert audioop.rms(out[len(lead) :], SAMPLE_WIDTH) > 0.9 * audioop.rms(person[len(lead) :], SAMPLE_WIDTH)


def test_it_says_whether_a_voice_would_be_heard_over_the_speech_played() -> None:
    """Unmeasured, it answers no; measured on a quiet echo (a headset), a person's voice passes over the
    loudest speech played; measured on an echo as loud as played, the same voice does not."""
    voice = audioop.rms(PERSON, SAMPLE_WIDTH)
    assert not EchoGate().hears_over(voice)
    for coupling, heard_over in ((0.05, True), (1.0, False)):
        gate = EchoGate()
        gated(gate, scaled(NARRATION, coupling), NARRATION)
        assert gate.loudest_played_rms == loudest_frame(NARRATION)
        assert gate.hears_over(voice) is heard_over
