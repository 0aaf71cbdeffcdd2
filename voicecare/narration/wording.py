"""The player's own wording (acknowledging commands), loaded from ``content/player.toml``."""

import tomllib
from dataclasses import dataclass
from importlib import resources

from voicecare.errors import ConfigError

KEYS = (
    "paused",
    "still_paused",
    "resumed",
    "slower",
    "faster",
    "skipped",
    "stopped",
    "help",
    "time_left",
    "done_hint",
)


@dataclass(frozen=True)
class PlayerWording:
    """One sentence per key of KEYS."""

    lines: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.lines[key]

    def time_left(self, seconds: float) -> str:
        """How long is left, in words ("About three minutes left.")."""
        minutes = round(seconds / 60)
        if seconds < 45:
            amount = "Less than a minute"
        elif minutes <= 1:
            amount = "About one minute"
        else:
            amount = f"About {minutes} minutes"
        return self.lines["time_left"].replace("{minutes}", amount)


def load_player_wording() -> PlayerWording:
    """Read and validate ``content/player.toml``."""
    text = resources.files("voicecare.content").joinpath("player.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"player.toml is not valid TOML ({error})", "correct the file") from None
    for key in KEYS:
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ConfigError(f"player.toml: missing text at '{key}'", "restore it from the packaged file")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ConfigError(f"player.toml: unknown keys {unknown}", f"use only: {', '.join(KEYS)}")
    return PlayerWording({key: data[key].strip() for key in KEYS})
