"""The self-harm check's wording and trigger phrases (content from safety.toml)."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voicecare.content.reader import (
    CONTENT_DIR,
    check_placeholders,
    check_question_length,
    read_table,
)
from voicecare.screening.regions import Region

SAFETY_FILE = CONTENT_DIR / "safety.toml"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class SafetyContent:
    """The direct question, the crisis message templates ({emergency_number}), and the trigger phrases."""

    question: str
    help: str
    reask: str
    message: str
    message_spoken: str
    repeat: int
    resume_after: bool
    save_words: bool
    trigger_phrases: tuple[str, ...]

    def crisis_message(self, region: Region, spoken: bool = False) -> str:
        """The crisis message for ``region``, printed or as read aloud."""
        return region.fill(self.message_spoken if spoken else self.message, spoken=spoken)

    def triggered_by(self, text: str) -> str | None:
        """The first trigger phrase found as whole words in ``text`` (any case, punctuation ignored)."""
        text = text.lower().replace("\u2019", "'")
        cleaned = re.sub(r"[^a-z0-9']+", " ", text)
        words = " " + " ".join(word.strip("'") for word in cleaned.split()) + " "
        for phrase in self.trigger_phrases:
            if f" {phrase} " in words:
                return phrase
        return None


def load_safety(path: Path | None = None) -> SafetyContent:
    """Read and validate safety.toml (the package's own when ``path`` is None)."""
    return _default_safety() if path is None else _parse(path)


@cache
def _default_safety() -> SafetyContent:
    return _parse(SAFETY_FILE)


def _parse(path: Path) -> SafetyContent:
    root = read_table(path)
    root.only(["self_harm"])
    table = root.table("self_harm")
    table.only(
        ["question", "help", "reask", "message", "message_spoken", "repeat", "triggers", "spoken"],
        ["resume_after", "save_words"],
    )
    phrases = table.texts("triggers")
    for phrase in phrases:
        if not all(_WORD.fullmatch(word) for word in phrase.split()) or "  " in phrase:
            raise table.fail("triggers", f"has '{phrase}'", "write lower-case words, no punctuation")
    repeat = table.integer("repeat")
    if repeat < 1:
        raise table.fail("repeat", "must be 1 or more", "docs/clinical.md says the message is said twice")
    return SafetyContent(
        question=check_question_length(table, "question"),
        help=table.text("help"),
        reask=check_question_length(table, "reask"),
        message=check_placeholders(table, "message", ("emergency_number",)),
        message_spoken=check_placeholders(table, "message_spoken", ("emergency_number",)),
        repeat=repeat,
        resume_after=table.flag("resume_after"),
        save_words=table.flag("save_words"),
        trigger_phrases=phrases,
    )
