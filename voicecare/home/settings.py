"""The home device's settings, read from the same config file as ``voicecare.settings`` (top-level keys, so
that ``save_preferences`` keeps them): ``wake_phrase``, ``wake_model`` and ``quiet_hours``.

``quiet_hours`` is "HH:MM-HH:MM" (e.g. "22:00-07:00", across midnight when the end is earlier): nothing is
said unprompted in them. Flags and ``VOICECARE_WAKE_PHRASE`` etc. override the file.
"""

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from voicecare.errors import ConfigError
from voicecare.recognition.wake import WakePhrase, wake_phrase_for

HOME_KEYS = ("wake_phrase", "wake_model", "quiet_hours")
_SPAN = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class QuietHours:
    """From ``start`` to ``end`` (local time of day); across midnight when ``end`` is earlier."""

    start: time
    end: time

    def __contains__(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_quiet_hours(text: str, origin: str) -> QuietHours | None:
    """``"22:00-07:00"`` as ``QuietHours``; "" for none; ConfigError naming ``origin`` otherwise."""
    if not text.strip():
        return None
    match = _SPAN.fullmatch(text.replace(" ", ""))
    try:
        if match is None:
            raise ValueError(text)
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        return QuietHours(time(h1, m1), time(h2, m2))
    except ValueError:
        raise ConfigError(
            f"quiet_hours '{text}' in {origin} is not a span of the day", 'write it as "22:00-07:00"'
        ) from None


@dataclass(frozen=True)
class HomeSettings:
    """The wake phrase to listen for and the quiet hours."""

    wake: WakePhrase
    quiet_hours: QuietHours | None = None


def load_home_settings(
    config_path: Path, environ: Mapping[str, str] | None = None, overrides: Mapping[str, str | None] = {}
) -> HomeSettings:
    """The home keys from ``config_path`` (missing: none), then ``VOICECARE_<KEY>``, then ``overrides``.
    ConfigError for an unknown wake phrase or model, or bad quiet hours, naming where it came from."""
    values: dict[str, tuple[str, str]] = {}
    if config_path.exists():
        try:
            with config_path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(
                f"cannot read config file {config_path} ({error})", "correct or delete it"
            ) from None
        values = {key: (str(data[key]), str(config_path)) for key in HOME_KEYS if key in data}
    environ = os.environ if environ is None else environ
    for key in HOME_KEYS:
        variable = f"VOICECARE_{key.upper()}"
        if variable in environ:
            values[key] = (environ[variable], f"the environment ({variable})")
    for key, value in overrides.items():
        if value is not None:
            values[key] = (value, "the command line")
    phrase, model = values.get("wake_phrase"), values.get("wake_model")
    try:
        wake = wake_phrase_for(phrase[0] if phrase else None, model[0] if model else None)
    except ConfigError as error:
        where = (model or phrase or ("", "the defaults"))[1]
        raise ConfigError(f"{error.problem} (from {where})", error.fix) from None
    quiet = values.get("quiet_hours")
    return HomeSettings(wake, parse_quiet_hours(*quiet) if quiet else None)
