"""One module per subcommand; each has ``register(subparsers)`` setting ``run`` on its parser."""

from types import ModuleType

from voicecare.cli.commands import devices, models, say, version, voices

ALL: list[ModuleType] = [version, models, devices, say, voices]
