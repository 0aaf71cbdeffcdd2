"""One module per subcommand; each has ``register(subparsers)`` setting ``run`` on its parser."""

from types import ModuleType

from voicecare.cli.commands import (
    breathe,
    demo,
    devices,
    doctor,
    home,
    listen,
    models,
    reframe,
    relax,
    say,
    screen,
    session,
    version,
    voices,
)

ALL: list[ModuleType] = [
    session,
    home,
    demo,
    screen,
    relax,
    breathe,
    reframe,
    listen,
    say,
    voices,
    devices,
    models,
    doctor,
    version,
]
