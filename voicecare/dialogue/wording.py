"""The conversation's own wording (reprompts, re-asks, help, command replies), loaded from content TOML."""

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from voicecare.errors import ConfigError

_SECTIONS = {
    "silence": ("reprompt",),
    "unclear": ("first", "second"),
    "help": ("yes_no", "number", "duration", "choice", "free", "commands"),
    "commands": ("slower", "faster", "paused", "still_paused", "resumed", "cannot_skip", "no_time_left"),
}


@dataclass(frozen=True)
class Wording:
    """Sentences keyed ``section.key``; ``{question}`` placeholders are filled by ``line``."""

    lines: dict[str, str]

    def line(self, key: str, question: str = "") -> str:
        """The sentence for ``key`` (e.g. ``"unclear.first"``) with the question put in."""
        return self.lines[key].replace("{question}", question).strip()


def load_wording(path: Path | None = None) -> Wording:
    """Read and validate the wording file (default: the packaged ``content/conversation.toml``)."""
    if path is None:
        source = resources.files("voicecare.content").joinpath("conversation.toml")
        name, text = "conversation.toml", source.read_text(encoding="utf-8")
    else:
        name, text = str(path), path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name} is not valid TOML ({error})", "correct the file") from None
    lines: dict[str, str] = {}
    for section, keys in _SECTIONS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            raise ConfigError(f"{name}: missing section [{section}]", "restore it from the packaged file")
        for key in keys:
            value = table.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f"{name}: missing text at {section}.{key}", "restore it from the packaged file"
                )
            lines[f"{section}.{key}"] = value
    return Wording(lines)
