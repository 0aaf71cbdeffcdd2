"""Conversion of raw PCM in any common layout to voicecare's format (16 kHz mono signed 16-bit LE).

Used by WAV files (whole buffers) and by microphones that cannot open at 16 kHz (streamed blocks):
a ``PcmConverter`` keeps the resampler state between blocks, so a stream converted block by block
comes out the same as the whole buffer converted at once.
"""

from array import array
from dataclasses import dataclass
from sys import byteorder

from voicecare.audio.compat import audioop
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH

INT16_MAX = 32767
INT16_MIN = -32768


@dataclass(frozen=True)
class PcmLayout:
    """How raw little-endian PCM is laid out.

    ``sample_width`` is bytes per sample per channel (1 = unsigned 8-bit, 2/3/4 = signed int,
    4/8 with ``is_float`` = IEEE float in -1.0..1.0); ``rate_hz`` is frames per second.
    """

    sample_width: int
    channels: int
    rate_hz: int
    is_float: bool = False

    @property
    def frame_bytes(self) -> int:
        """Bytes per frame (one sample of every channel)."""
        return self.sample_width * self.channels


def float_to_int16(data: bytes, sample_width: int) -> bytes:
    """IEEE float samples (4 or 8 bytes, little-endian, full scale -1.0..1.0) to clipped int16."""
    samples = array("f" if sample_width == 4 else "d")
    samples.frombytes(data[: len(data) - len(data) % sample_width])
    if byteorder == "big":
        samples.byteswap()
    scaled = (round(value * INT16_MAX) if value == value else 0 for value in samples)
    out = array("h", (max(INT16_MIN, min(INT16_MAX, value)) for value in scaled))
    if byteorder == "big":
        out.byteswap()
    return out.tobytes()


def to_int16(data: bytes, layout: PcmLayout) -> bytes:
    """Samples of any supported width to signed 16-bit, channels and rate unchanged."""
    if layout.is_float:
        return float_to_int16(data, layout.sample_width)
    if layout.sample_width == 1:
        data = audioop.bias(data, 1, -128)
    if layout.sample_width == SAMPLE_WIDTH:
        return data
    converted: bytes = audioop.lin2lin(data, layout.sample_width, SAMPLE_WIDTH)
    return converted


def downmix(data: bytes, channels: int) -> bytes:
    """Signed 16-bit interleaved frames of ``channels`` channels to mono, averaging the channels."""
    if channels == 1:
        return data
    if channels == 2:
        mono: bytes = audioop.tomono(data, SAMPLE_WIDTH, 0.5, 0.5)
        return mono
    samples = array("h", data)
    if byteorder == "big":
        samples.byteswap()
    frames = len(samples) // channels
    out = array("h", (sum(samples[i * channels : (i + 1) * channels]) // channels for i in range(frames)))
    if byteorder == "big":
        out.byteswap()
    return out.tobytes()


class PcmConverter:
    """Streams PCM in ``source`` layout to mono int16 at ``target_rate_hz`` (16 kHz unless a speaker needs
    another), keeping resampler state between blocks."""

    def __init__(self, source: PcmLayout, target_rate_hz: int = SAMPLE_RATE) -> None:
        self.source = source
        self.target_rate_hz = target_rate_hz
        self._state: tuple[int, tuple[tuple[int, int], ...]] | None = None
        self._leftover = b""

    def convert(self, data: bytes) -> bytes:
        """Convert the next block; a partial frame at the end is held over to the next call."""
        data = self._leftover + data
        whole = len(data) - len(data) % self.source.frame_bytes
        data, self._leftover = data[:whole], data[whole:]
        if not data:
            return b""
        pcm = downmix(to_int16(data, self.source), self.source.channels)
        if self.source.rate_hz == self.target_rate_hz:
            return pcm
        resampled, self._state = audioop.ratecv(
            pcm, SAMPLE_WIDTH, 1, self.source.rate_hz, self.target_rate_hz, self._state
        )
        return bytes(resampled)


def convert_pcm(data: bytes, source: PcmLayout) -> bytes:
    """Convert a whole buffer in ``source`` layout to 16 kHz mono int16."""
    return PcmConverter(source).convert(data)
