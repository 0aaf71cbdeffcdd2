"""Shared fixtures: paths to the project's own test audio."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of real test recordings (see tests/data/SOURCES.md)."""
    return DATA
