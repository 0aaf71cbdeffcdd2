"""Parsing of RIFF/WAVE bytes: finds the format and the audio, and names exactly what is wrong when it can't.

Python's ``wave`` module reads a truncated file without complaint and knows only integer PCM; this
parser checks the declared data size against the bytes present, and also reads IEEE float,
WAVE_FORMAT_EXTENSIBLE, A-law and mu-law.
"""

import struct
from dataclasses import dataclass
from pathlib import Path

from voicecare.audio.compat import audioop
from voicecare.audio.resample import PcmLayout
from voicecare.errors import AudioFileError

FORMAT_PCM = 0x0001
FORMAT_IEEE_FLOAT = 0x0003
FORMAT_ALAW = 0x0006
FORMAT_MULAW = 0x0007
FORMAT_EXTENSIBLE = 0xFFFE

FORMAT_NAMES = {
    FORMAT_PCM: "integer PCM",
    FORMAT_IEEE_FLOAT: "float",
    0x0002: "Microsoft ADPCM",
    0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10",
    0x0050: "MPEG",
    0x0055: "MP3",
    0x0161: "WMA",
}

CONVERT_HINT = "convert it to WAV first, e.g. 'sox {path} -r 16000 -c 1 -b 16 out.wav'"

UNKNOWN_LENGTHS = frozenset({0, 0x7FFFF000, 0x7FFFFFFF, 0xFFFFFFFF})
"""Data sizes that writers streaming to a pipe put in the header (sox, arecord, ffmpeg): read to the end."""

REEXPORT = "re-record or re-export the file as WAV"

OTHER_CONTAINERS = {
    b"fLaC": "a FLAC file",
    b"OggS": "an Ogg file",
    b"ID3": "an MP3 file",
    b"\xff\xfb": "an MP3 file",
    b"\xff\xf3": "an MP3 file",
    b"\xff\xf2": "an MP3 file",
    b"RIFX": "a big-endian (RIFX) WAV file",
    b"RF64": "an RF64 WAV file",
    b".snd": "a Sun/NeXT .au file",
}


@dataclass(frozen=True)
class WavContents:
    """The audio of a WAV file: its raw sample bytes (whole frames only) and their layout."""

    layout: PcmLayout
    data: bytes
    companding: int | None = None
    """FORMAT_ALAW or FORMAT_MULAW when samples are 8-bit companded, else None."""

    @property
    def frames(self) -> int:
        """Number of frames (one sample per channel) in ``data``."""
        stored_width = 1 if self.companding is not None else self.layout.sample_width
        return len(self.data) // (stored_width * self.layout.channels)

    def linear_data(self) -> bytes:
        """``data`` with A-law/mu-law expanded to signed 16-bit; other formats unchanged."""
        if self.companding == FORMAT_ALAW:
            expanded: bytes = audioop.alaw2lin(self.data, 2)
            return expanded
        if self.companding == FORMAT_MULAW:
            expanded = audioop.ulaw2lin(self.data, 2)
            return expanded
        return self.data


def unsupported(path: Path, what: str) -> AudioFileError:
    return AudioFileError(f"{path} is {what}, which voicecare cannot read", CONVERT_HINT.format(path=path))


def sniff_container(path: Path, head: bytes) -> None:
    """Raise a clear error if ``head`` is not the start of a RIFF/WAVE file."""
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        raise unsupported(path, "an AIFF file")
    for magic, what in OTHER_CONTAINERS.items():
        if head.startswith(magic):
            raise unsupported(path, what)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioFileError(
            f"{path} is not a WAV file (it has no RIFF/WAVE header)",
            "give a .wav recording (16 kHz mono 16-bit is best), or " + CONVERT_HINT.format(path=path),
        )


def iter_chunks(blob: bytes) -> list[tuple[bytes, int, int, int]]:
    """The RIFF sub-chunks as (id, declared size, offset of body, bytes of body present)."""
    found = []
    offset = 12
    while offset + 8 <= len(blob):
        chunk_id, size = struct.unpack_from("<4sI", blob, offset)
        body = offset + 8
        found.append((chunk_id, size, body, min(size, len(blob) - body)))
        offset = body + size + (size & 1)
    return found


def parse_fmt(path: Path, body: bytes) -> tuple[PcmLayout, int | None]:
    """The layout described by a ``fmt `` chunk, and the companding law if any."""
    if len(body) < 16:
        raise AudioFileError(f"{path} has a damaged format header", REEXPORT)
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", body)
    if tag == FORMAT_EXTENSIBLE and len(body) >= 26:
        tag = struct.unpack_from("<H", body, 24)[0]
    if channels < 1 or rate < 1:
        raise AudioFileError(f"{path} declares {channels} channels at {rate} Hz", REEXPORT)
    width = (bits + 7) // 8
    if tag in (FORMAT_ALAW, FORMAT_MULAW) and bits == 8:
        return PcmLayout(sample_width=2, channels=channels, rate_hz=rate), tag
    if tag == FORMAT_PCM and width in (1, 2, 3, 4) and block_align in (0, width * channels):
        return PcmLayout(sample_width=width, channels=channels, rate_hz=rate), None
    if tag == FORMAT_IEEE_FLOAT and bits in (32, 64) and block_align in (0, width * channels):
        return PcmLayout(sample_width=width, channels=channels, rate_hz=rate, is_float=True), None
    name = FORMAT_NAMES.get(tag, f"format 0x{tag:04X}")
    plain = tag in (FORMAT_PCM, FORMAT_IEEE_FLOAT)
    detail = f"a {bits}-bit {name} WAV" if plain else f"a WAV encoded as {name}"
    raise unsupported(path, detail)


def parse_wav(path: Path, blob: bytes) -> WavContents:
    """Find format and audio in the bytes of the WAV file at ``path``; AudioFileError if unusable."""
    if not blob:
        raise AudioFileError(f"{path} is empty (0 bytes)", "record or copy the audio again")
    sniff_container(path, blob[:16])
    chunks = iter_chunks(blob)
    fmt = next((c for c in chunks if c[0] == b"fmt "), None)
    data = next((c for c in chunks if c[0] == b"data"), None)
    if fmt is None or fmt[3] < fmt[1]:
        raise AudioFileError(f"{path} has no complete format header", REEXPORT)
    layout, companding = parse_fmt(path, blob[fmt[2] : fmt[2] + fmt[3]])
    if data is None:
        raise AudioFileError(f"{path} has no audio data chunk", REEXPORT)
    _, declared, start, present = data
    if declared in UNKNOWN_LENGTHS and start + present == len(blob):
        declared = present
    if present < declared:
        raise AudioFileError(
            f"{path} is truncated: its header promises {declared} bytes of audio but {present} are there",
            "copy or record the file again in full",
        )
    frame_bytes = layout.channels if companding is not None else layout.frame_bytes
    whole = declared - declared % frame_bytes
    if whole == 0:
        raise AudioFileError(f"{path} holds no audio (0 samples)", "record or copy the audio again")
    return WavContents(layout=layout, data=blob[start : start + whole], companding=companding)
