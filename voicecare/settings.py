"""Settings: frozen dataclasses loaded from a TOML config file, then environment variables, then flags.

The config file also holds the person's preferences (speech rate, voice, region), which voicecare
writes back when they are changed by voice. Records go to the data directory the config names.
"""

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, time
from pathlib import Path
from typing import Any

from voicecare.errors import ConfigError
from voicecare.recognition.engines import ENGINES

APP_NAME = "voicecare"
REGIONS = ("us", "uk", "eu")


@dataclass(frozen=True)
class Settings:
    """Everything a run of voicecare can be told. Times in seconds, rate in words per minute."""

    region: str = "us"
    """Where the person is: sets the emergency number (us 911, uk 999, eu 112) and the urgent line."""
    rate_wpm: int = 160
    """Speech rate in words per minute."""
    volume: float = 1.0
    """Speech volume, 0.0 to 1.0."""
    voice: str | None = None
    """Synthesiser voice id or name; None for the default."""
    engine: str = "auto"
    """Recogniser: auto, vosk or pocketsphinx (``ENGINES``)."""
    model: Path | None = None
    """Vosk model folder, when not in models/."""
    input_device: str | None = None
    """Microphone by index or name substring; None for the default."""
    output_device: str | None = None
    """Speaker by index or name substring; None for the default."""
    no_input_timeout_s: float = 8.0
    """How long to wait for an answer before reprompting."""
    earcons: bool = True
    """Play the listening and done tones."""
    save: bool = True
    """Keep a record of each screening and exercise run in the data directory."""
    data_dir: Path = field(default_factory=lambda: _default_dir("data"))
    """Where session records go."""
    content_dir: Path | None = None
    """A folder of content files (findings.toml, advice.toml, ...) used instead of the packaged ones."""
    config_path: Path = field(default_factory=lambda: _default_dir("config") / "config.toml")
    """The config file these settings were read from and preferences are written to."""
    person: str | None = None
    """Who is speaking (``--person``), as said; their history is kept under this name unless
    ``save`` is off. None: no one named, nothing remembered."""
    today: date = field(default_factory=date.today)
    """The day that stands for today (``--date``, ``VOICECARE_TODAY``): the day every stored date
    (a visit, a remembered answer) is given. Timestamps keep the real time."""
    checkin_time: time = time(18, 0)
    """The time of day from which home mode offers a due check-in (config ``checkin_time = "18:00"``)."""
    quiet_hours: tuple[time, time] | None = (time(21, 30), time(8, 0))
    """From and until when nothing is offered unprompted (config ``quiet_hours = "21:30-08:00"``, or
    ``"none"``); a span past midnight wraps. A check-in falling due then waits for the next good time."""


PREFERENCE_KEYS = ("region", "rate_wpm", "volume", "voice")
READ_ELSEWHERE = ("quiet_hours", "wake_phrase", "wake_model")
"""Keys of the config file that other parts read (the home device: ``voicecare.home.settings``); kept in
the file, not settings here."""
_ENV_PREFIX = "VOICECARE_"
_FLAGS = {"today": "--date", "person": "--person"}
"""Settings whose flag is not named after them, for naming the flag in an error."""
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?")


def _default_dir(kind: str) -> Path:
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP_NAME))
    return Path(platformdirs.user_config_dir(APP_NAME))


def load_settings(
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from the config file, then ``VOICECARE_*`` environment variables, then ``overrides``.

    ``overrides`` holds flags the person gave (None values are ignored). A config file that does not
    exist yet reads as empty (preferences create it). A broken config file or an unknown value raises
    ConfigError naming the file and key.
    """
    base = Settings() if config_path is None else Settings(config_path=config_path)
    values = _read_config(base.config_path, must_exist=False)
    origins = dict.fromkeys(values, str(base.config_path))
    environ = os.environ if environ is None else environ
    for spec in fields(Settings):
        variable = _ENV_PREFIX + spec.name.upper()
        raw = environ.get(variable)
        if raw is not None:
            values[spec.name], origins[spec.name] = raw, f"the environment ({variable})"
    for key, value in (overrides or {}).items():
        if value is not None:
            flag = f" ({_FLAGS[key]})" if key in _FLAGS else ""
            values[key], origins[key] = value, f"the command line{flag}"
    return _apply(base, values, origins)


def settings_without_config(**overrides: Any) -> Settings:
    """Defaults with ``overrides`` applied and validated, reading no config file or environment."""
    return _apply(Settings(), overrides, dict.fromkeys(overrides, "the command line"))


def _read_config(path: Path, must_exist: bool) -> dict[str, Any]:
    if not path.exists():
        if must_exist:
            raise ConfigError(f"config file {path} does not exist", "check the path given to --config")
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"config file {path} is not valid TOML ({error})", "correct it, or delete it to start afresh"
        ) from None
    except OSError as error:
        raise ConfigError(
            f"cannot read config file {path} ({error.strerror})", "check its permissions"
        ) from None
    return dict(data)


def _apply(base: Settings, values: Mapping[str, Any], origins: Mapping[str, str]) -> Settings:
    """``base`` with ``values`` applied and checked; ``origins`` says where each value came from."""
    known = {spec.name: spec for spec in fields(Settings)}
    changes: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in known and key in READ_ELSEWHERE:
            continue
        if key not in known:
            raise ConfigError(
                f"unknown setting '{key}' in {origins[key]}",
                f"remove it; known settings: {', '.join(sorted(known))}",
            )
        changes[key] = _coerce(key, raw, getattr(base, key), origins[key])
    settings = replace(base, **changes)
    if settings.region not in REGIONS:
        raise ConfigError(f"unknown region '{settings.region}'", f"use one of: {', '.join(REGIONS)}")
    if settings.engine.strip().lower() not in ENGINES:
        raise ConfigError(f"unknown engine '{settings.engine}'", f"use one of: {', '.join(ENGINES)}")
    if not 60 <= settings.rate_wpm <= 400:
        raise ConfigError(
            f"speech rate {settings.rate_wpm} is out of range", "use 60 to 400 words per minute"
        )
    if not 0.0 <= settings.volume <= 1.0:
        raise ConfigError(f"volume {settings.volume} is out of range", "use 0.0 to 1.0")
    if not math.isfinite(settings.no_input_timeout_s) or settings.no_input_timeout_s <= 0:
        raise ConfigError(
            f"no_input_timeout_s {settings.no_input_timeout_s} is not a positive number of seconds",
            "use a number of seconds such as 8",
        )
    return settings


def _coerce(key: str, raw: Any, default: Any, origin: str) -> Any:
    if key == "today":
        return _day(raw, origin)
    if key == "person":
        return _person(raw, origin)
    if key == "checkin_time":
        return _clock(raw, key, origin)
    if key == "quiet_hours":
        return _quiet_hours(raw, origin)
    problem = f"setting '{key}' in {origin} has the wrong type ({raw!r})"
    try:
        if key in ("model", "data_dir", "config_path", "content_dir"):
            return Path(str(raw)).expanduser()
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in ("1", "true", "yes", "on"):
                return True
            if str(raw).lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        return None if raw is None else str(raw)
    except (TypeError, ValueError):
        raise ConfigError(problem, "correct or remove it") from None


def _day(raw: Any, origin: str) -> date:
    """The day ``raw`` names (YYYY-MM-DD, or a TOML date); ConfigError naming ``origin`` otherwise."""
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ConfigError(
        f"the date '{raw}' in {origin} is not a day of the calendar",
        "give it as YYYY-MM-DD, such as 2026-03-01, or leave it out for today",
    )


def _clock(raw: Any, key: str, origin: str) -> time:
    """A time of day given as HH:MM (or a TOML time); ConfigError naming ``key`` and ``origin``."""
    if isinstance(raw, time):
        return raw.replace(second=0, microsecond=0)
    match = _CLOCK.fullmatch(str(raw).strip())
    if match is None:
        raise ConfigError(
            f"setting '{key}' in {origin} is not a time of day ({raw!r})",
            "give it as HH:MM on the 24-hour clock, such as 18:00",
        )
    return time(int(match[1]), int(match[2]))


def _quiet_hours(raw: Any, origin: str) -> tuple[time, time] | None:
    """``"21:30-08:00"`` as (from, until); ``"none"`` or empty for no quiet hours."""
    text = str(raw).strip()
    if text.lower() in ("", "none", "off"):
        return None
    start, dash, end = text.partition("-")
    if not dash:
        raise ConfigError(
            f"setting quiet_hours {raw!r} in {origin} is not a span of time",
            'give it as HH:MM-HH:MM, such as "21:30-08:00", or "none"',
        )
    span = (_clock(start, "quiet_hours", origin), _clock(end, "quiet_hours", origin))
    if span[0] == span[1]:
        raise ConfigError(
            f"setting quiet_hours {raw!r} in {origin} starts and ends at the same time",
            'give two different times, such as "21:30-08:00", or "none"',
        )
    return span


def _person(raw: Any, origin: str) -> str:
    """A person's name as given, outer spaces dropped; ConfigError for an empty one."""
    name = str(raw).strip()
    if not name or not name.isprintable():
        raise ConfigError(
            f"the person's name {str(raw)!r} in {origin} is empty or unprintable",
            "give a name, such as --person Ann",
        )
    return name


def save_preferences(settings: Settings) -> None:
    """Write the person's preferences (rate, volume, voice, region) into the config file, atomically.

    Other keys already in the file are kept.
    Raises ConfigError when the file cannot be written (a read-only folder, a path through a file).
    """
    path = settings.config_path
    existing = _read_config(path, must_exist=False)
    for key in PREFERENCE_KEYS:
        value = getattr(settings, key)
        if value is None:
            existing.pop(key, None)
        else:
            existing[key] = value
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text("".join(f"{key} = {_toml_value(value)}\n" for key, value in existing.items()))
        os.replace(temporary, path)
    except OSError as error:
        raise ConfigError(
            f"cannot write the config file {path} ({error.strerror or error})",
            "give a --config path in a folder you can write to, or use --no-save",
        ) from None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
