"""The one strict reader of content TOML files (screening, dialogue and exercise wording alike).

Every problem is a ConfigError whose message names the file and the dotted key path
(``/path/findings.toml: key 'finding.fever.tier' ...``) and whose fix says what to write instead.
"""

import string
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from voicecare.errors import ConfigError

CONTENT_DIR = Path(__file__).resolve().parent
"""Where the package's own content files live (exercise scripts are in its ``exercises`` folder)."""

MAX_QUESTION_WORDS = 25
"""Longest spoken question accepted, in words: one idea a question, about 20 words or fewer."""


def read_toml(path: Path, kind: str = "content file") -> dict[str, Any]:
    """Parse ``path``; a missing or malformed file is a ConfigError naming it (``kind`` says what it is)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: not found (no such {kind})", "reinstall voicecare or pass an existing file"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})", "fix the syntax at that line") from None


def read_table(path: Path, kind: str = "content file") -> "Table":
    """The top table of the TOML file at ``path``, ready to be read key by key."""
    return Table(path, "", read_toml(path, kind))


def _range(low: float | None, high: float | None) -> str:
    return f" from {low:g} to {high:g}" if low is not None and high is not None else ""


class Table:
    """One TOML table being read, with the path of keys that leads to it (for error messages).

    A getter without a default treats an absent key as an error; a list read without a default must not
    be empty. ``only`` rejects unknown keys, so a misspelt key is never silently ignored.
    """

    def __init__(self, file: Path, where: str, data: Mapping[str, Any]) -> None:
        self.file = file
        self.where = where
        self.data = data

    def key_path(self, key: str) -> str:
        """Dotted path of ``key`` inside the file, as used in error messages."""
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str, fix: str) -> ConfigError:
        """A ConfigError about ``key`` of this table (also for checks made by callers)."""
        return ConfigError(f"{self.file}: key '{self.key_path(key)}' {problem}", fix)

    def has(self, key: str) -> bool:
        """True when the table holds ``key``."""
        return key in self.data

    def only(self, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        """Reject unknown keys and missing required keys."""
        allowed = set(required) | set(optional)
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, "is not a known key", f"use only: {', '.join(sorted(allowed))}")
        for key in required:
            if key not in self.data:
                raise self.fail(key, "is missing", "add it")

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string, stripped."""
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is missing", "add it, as text in double quotes")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string", "write it in double quotes")
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        """A non-empty string, or None when the key is absent."""
        return self.text(key) if key in self.data else None

    def texts(self, key: str, default: Sequence[str] | None = None) -> tuple[str, ...]:
        """A list of non-empty strings; without a default it must be present and hold at least one."""
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is missing", 'add a list of text: ["first", "second"]')
        if not isinstance(value, list | tuple) or (default is None and not value):
            raise self.fail(key, "must be a non-empty list of non-empty strings", 'write ["a", "b"]')
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{key}[{index}]", "must be a non-empty string", "write it in double quotes")
        return tuple(item.strip() for item in value)

    def integer(
        self, key: str, low: int | None = None, high: int | None = None, default: int | None = None
    ) -> int:
        """A whole number, from ``low`` to ``high`` inclusive when they are given."""
        value = self.data.get(key, default)
        span = _range(low, high)
        if value is None:
            raise self.fail(key, "is missing", f"add a whole number{span}")
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(key, "must be a whole number", f"write digits without quotes{span}")
        if low is not None and high is not None and not low <= value <= high:
            raise self.fail(key, f"is {value}, outside {low} to {high}", f"use {low} to {high}")
        return value

    def optional_integer(self, key: str) -> int | None:
        """A whole number, or None when the key is absent."""
        return self.integer(key) if key in self.data else None

    def number(self, key: str, low: float, high: float, default: float | None = None) -> float:
        """A number (seconds or another unit the caller documents) from ``low`` to ``high`` inclusive."""
        value = self.data.get(key, default)
        span = _range(low, high)
        if value is None:
            raise self.fail(key, "is missing", f"add a number{span}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "must be a number", f"write a number{span}")
        if not low <= value <= high:
            raise self.fail(key, f"is {value:g}, outside {low:g} to {high:g}", f"use {low:g} to {high:g}")
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        """true or false."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false", "write true or false without quotes")
        return value

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str:
        """A string that must be one of ``choices``."""
        value = self.text(key, default)
        if value not in choices:
            raise self.fail(key, f"is '{value}', which is not allowed", f"use one of: {', '.join(choices)}")
        return value

    def choices(self, key: str, choices: Sequence[str]) -> tuple[str, ...]:
        """A list of strings, each one of ``choices`` (empty when the key is absent)."""
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "must be a list", f"write a list of: {', '.join(choices)}")
        for item in value:
            if item not in choices:
                raise self.fail(key, f"holds unknown word {item!r}", f"use only: {', '.join(choices)}")
        return tuple(str(item) for item in value)

    def table(self, key: str) -> "Table":
        """A sub-table (``[key]``)."""
        if key not in self.data:
            raise self.fail(key, "is missing", f"add a [{self.key_path(key)}] table")
        return self._sub_table(key, self.key_path(key), self.data[key])

    def tables(self, key: str, required: bool = True) -> list["Table"]:
        """An array of tables (``[[key]]``), each named ``key[index]`` in errors."""
        path = self.key_path(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing", f"add at least one [[{path}]] entry")
            return []
        value = self.data[key]
        if not isinstance(value, list) or not value:
            raise self.fail(key, "must be a non-empty array of tables", f"write [[{path}]] entries")
        return [self._sub_table(f"{key}[{i}]", f"{path}[{i}]", item) for i, item in enumerate(value)]

    def named_tables(self, key: str) -> dict[str, "Table"]:
        """A table of tables (``[key.name]``), keyed by name."""
        outer = self.table(key)
        return {name: outer.table(name) for name in outer.data}

    def _sub_table(self, key: str, where: str, value: object) -> "Table":
        if not isinstance(value, Mapping):
            raise self.fail(key, "must be a table", f"write it as [{where}] or {{...}}")
        return Table(self.file, where, value)


def check_question_length(table: Table, key: str) -> str:
    """The text at ``key``, rejected when longer than MAX_QUESTION_WORDS words."""
    text = table.text(key)
    words = len(text.split())
    if words > MAX_QUESTION_WORDS:
        raise table.fail(
            key, f"has {words} words, more than {MAX_QUESTION_WORDS}", "split it into shorter questions"
        )
    return text


def check_placeholders(table: Table, key: str, allowed: Sequence[str]) -> str:
    """The text at ``key``, rejected when it uses a {placeholder} outside ``allowed``."""
    text = table.text(key)
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise table.fail(key, f"has a broken placeholder ({error})", "write placeholders as {name}") from None
    for name in names:
        if name not in allowed:
            listed = ", ".join("{" + a + "}" for a in allowed) or "none"
            raise table.fail(key, f"uses unknown placeholder {{{name}}}", f"use only: {listed}")
    return text
