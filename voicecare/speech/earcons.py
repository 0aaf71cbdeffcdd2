"""Earcons: short generated tones that say "I am listening now" and "I have stopped listening".

A person who cannot see a screen needs to know when to speak. The "listening" earcon is a soft rising
two-note chime, the "done" earcon the same notes falling. Each note is a sine with a few quiet
harmonics, shaped by a raised-cosine fade in and an exponential-then-cosine fade out, so it starts and
ends at zero (no clicks). The audio is made here, not recorded, in voicecare's PCM format.
"""

import math
from array import array
from dataclasses import dataclass
from enum import Enum
from sys import byteorder

from voicecare.audio.pcm import SAMPLE_RATE, split_chunks
from voicecare.audio.ports import AudioSink
from voicecare.errors import ConfigError

FULL_SCALE = 32767
"""Largest int16 sample value."""
HARMONICS = ((1, 1.0), (2, 0.18), (3, 0.06))
"""(multiple of the note's frequency, relative amplitude) of each partial: a soft, bell-like timbre."""
FADE_IN_S = 0.008
"""Rise time of each note, in seconds."""
FADE_OUT_S = 0.012
"""Final fade of each note to exact zero, in seconds."""


@dataclass(frozen=True)
class EarconSettings:
    """Whether earcons play, and how loud: ``volume`` from 0.0 (silent) to 1.0 (peak at full scale)."""

    enabled: bool = True
    volume: float = 0.5

    def __post_init__(self) -> None:
        _check_volume(self.volume)


def _check_volume(volume: float) -> None:
    if not 0.0 <= volume <= 1.0:
        raise ConfigError(f"earcon volume {volume} is out of range", "choose a volume from 0.0 to 1.0")


@dataclass(frozen=True)
class Note:
    """One tone of an earcon: ``frequency_hz``, starting ``start_s`` seconds in, lasting ``duration_s``."""

    frequency_hz: float
    start_s: float
    duration_s: float


class Earcon(Enum):
    """The earcons voicecare plays; each value is its notes, in order."""

    LISTENING = (Note(660.0, 0.0, 0.085), Note(880.0, 0.065, 0.085))
    """Rising fifth (E5 to A5), 150 ms: "speak now"."""
    DONE = (Note(880.0, 0.0, 0.085), Note(660.0, 0.065, 0.085))
    """Falling fifth (A5 to E5), 150 ms: "got it"."""

    @property
    def duration_s(self) -> float:
        """Length of the earcon in seconds."""
        notes: tuple[Note, ...] = self.value
        return max(note.start_s + note.duration_s for note in notes)


def _envelope(t_s: float, duration_s: float) -> float:
    """Gain from 0 to 1 at ``t_s`` seconds into a note: cosine rise, exponential decay, cosine tail to 0."""
    if t_s < 0.0 or t_s >= duration_s:
        return 0.0
    rise = 0.5 - 0.5 * math.cos(math.pi * t_s / FADE_IN_S) if t_s < FADE_IN_S else 1.0
    decay = math.exp(-3.0 * t_s / duration_s)
    to_end = duration_s - t_s
    tail = 0.5 - 0.5 * math.cos(math.pi * to_end / FADE_OUT_S) if to_end < FADE_OUT_S else 1.0
    return rise * decay * tail


def _note_sample(note: Note, t_s: float) -> float:
    local = t_s - note.start_s
    gain = _envelope(local, note.duration_s)
    if gain == 0.0:
        return 0.0
    phase = 2.0 * math.pi * note.frequency_hz * local
    return gain * sum(amplitude * math.sin(multiple * phase) for multiple, amplitude in HARMONICS)


def render(earcon: Earcon, volume: float = 0.5) -> bytes:
    """The PCM (16 kHz mono int16) of ``earcon``, its loudest sample at ``volume`` times full scale."""
    _check_volume(volume)
    notes: tuple[Note, ...] = earcon.value
    count = round(earcon.duration_s * SAMPLE_RATE)
    raw = [sum(_note_sample(note, i / SAMPLE_RATE) for note in notes) for i in range(count)]
    peak = max(abs(value) for value in raw) or 1.0
    scale = volume * FULL_SCALE / peak
    samples = array("h", (round(value * scale) for value in raw))
    if byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


_RENDERED: dict[tuple[Earcon, float], bytes] = {}


def earcon_pcm(earcon: Earcon, settings: EarconSettings) -> bytes:
    """What to play for ``earcon`` under ``settings``: its PCM, or nothing when earcons are off."""
    if not settings.enabled or settings.volume == 0.0:
        return b""
    key = (earcon, settings.volume)
    if key not in _RENDERED:
        _RENDERED[key] = render(earcon, settings.volume)
    return _RENDERED[key]


def play_earcon(sink: AudioSink, earcon: Earcon, settings: EarconSettings) -> None:
    """Write ``earcon`` to ``sink`` in chunks (nothing when earcons are off); does not wait for it to play."""
    for chunk in split_chunks(earcon_pcm(earcon, settings)):
        sink.write(chunk)
