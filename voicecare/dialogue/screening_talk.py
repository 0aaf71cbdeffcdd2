"""The screening's own wording (opening, read-backs, progress), from ``content/screening_talk.toml``."""

import tomllib
from dataclasses import dataclass
from importlib import resources

from voicecare.errors import ConfigError

SECTIONS = ("about_you", "emergency", "urgent", "soon")
_TEXTS = (
    "readback",
    "readback_number",
    "readback_help",
    "stopped",
    "because_unknown_number",
    "context_intro",
    "advice_intro",
)


@dataclass(frozen=True)
class ScreeningTalk:
    """Sentences with ``{placeholders}``; ``sections`` maps a tier (or ``about_you``) to its progress line."""

    opening: tuple[str, ...]
    readback: str
    readback_number: str
    readback_help: str
    stopped: str
    because_unknown_number: str
    context_intro: str
    advice_intro: str
    sections: dict[str, str]


def load_screening_talk() -> ScreeningTalk:
    """Read and validate ``content/screening_talk.toml``; a broken file is a ConfigError naming the key."""
    name = "screening_talk.toml"
    text = resources.files("voicecare.content").joinpath(name).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name} is not valid TOML ({error})", "correct the file") from None
    opening = data.get("opening")
    if not isinstance(opening, list) or not opening or not all(isinstance(x, str) and x for x in opening):
        raise ConfigError(
            f"{name}: 'opening' must be a list of sentences", "restore it from the packaged file"
        )
    for key in _TEXTS:
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ConfigError(f"{name}: missing text at '{key}'", "restore it from the packaged file")
    sections = data.get("sections")
    if not isinstance(sections, dict) or any(not isinstance(sections.get(k), str) for k in SECTIONS):
        raise ConfigError(
            f"{name}: [sections] needs {', '.join(SECTIONS)}", "restore it from the packaged file"
        )
    return ScreeningTalk(
        opening=tuple(opening),
        readback=data["readback"],
        readback_number=data["readback_number"],
        readback_help=data["readback_help"],
        stopped=data["stopped"],
        because_unknown_number=data["because_unknown_number"],
        context_intro=data["context_intro"],
        advice_intro=data["advice_intro"],
        sections={k: sections[k] for k in SECTIONS},
    )
