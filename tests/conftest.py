"""Shared fixtures and the tiers: each test is marked by the folder it is in (``logic``, ``dialogues``,
``engines``, ``devices``), so ``scripts/test tests/logic`` or ``-m "not devices"`` picks a tier."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fixtures import no_sound_devices, pulse_server, virtual_audio, virtual_room  # noqa: F401

DATA = Path(__file__).parent / "data"
TIERS = ("logic", "dialogues", "engines", "devices")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with the tier its folder names."""
    for item in items:
        tier = Path(str(item.path)).parent.name
        if tier in TIERS:
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(scope="session", autouse=True)
def private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Points the user's config and data folders (XDG, read by platformdirs) at a temporary folder for
    the whole test session, child processes included, so no test reads or writes the real user's
    settings, records or models."""
    home = tmp_path_factory.mktemp("user")
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def data_dir() -> Path:
    """The folder of real test recordings (see tests/data/SOURCES.md)."""
    return DATA
