"""The screening's own wording (opening, read-backs, progress), from ``content/screening_talk.toml``."""

from dataclasses import dataclass

from voicecare.content.reader import CONTENT_DIR, read_table

SECTIONS = ("about_you", "emergency", "urgent", "soon")


@dataclass(frozen=True)
class ScreeningTalk:
    """Sentences with ``{placeholders}``; ``sections`` maps a tier (or ``about_you``) to its progress line."""

    greeting: str
    opening: tuple[str, ...]
    readback: str
    readback_number: str
    readback_help: str
    stopped: str
    because_unknown_number: str
    because_unheard: str
    because_combination: str
    """A combination's reason: ``{found}`` joins its parts with "and"; ``{why}`` is the rule's why."""
    part_yes: str
    part_unsure: str
    part_unknown_number: str
    context_intro: str
    advice_intro: str
    sections: dict[str, str]


def load_screening_talk() -> ScreeningTalk:
    """Read and validate ``content/screening_talk.toml``; a broken file is a ConfigError naming the key."""
    path = CONTENT_DIR / "screening_talk.toml"
    root = read_table(path)
    texts = (
        "greeting",
        "readback",
        "readback_number",
        "readback_help",
        "stopped",
        "because_unknown_number",
        "because_unheard",
        "because_combination",
        "part_yes",
        "part_unsure",
        "part_unknown_number",
        "context_intro",
        "advice_intro",
    )
    root.only(("opening", "sections", *texts))
    sections = root.table("sections")
    sections.only(SECTIONS)
    return ScreeningTalk(
        opening=root.texts("opening"),
        **{key: root.text(key) for key in texts},
        sections={key: sections.text(key) for key in SECTIONS},
    )
