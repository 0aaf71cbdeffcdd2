"""The conversation's own wording (reprompts, re-asks, help, command replies), from content TOML."""

from dataclasses import dataclass
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, read_table

_SECTIONS = {
    "silence": ("reprompt",),
    "unclear": ("first", "second"),
    "help": ("yes_no", "number", "weeks", "choice", "free", "commands"),
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
    path = path or CONTENT_DIR / "conversation.toml"
    root = read_table(path)
    root.only(tuple(_SECTIONS))
    lines: dict[str, str] = {}
    for section, keys in _SECTIONS.items():
        table = root.table(section)
        table.only(keys)
        lines.update({f"{section}.{key}": table.text(key) for key in keys})
    return Wording(lines)
