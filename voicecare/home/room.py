"""The home device's microphone and speaker, opened again when they go away (unplugged, PulseAudio
restarted): one line on stderr when one is lost, one when it is back, and never a busy loop."""

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from voicecare.audio.devices import Microphone, Speaker, refresh_devices
from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, Chunk
from voicecare.errors import AudioDeviceError

WAKE_BLOCK_MS = 50
"""How much audio the microphone hands over at a time: a phrase is acted on within a block of its
detection rather than a whole 100 ms chunk (smaller blocks cost more CPU while waiting: see
docs/measurements.md)."""


@dataclass
class DeviceRoom:
    """Opens ``input_device`` and ``output_device`` (None: the defaults) on demand."""

    input_device: str | None = None
    output_device: str | None = None
    notes: TextIO = field(default_factory=lambda: sys.stderr)
    microphone: Microphone | None = field(default=None, init=False)
    speaker: Speaker | None = field(default=None, init=False)
    _speaker_lost: bool = field(default=False, init=False)

    def open_microphone(self) -> Iterator[Chunk]:
        """The microphone's chunks (opened afresh; the device list is read again when nothing is open).
        AudioDeviceError when it cannot be opened."""
        self.close_microphone()
        if self.speaker is None:
            with contextlib.suppress(Exception):
                refresh_devices()
        self.microphone = Microphone(self.input_device, block_ms=WAKE_BLOCK_MS)
        return self.microphone.chunks()

    def wake_pieces(self) -> Iterator[Chunk]:
        """The open microphone's audio in ``WAKE_BLOCK_MS`` pieces, for the wake phrase detector."""
        if self.microphone is None:
            raise AudioDeviceError("the microphone is closed", "open it first")
        return self.microphone.chunks(WAKE_BLOCK_MS * SAMPLE_RATE // 1000 * SAMPLE_WIDTH)

    def session_chunks(self) -> Iterator[Chunk]:
        """The open microphone's audio in the bus's chunks, from the next block on."""
        if self.microphone is None:
            raise AudioDeviceError("the microphone is closed", "open it first")
        return self.microphone.chunks()

    def close_microphone(self) -> None:
        if self.microphone is not None:
            self.microphone.close()
            self.microphone = None

    def write(self, chunk: Chunk) -> None:
        """Play ``chunk``; a speaker that went away is opened again (its audio meanwhile is dropped)."""
        speaker = self._live_speaker()
        if speaker is not None:
            speaker.write(chunk)

    def _live_speaker(self) -> Speaker | None:
        speaker = self.speaker
        if speaker is not None and not speaker._stream.active:
            print("voicecare: the speaker stopped; opening it again", file=self.notes)
            with contextlib.suppress(Exception):
                speaker._stream.close()
            self.speaker = speaker = None
        if speaker is None:
            try:
                self.speaker = speaker = Speaker(self.output_device)
            except AudioDeviceError as error:
                if not self._speaker_lost:
                    print(
                        f"voicecare: {error.one_line()} (trying again when there is something to say)",
                        file=self.notes,
                    )
                self._speaker_lost = True
                return None
            if self._speaker_lost:
                print("voicecare: the speaker is back", file=self.notes)
            self._speaker_lost = False
        return speaker

    def stop(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()

    def drain(self) -> None:
        if self.speaker is not None:
            with contextlib.suppress(Exception):
                self.speaker.drain()

    def rest_speaker(self) -> None:
        """Play out what is queued and close the speaker while waiting: an open output stream costs CPU
        for every block of silence (opening it again at a wake takes about 10 ms)."""
        if self.speaker is not None:
            self.speaker.close()
            self.speaker = None

    def close(self) -> None:
        self.close_microphone()
        if self.speaker is not None:
            self.speaker.close()
            self.speaker = None


class NullSink:
    """Plays nothing: a tape run that keeps no recording of what was said."""

    def write(self, chunk: Chunk) -> None:
        return None

    def stop(self) -> None:
        return None

    def drain(self) -> None:
        return None

    def close(self) -> None:
        return None
