"""One module per subcommand; each has ``register(subparsers)`` setting ``run`` on its parser."""

from types import ModuleType

from voicecare.cli.commands import (
    breathe,
    devices,
    doctor,
    listen,
    models,
    reframe,
    relax,
    say,
    screen,
    version,
    voices,
)

ALL: list[ModuleType] = [
    version, screen, relax, breathe, reframe, listen, say, voices, devices, models, doctor
]
