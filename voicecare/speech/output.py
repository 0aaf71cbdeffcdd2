"""Sending what a synthesiser says to a sink: a speaker, or a WAV file."""

from pathlib import Path

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from voicecare.audio.ports import AudioSink
from voicecare.audio.wav_files import WavFileSink
from voicecare.speech.ports import SpeechSettings, Synthesizer


def speak_to(sink: AudioSink, synthesizer: Synthesizer, text: str, settings: SpeechSettings) -> float:
    """Write ``text`` spoken by ``synthesizer`` to ``sink`` chunk by chunk; return its length in seconds.

    Does not drain the sink: a speaker may still be playing the end when this returns.
    """
    total_bytes = 0
    for chunk in synthesizer.speak(text, settings):
        sink.write(chunk)
        total_bytes += len(chunk)
    return total_bytes / (SAMPLE_RATE * SAMPLE_WIDTH)


def speak_to_wav(synthesizer: Synthesizer, text: str, settings: SpeechSettings, path: Path) -> float:
    """Store ``text`` spoken by ``synthesizer`` as a 16 kHz mono WAV at ``path``; return its seconds.

    The file appears whole or not at all (WavFileSink writes beside it and renames on close).
    """
    with WavFileSink(path) as sink:
        return speak_to(sink, synthesizer, text, settings)
