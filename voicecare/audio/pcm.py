"""The one audio format voicecare works in: 16 kHz mono signed 16-bit little-endian PCM, in ~100 ms chunks."""

from collections.abc import Iterable, Iterator

SAMPLE_RATE = 16_000
"""Samples per second of every chunk."""
SAMPLE_WIDTH = 2
"""Bytes per sample (signed 16-bit little-endian)."""
CHUNK_MS = 100
"""Duration of one chunk, in milliseconds."""
CHUNK_SAMPLES = SAMPLE_RATE * CHUNK_MS // 1000
CHUNK_BYTES = CHUNK_SAMPLES * SAMPLE_WIDTH

Chunk = bytes
"""A block of PCM in the format above; normally CHUNK_BYTES long, the last of a stream may be shorter."""


def duration_s(pcm: bytes) -> float:
    """Duration of ``pcm`` in seconds."""
    return len(pcm) / (SAMPLE_RATE * SAMPLE_WIDTH)


def bytes_of(seconds: float) -> int:
    """How many bytes ``seconds`` of audio take (rounded to whole samples)."""
    return round(seconds * SAMPLE_RATE) * SAMPLE_WIDTH


def silence(seconds: float) -> bytes:
    """PCM silence lasting ``seconds``."""
    return bytes(int(seconds * SAMPLE_RATE) * SAMPLE_WIDTH)


def split_chunks(pcm: bytes, chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Cut ``pcm`` into chunks of ``chunk_bytes`` (the last may be shorter)."""
    for start in range(0, len(pcm), chunk_bytes):
        yield pcm[start : start + chunk_bytes]


def whole_chunks(chunks: Iterable[Chunk], chunk_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    """Chunks of ``chunk_bytes`` from chunks of any size, as they come (the last may be shorter)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        while len(pending) >= chunk_bytes:
            yield pending[:chunk_bytes]
            pending = pending[chunk_bytes:]
    if pending:
        yield pending


def join_chunks(chunks: Iterable[Chunk]) -> bytes:
    """Concatenate chunks back into one PCM buffer."""
    return b"".join(chunks)
