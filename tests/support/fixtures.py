"""Pytest fixtures over the simulation helpers: one private PulseAudio server per test session, the
plain virtual devices or the virtual room for one test, and a machine with no sound devices."""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicecare.audio.devices import AudioDeviceError, list_devices
from voicecare.simulation.virtual_audio import (
    MIC_SOURCE,
    SPEAKER_SINK,
    PulseServer,
    VirtualAudio,
    pulse_environment,
    start_pulse,
    stop_pulse,
)
from voicecare.simulation.virtual_room import VirtualRoom, room_in_use


@pytest.fixture(scope="session")
def pulse_server() -> Iterator[PulseServer]:
    """One PulseAudio daemon for the whole test session, stopped at its end.

    Its socket lives in a private temporary folder, not under pytest's ``tmp_path``: another pytest run
    on the machine may clean up old pytest folders, and with the socket gone the daemon is unreachable.
    """
    missing = [tool for tool in ("pulseaudio", "pactl") if shutil.which(tool) is None]
    assert not missing, f"{' and '.join(missing)} not installed: run scripts/setup (pulseaudio-utils)"
    with tempfile.TemporaryDirectory(prefix="voicecare-pulse-") as folder:
        server = start_pulse(Path(folder))
        try:
            yield server
        finally:
            stop_pulse(server)


@pytest.fixture
def virtual_audio(pulse_server: PulseServer) -> Iterator[VirtualAudio]:
    """sounddevice sees the virtual devices for the length of one test; the microphone hears ``vc_mic``."""
    pulse_server.pactl("set-default-sink", SPEAKER_SINK)
    pulse_server.pactl("set-default-source", MIC_SOURCE)
    with pulse_environment(pulse_server.address):
        yield VirtualAudio(pulse_server)


@pytest.fixture
def no_sound_devices() -> Iterator[None]:
    """sounddevice sees no devices, this machine's normal state; skipped where real sound hardware exists."""
    with pulse_environment(None):
        with contextlib.suppress(AudioDeviceError):
            found = list_devices()
            pytest.skip(f"this machine has real sound devices ({found[0].name})")
        yield


@pytest.fixture
def virtual_room(pulse_server: PulseServer, tmp_path: Path) -> Iterator[VirtualRoom]:
    """The room for the length of one test (the next ``virtual_audio`` puts the plain devices back)."""
    with room_in_use(pulse_server, tmp_path) as room:
        yield room
