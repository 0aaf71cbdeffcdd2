"""One module per subcommand; each has ``register(subparsers)`` setting ``run`` on its parser."""

from types import ModuleType

from voicecare.cli.commands import devices, doctor, listen, models, say, screen, version, voices

ALL: list[ModuleType] = [version, screen, listen, say, voices, devices, models, doctor]
