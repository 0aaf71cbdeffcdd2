"""The logic tier stays pure: no test here starts another process (voicecare itself, espeak-ng, sox, a
PulseAudio server). A test that needs one belongs in tests/dialogues or tests/engines."""

import subprocess
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest


@pytest.fixture(autouse=True)
def no_processes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        command = args[0] if args else kwargs.get("args")
        raise AssertionError(f"a tests/logic test started a process ({command!r}): move it to another tier")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    yield
