"""One module per subcommand; each has ``register(subparsers)`` setting ``run`` on its parser."""

from types import ModuleType

from voicecare.cli.commands import (
    breathe,
    demo,
    devices,
    diary,
    doctor,
    forget,
    home,
    listen,
    models,
    reframe,
    relax,
    report,
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
    diary,
    report,
    forget,
    listen,
    say,
    voices,
    devices,
    models,
    doctor,
    version,
]
