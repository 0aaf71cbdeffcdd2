"""WAV files as audio sources and sinks, interchangeable with a microphone and a speaker.

Reading accepts any common WAV (8/16/24/32-bit integer, 32/64-bit float, A-law, mu-law, any channel
count and rate) and converts it to voicecare's format (16 kHz mono int16). Writing always produces
16 kHz mono 16-bit WAV, through a temporary file renamed into place on ``close``, so an interrupted
run never leaves a half-written file under the final name.
"""

import contextlib
import os
import tempfile
import wave
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from voicecare.audio.pcm import CHUNK_BYTES, SAMPLE_RATE, SAMPLE_WIDTH, Chunk, split_chunks
from voicecare.audio.resample import convert_pcm
from voicecare.audio.wav_format import WavContents, parse_wav
from voicecare.errors import AudioFileError


def load_wav(path: Path) -> WavContents:
    """The raw audio and layout of the WAV file at ``path``; AudioFileError naming any problem."""
    path = Path(path)
    if path.is_dir():
        raise AudioFileError(f"{path} is a folder, not a WAV file", "give the path of a .wav file")
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise AudioFileError(f"no audio file at {path}", "check the path and the file name") from None
    except OSError as error:
        raise AudioFileError(
            f"cannot read {path} ({error.strerror or error})", "check the file exists and you may read it"
        ) from None
    return parse_wav(path, blob)


def read_wav(path: Path) -> bytes:
    """All audio of the WAV file at ``path`` as 16 kHz mono signed 16-bit PCM."""
    contents = load_wav(path)
    return convert_pcm(contents.linear_data(), contents.layout)


def write_wav(path: Path, pcm: bytes) -> None:
    """Store ``pcm`` (16 kHz mono int16) as a WAV file at ``path``, replacing it atomically."""
    with WavFileSink(path) as sink:
        sink.write(pcm)


class WavFileSource:
    """An AudioSource reading a WAV file: ``chunks`` yields CHUNK_BYTES chunks as fast as they are read.

    The file is read and checked when the source is made, so a bad file fails before any dialogue starts.
    """

    def __init__(self, path: Path, chunk_bytes: int = CHUNK_BYTES) -> None:
        self.path = Path(path)
        self._pcm = read_wav(self.path)
        self._chunk_bytes = chunk_bytes
        self._closed = False

    @property
    def duration_s(self) -> float:
        """Length of the converted audio, in seconds."""
        return len(self._pcm) / (SAMPLE_RATE * SAMPLE_WIDTH)

    def chunks(self) -> Iterator[Chunk]:
        for chunk in split_chunks(self._pcm, self._chunk_bytes):
            if self._closed:
                return
            yield chunk

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> "WavFileSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WavFileSink:
    """An AudioSink storing 16 kHz mono 16-bit audio in a WAV file at ``path``.

    Audio goes to a hidden ``.part`` file beside ``path``; ``close`` finishes the header and renames it
    to ``path``. Leaving a ``with`` block by an exception discards the partial file instead.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        folder = self.path.parent
        if not folder.is_dir():
            raise AudioFileError(f"cannot write {self.path}: no folder {folder}", "create the folder first")
        if self.path.is_dir():
            raise AudioFileError(f"cannot write {self.path}: it is a folder", "give a file name ending .wav")
        if self.path.exists() and not self.path.is_file():
            problem = f"cannot write {self.path}: it is a device or pipe, not a file"
            raise AudioFileError(problem, "give a file name ending .wav")
        try:
            handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".part")
        except OSError as error:
            raise AudioFileError(
                f"cannot write in {folder} ({error.strerror or error})", "choose a folder you may write to"
            ) from None
        self._temp_path = Path(temp_name)
        self._file: BinaryIO = os.fdopen(handle, "wb")
        self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - closed in close()/abort()
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH)
        self._wav.setframerate(SAMPLE_RATE)
        self._pending_byte = b""
        self._closed = False

    def write(self, chunk: Chunk) -> None:
        """Append ``chunk`` to the file."""
        if self._closed:
            raise ValueError(f"write to {self.path} after close")
        data = self._pending_byte + chunk
        whole = len(data) - len(data) % SAMPLE_WIDTH
        self._pending_byte = data[whole:]
        self._wav.writeframesraw(data[:whole])

    def stop(self) -> None:
        """Nothing queued to drop: everything written is already in the file."""

    def drain(self) -> None:
        """Nothing to wait for: writes are stored as they come."""

    def close(self) -> None:
        """Finish the WAV header and move the file to its final name. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self._wav.close()
            self._file.close()
            self._temp_path.chmod(0o644)
            os.replace(self._temp_path, self.path)
        except OSError as error:
            self._discard()
            raise AudioFileError(
                f"cannot finish {self.path} ({error.strerror or error})", "check the disk has space"
            ) from None

    def abort(self) -> None:
        """Give up: remove the partial file and leave ``path`` as it was."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._wav.close()
        self._file.close()
        self._discard()

    def _discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._temp_path.unlink()

    def __enter__(self) -> "WavFileSink":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
