"""People's names, typed or said: ``NameBook`` gives a recogniser the phrases of a name question and reads
a name out of a reply ("sam", "this is sam", "it's sam", "my name is sam", "call me sam").

The names a recogniser listens for are the household's stored names (those pocketsphinx can pronounce)
and the common first names of ``content/names.toml``; typed text accepts any name: trimmed, at most
``TYPED_NAME_LIMIT`` characters of letters, spaces, hyphens and apostrophes. A name found in the book comes
back as the book spells it ("SAM" is "Sam"); another, all in lower case, with capitals ("mary-jane" is
"Mary-Jane"). Used by the screening's naming (voicecare.dialogue.naming) and home mode alike.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.recognition.pronunciations import known_words

NAMES_FILE = CONTENT_DIR / "names.toml"
TYPED_NAME_LIMIT = 40
"""The longest name accepted, in characters."""

_NAME = re.compile(r"[^\W\d_]+(?:['\u2019 -]+[^\W\d_]+)*")
"""Letters, with single runs of spaces, hyphens or apostrophes between them."""
_EDGE = re.compile(r"^[\s.,;:!?\"]+|[\s.,;:!?\"]+$")


@dataclass(frozen=True)
class NameWords:
    """``content/names.toml``: common first names, and the words said before a name."""

    names: tuple[str, ...]
    lead_ins: tuple[str, ...]
    """How a person gives their name: "this is", "my name is", "call me"."""
    rename: tuple[str, ...]
    """The lead-ins that ask for a new name ("call me sam") when said at the menu."""
    spoken: tuple[str, ...]
    """The lead-ins a recogniser listens for (the grammar stays small: a few per name)."""


@cache
def load_name_words(path: Path = NAMES_FILE) -> NameWords:
    """Read and validate ``names.toml`` (ConfigError naming the key when it is wrong)."""
    root = read_table(path)
    root.only(["names", "lead_ins"])
    names = root.texts("names")
    for index, name in enumerate(names):
        if not _NAME.fullmatch(name) or len(name) > TYPED_NAME_LIMIT:
            raise root.fail(f"names[{index}]", "is not a name of letters", 'write e.g. "Sam"')
    if len({normal(name) for name in names}) != len(names):
        raise root.fail("names", "lists a name twice", "remove the repeated name")
    lead_ins = root.table("lead_ins")
    lead_ins.only(["any", "rename", "spoken"])
    any_lead = tuple(normal(text) for text in lead_ins.texts("any"))
    subsets = {key: tuple(normal(text) for text in lead_ins.texts(key)) for key in ("rename", "spoken")}
    for key, subset in subsets.items():
        if not set(subset) <= set(any_lead):
            raise lead_ins.fail(key, "has a lead-in that any lacks", "add it to any as well")
    return NameWords(names, any_lead, subsets["rename"], subsets["spoken"])


def normal(text: str) -> str:
    """``text`` as compared: case folded, runs of spaces made one, outer spaces dropped."""
    return " ".join(text.split()).casefold()


def typed_name(text: str) -> str | None:
    """``text`` as a name if it can be one (letters, spaces, hyphens, apostrophes, at most
    ``TYPED_NAME_LIMIT`` characters once trimmed), given capitals when typed all in lower case."""
    kept = " ".join(_EDGE.sub("", text).split())
    if not kept or len(kept) > TYPED_NAME_LIMIT or not _NAME.fullmatch(kept):
        return None
    if kept == kept.lower():
        kept = re.sub(r"(^|[\s'\u2019-])([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), kept)
    return kept


@dataclass(frozen=True)
class NameBook:
    """The names of a name question: ``names`` as spelt (the household's first), the ``lead_ins`` said
    before a name, and whether a bare name counts (``bare``; at the menu only "call me sam" does)."""

    names: tuple[str, ...]
    lead_ins: tuple[str, ...]
    bare: bool = True
    spoken_lead_ins: tuple[str, ...] | None = None
    """The lead-ins a recogniser listens for; None: every one of ``lead_ins``."""

    @classmethod
    def for_household(cls, stored: Iterable[str], words: NameWords | None = None) -> "NameBook":
        """The household's ``stored`` names and the common names, with every lead-in."""
        words = words or load_name_words()
        return cls(_unique([*stored, *words.names]), words.lead_ins, spoken_lead_ins=words.spoken)

    @classmethod
    def for_rename(cls, stored: Iterable[str], words: NameWords | None = None) -> "NameBook":
        """Names asked for at the menu: only after a rename lead-in ("call me sam", "my name is sam")."""
        words = words or load_name_words()
        spoken = tuple(lead for lead in words.rename if lead in words.spoken)
        return cls(_unique([*stored, *words.names]), words.rename, bare=False, spoken_lead_ins=spoken)

    def phrases(self) -> list[str]:
        """What a recogniser listens for: each name it can pronounce, bare (when ``bare``) and after each
        lead-in, in lower case."""
        spoken = [normal(name) for name in self.names if _speakable(name)]
        known = known_words({word for name in spoken for word in name.split()})
        spoken = [name for name in spoken if all(word in known for word in name.split())]
        phrases = list(spoken) if self.bare else []
        leads = self.lead_ins if self.spoken_lead_ins is None else self.spoken_lead_ins
        phrases += [f"{lead} {name}" for lead in leads for name in spoken]
        return list(dict.fromkeys(phrases))

    def parse(self, text: str) -> str | None:
        """The name ``text`` gives, or None: a lead-in is dropped ("call me sam" is "Sam"); a name of the
        book comes back as spelt there; otherwise any name that typed text may be."""
        said = normal(_EDGE.sub("", text.replace("\u2019", "'")))
        rest = self._after_lead_in(said)
        if rest is None:
            return None
        for name in self.names:
            if normal(name) == rest:
                return name
        return typed_name(rest)

    def _after_lead_in(self, said: str) -> str | None:
        if said in self.lead_ins:
            return None
        for lead in sorted(self.lead_ins, key=len, reverse=True):
            if said.startswith(lead + " "):
                return said[len(lead) + 1 :].strip() or None
        return said if self.bare else None


def _speakable(name: str) -> bool:
    return all(part.isalpha() and part.isascii() for part in normal(name).split())


def _unique(names: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(normal(name), name)
    return tuple(seen.values())
