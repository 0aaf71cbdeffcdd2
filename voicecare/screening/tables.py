"""Reading and checking content TOML files: every problem is a ConfigError naming the file and the key."""

import string
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from voicecare.errors import ConfigError

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
"""Where the package's own content files live."""

MAX_QUESTION_WORDS = 25
"""Longest spoken question accepted, in words: one idea a question, about 20 words or fewer."""


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path``; a missing or malformed file is a ConfigError naming it."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found", "reinstall voicecare or pass an existing file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})", "fix the syntax at that line") from None


class Table:
    """One TOML table being read, with the path of keys that leads to it (for error messages)."""

    def __init__(self, file: Path, where: str, data: object) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"{file.name}: '{where}' must be a table", "write it as [table] or {...}")
        self.file = file
        self.where = where
        self.data: Mapping[str, Any] = data

    def _fail(self, key: str, problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{self.file.name}: key '{self.key_path(key)}' {problem}", fix)

    def key_path(self, key: str) -> str:
        """Dotted path of ``key`` inside the file, as used in error messages."""
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str, fix: str) -> ConfigError:
        """A ConfigError about ``key`` of this table (for checks made by callers)."""
        return self._fail(key, problem, fix)

    def only(self, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        """Reject unknown keys and missing required keys."""
        allowed = set(required) | set(optional)
        for key in self.data:
            if key not in allowed:
                raise self._fail(key, "is not a known key", f"use only: {', '.join(sorted(allowed))}")
        for key in required:
            if key not in self.data:
                raise self._fail(key, "is missing", "add it")

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string."""
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "must be a non-empty string", "write it in double quotes")
        return value.strip()

    def optional_text(self, key: str) -> str | None:
        """A non-empty string, or None when the key is absent."""
        return self.text(key) if key in self.data else None

    def integer(self, key: str, default: int | None = None) -> int:
        """A whole number."""
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._fail(key, "must be a whole number", "write digits without quotes")
        return value

    def optional_integer(self, key: str) -> int | None:
        """A whole number, or None when the key is absent."""
        return self.integer(key) if key in self.data else None

    def flag(self, key: str, default: bool = False) -> bool:
        """true or false."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false", "write true or false without quotes")
        return value

    def texts(self, key: str, default: Sequence[str] | None = None) -> tuple[str, ...]:
        """A list of non-empty strings."""
        value = self.data.get(key, default)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self._fail(key, "must be a list of non-empty strings", 'write ["a", "b"]')
        return tuple(v.strip() for v in value)

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str:
        """A string that must be one of ``choices``."""
        value = self.text(key, default)
        if value not in choices:
            raise self._fail(key, f"is '{value}', which is not allowed", f"use one of: {', '.join(choices)}")
        return value

    def table(self, key: str) -> "Table":
        """A sub-table."""
        if key not in self.data:
            raise self._fail(key, "is missing", "add it")
        return Table(self.file, self.key_path(key), self.data[key])

    def tables(self, key: str, required: bool = True) -> list["Table"]:
        """An array of tables ([[key]]), each named ``key[index]`` in errors."""
        if key not in self.data:
            if required:
                raise self._fail(key, "is missing", f"add at least one [[{key}]] entry")
            return []
        value = self.data[key]
        if not isinstance(value, list) or not value:
            raise self._fail(key, "must be a non-empty array of tables", f"write [[{key}]] entries")
        return [Table(self.file, f"{self.key_path(key)}[{i}]", item) for i, item in enumerate(value)]

    def named_tables(self, key: str) -> dict[str, "Table"]:
        """A table of tables ([key.name]), keyed by name."""
        outer = self.table(key)
        return {name: outer.table(name) for name in outer.data}


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
