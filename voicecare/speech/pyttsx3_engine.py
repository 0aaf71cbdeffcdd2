"""The Synthesizer on pyttsx3's espeak-ng driver: text to 16 kHz mono int16 chunks, sentence by sentence.

pyttsx3's espeak driver hands audio over only as a file (``save_to_file``; its PCM buffer is private), so
each piece of text goes to a WAV in a private temporary folder, is checked to be whole, read and
converted to voicecare's format (espeak-ng writes 22050 Hz mono 16-bit), and deleted. espeak-ng works
on its own thread: ``runAndWait`` may return before the file is written, so each call also waits for
pyttsx3's ``finished-utterance`` notification and for a WAV whose header agrees with its size.
espeak-ng can be initialised once per process only, so one pyttsx3 engine is shared by every
``Pyttsx3Synthesizer`` and calls to it are serialised by a lock.
"""

import contextlib
import importlib
import io
import os
import shutil
import struct
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from voicecare.audio.pcm import CHUNK_BYTES, Chunk
from voicecare.audio.wav_files import read_wav
from voicecare.errors import ConfigError, EngineError, VoiceNotFound
from voicecare.speech.ports import SpeechSettings, Voice
from voicecare.speech.sentences import MAX_PIECE_CHARS, split_for_speech

MIN_RATE_WPM = 80
"""Slowest rate espeak-ng speaks, in words per minute; slower rates asked for are spoken at this one."""
MAX_RATE_WPM = 450
"""Fastest rate espeak-ng speaks, in words per minute."""
FINISH_TIMEOUT_S = 20.0
"""Longest wait, in seconds, for espeak-ng to finish one piece before it counts as stuck."""
WHOLE_FILE_TIMEOUT_S = 2.0
"""Longest wait, in seconds, for a finished WAV to become whole on disk."""
ATTEMPTS = 3
"""Tries per piece of text when pyttsx3 cancels it (see ``_SharedEngine.save``)."""
INSTALL_FIX = "install it with 'apt-get install espeak-ng' (Debian/Ubuntu), then try again"
REINSTALL_FIX = "reinstall espeak-ng with 'apt-get install --reinstall espeak-ng'"


def private_temp_folder() -> Path:
    """A new folder only this user can enter, for the WAVs pyttsx3 writes (each lives a few ms).

    It is made in memory (/dev/shm) where there is one, so spoken text never reaches the disk;
    otherwise in the system's temporary folder.
    """
    memory = Path("/dev/shm")
    if memory.is_dir() and os.access(memory, os.W_OK | os.X_OK):
        with contextlib.suppress(OSError):
            return Path(tempfile.mkdtemp(prefix="voicecare-speech-", dir=memory))
    return Path(tempfile.mkdtemp(prefix="voicecare-speech-"))


def _saved_message(path: Path) -> str:
    return f"Audio saved to {path}"


class _DropSavedMessages(io.TextIOBase):
    """A stdout stand-in that forwards everything except pyttsx3's "Audio saved to <our file>" lines.

    pyttsx3 prints that line from espeak-ng's thread; filtering it (instead of swallowing all output for
    the duration) keeps whatever other threads print meanwhile.
    """

    def __init__(self, target: Any, folder: Path) -> None:
        self._target = target
        self._prefix = _saved_message(folder)
        self._dropped_line = False

    def write(self, text: str) -> int:
        if text.startswith(self._prefix):
            self._dropped_line = True
            return len(text)
        if self._dropped_line and text == "\n":
            self._dropped_line = False
            return len(text)
        written: int = self._target.write(text)
        return written

    def flush(self) -> None:
        self._target.flush()


class _SharedEngine:
    """The one pyttsx3 espeak engine of the process, made on first use, and the one way to call it.

    espeak-ng runs its commands on its own thread, and pyttsx3 cancels that queue when ``runAndWait``
    finds it busy, dropping queued rate and volume changes (espeak-ng then restores the old ones). So
    each call waits for espeak-ng to be idle before and after setting properties, then waits for
    pyttsx3's ``finished-utterance`` notification, which comes after the WAV is written.
    """

    _create_lock = threading.Lock()
    _instance: "_SharedEngine | None" = None

    def __init__(self, engine: Any, is_busy: Callable[[], int]) -> None:
        self.engine = engine
        self._is_busy = is_busy
        self._speaking = threading.Lock()
        self._finished = threading.Event()
        self._completed = False
        self.voices = _list_voices(engine)
        self.default_voice_id = str(engine.getProperty("voice"))
        engine.connect("finished-utterance", self._on_finished)

    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        self._completed = completed
        self._finished.set()

    @classmethod
    def get(cls) -> "_SharedEngine":
        with cls._create_lock:
            if cls._instance is None:
                engine, is_busy = _start_pyttsx3()
                shared = cls(engine, is_busy)
                shared.warm_up()
                cls._instance = shared
            return cls._instance

    def warm_up(self) -> None:
        """One throw-away call: pyttsx3 queues (and may cancel) property changes until its first run."""
        folder = private_temp_folder()
        try:
            self.save("Ready.", folder / "warm-up.wav", MIN_RATE_WPM * 2, 1.0, self.default_voice_id)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _wait_idle(self) -> None:
        deadline = time.monotonic() + FINISH_TIMEOUT_S
        while self._is_busy():
            if time.monotonic() > deadline:
                raise EngineError(
                    f"espeak-ng stayed busy for {FINISH_TIMEOUT_S:.0f} s", f"try again; {REINSTALL_FIX}"
                )
            time.sleep(0.0005)

    def save(self, text: str, path: Path, rate_wpm: int, volume: float, voice_id: str) -> None:
        """Synthesise ``text`` into the WAV file ``path``; returns once espeak-ng has written all of it.

        pyttsx3 can be left holding a stale "stop" request (when it found espeak-ng busy), which cancels
        the next utterance; that utterance is then simply tried again.
        """
        stdout = _DropSavedMessages(sys.stdout or io.StringIO(), path.parent)
        with self._speaking, contextlib.redirect_stdout(stdout):
            for _attempt in range(ATTEMPTS):
                if self._save_once(text, path, rate_wpm, volume, voice_id):
                    return
        raise EngineError(
            f"espeak-ng was stopped {ATTEMPTS} times before it finished speaking",
            f"try again; if it keeps happening, {REINSTALL_FIX}",
        )

    def _save_once(self, text: str, path: Path, rate_wpm: int, volume: float, voice_id: str) -> bool:
        self._wait_idle()
        self.engine.setProperty("voice", voice_id)
        self.engine.setProperty("rate", rate_wpm)
        self.engine.setProperty("volume", volume)
        self._wait_idle()
        self._finished.clear()
        self.engine.save_to_file(text, str(path))
        self.engine.runAndWait()
        if not self._finished.wait(FINISH_TIMEOUT_S):
            raise EngineError(
                f"espeak-ng did not finish speaking within {FINISH_TIMEOUT_S:.0f} s",
                f"try again; if it keeps happening, {REINSTALL_FIX}",
            )
        return self._completed


def _start_pyttsx3() -> tuple[Any, Callable[[], int]]:
    """pyttsx3's espeak engine, and espeak-ng's own "is my command queue busy" (``espeak_IsPlaying``)."""
    try:
        import pyttsx3
    except ImportError:
        raise EngineError(
            "the pyttsx3 package is not installed", "run 'pip install pyttsx3' in voicecare's environment"
        ) from None
    try:
        engine = pyttsx3.init("espeak")
        espeak = importlib.import_module("pyttsx3.drivers._espeak")
    except (RuntimeError, OSError, ImportError) as error:
        raise EngineError(f"espeak-ng cannot start ({error})", INSTALL_FIX) from None
    return engine, espeak.IsPlaying


def _list_voices(engine: Any) -> list[Voice]:
    voices = []
    for voice in engine.getProperty("voices"):
        languages = tuple(str(language) for language in (voice.languages or ()))
        voices.append(Voice(id=str(voice.id), name=str(voice.name).strip(), languages=languages))
    return voices


def wav_is_whole(path: Path) -> bool:
    """True when ``path`` is a RIFF/WAVE file whose declared RIFF and data sizes both match its length."""
    try:
        blob = path.read_bytes()
    except OSError:
        return False
    if len(blob) < 12 or blob[:4] != b"RIFF" or blob[8:12] != b"WAVE":
        return False
    if struct.unpack_from("<I", blob, 4)[0] + 8 != len(blob):
        return False
    offset = 12
    while offset + 8 <= len(blob):
        kind = blob[offset : offset + 4]
        size: int = struct.unpack_from("<I", blob, offset + 4)[0]
        if kind == b"data":
            return offset + 8 + size == len(blob)
        offset += 8 + size + size % 2
    return False


def _wait_until_whole(path: Path, timeout_s: float) -> None:
    """Return once ``path`` is a whole WAV (see ``wav_is_whole``); EngineError after ``timeout_s`` seconds.

    pyttsx3's writer (Python's ``wave``) fixes the header sizes only after the last sample, so a header
    that agrees with the file's length means the file is complete.
    """
    deadline = time.monotonic() + timeout_s
    while not wav_is_whole(path):
        if time.monotonic() > deadline:
            size = path.stat().st_size if path.exists() else 0
            raise EngineError(
                f"espeak-ng left an incomplete audio file ({size} bytes at {path})",
                f"try again; if it keeps happening, {REINSTALL_FIX}",
            )
        time.sleep(0.002)


def check_settings(settings: SpeechSettings) -> None:
    """Raise ConfigError when ``settings`` are outside what espeak-ng can do."""
    if not 0 < settings.rate_wpm <= MAX_RATE_WPM:
        raise ConfigError(
            f"speech rate {settings.rate_wpm} words per minute is out of range",
            f"choose a rate from {MIN_RATE_WPM} to {MAX_RATE_WPM}",
        )
    if not 0.0 <= settings.volume <= 1.0:
        raise ConfigError(
            f"speech volume {settings.volume} is out of range", "choose a volume from 0.0 to 1.0"
        )


class Pyttsx3Synthesizer:
    """Speaks text with pyttsx3 on espeak-ng; the engine starts on first use, once per process.

    ``max_piece_chars`` is the longest piece of text synthesised in one engine call (characters).
    Close it (or use it as a context manager) to remove its temporary folder at once; otherwise that
    happens when it is garbage-collected or the process exits.
    """

    def __init__(self, max_piece_chars: int = MAX_PIECE_CHARS) -> None:
        self.max_piece_chars = max_piece_chars
        self._folder = private_temp_folder()
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._calls = 0

    def start(self) -> None:
        """Start espeak-ng now (once per process) so the first ``speak`` answers quickly."""
        _SharedEngine.get()

    @property
    def engine_calls(self) -> int:
        """How many pieces of text this synthesiser has sent to espeak-ng so far."""
        return self._calls

    def voices(self) -> list[Voice]:
        """Every espeak-ng voice, in espeak-ng's order."""
        return list(_SharedEngine.get().voices)

    def find_voice(self, wanted: str) -> Voice:
        """The voice whose id, name, id tail (``en-us`` for ``gmw/en-us``) or else language is ``wanted``.

        Case is ignored; VoiceNotFound when no voice fits.
        """
        key = wanted.strip().casefold()
        voices = self.voices()
        for voice in voices:
            if key in {voice.id.casefold(), voice.name.casefold(), voice.id.rsplit("/", 1)[-1].casefold()}:
                return voice
        for voice in voices:
            if key in {language.casefold() for language in voice.languages}:
                return voice
        raise VoiceNotFound(f"no voice called '{wanted}'", "run 'voicecare voices' to list them")

    def speak(self, text: str, settings: SpeechSettings) -> Iterator[Chunk]:
        """``text`` as CHUNK_BYTES chunks of 16 kHz mono int16; each piece is synthesised only when the
        audio before it has been taken, so the first chunk comes after one short engine call."""
        check_settings(settings)
        voice_id = self.find_voice(settings.voice).id if settings.voice is not None else None
        return self._chunks(split_for_speech(text, self.max_piece_chars), settings, voice_id)

    def _chunks(self, pieces: list[str], settings: SpeechSettings, voice_id: str | None) -> Iterator[Chunk]:
        carry = b""
        for piece in pieces:
            pcm = carry + self._synthesize(piece, settings, voice_id)
            whole = len(pcm) - len(pcm) % CHUNK_BYTES
            for start in range(0, whole, CHUNK_BYTES):
                yield pcm[start : start + CHUNK_BYTES]
            carry = pcm[whole:]
        if carry:
            yield carry

    def synthesize(self, text: str, settings: SpeechSettings) -> bytes:
        """All of ``text`` as one PCM buffer (16 kHz mono int16)."""
        return b"".join(self.speak(text, settings))

    def _synthesize(self, piece: str, settings: SpeechSettings, voice_id: str | None) -> bytes:
        if not self._cleanup.alive:
            raise EngineError("this synthesiser is closed", "make a new Pyttsx3Synthesizer")
        shared = _SharedEngine.get()
        self._calls += 1
        path = self._folder / f"piece-{self._calls}.wav"
        try:
            shared.save(piece, path, settings.rate_wpm, settings.volume, voice_id or shared.default_voice_id)
            _wait_until_whole(path, WHOLE_FILE_TIMEOUT_S)
            return read_wav(path)
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the temporary folder; the shared engine stays loaded for other synthesisers."""
        self._cleanup()

    def __enter__(self) -> "Pyttsx3Synthesizer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
