"""Shared fixtures: paths to the project's own test audio."""

from pathlib import Path

import pytest

from tests.virtual_audio import no_sound_devices, pulse_server, virtual_audio  # noqa: F401 (fixtures)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of real test recordings (see tests/data/SOURCES.md)."""
    return DATA
