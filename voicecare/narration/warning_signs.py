"""Warning signs mentioned during an exercise ("my legs are numb", "chest pain"), read from
``content/exercises/warning_signs.toml``: spotted in typed or recognised text, and listened for as extra
grammar phrases while the player narrates. Self-harm words are not here (see ``safety_spotting``)."""

from dataclasses import dataclass
from pathlib import Path

from voicecare.exercises.script import SCRIPTS_DIR, read_script
from voicecare.understanding.answers import Answer, FreeText, SelfHarm
from voicecare.understanding.safety_spotting import find_self_harm
from voicecare.understanding.turn_understanding import TurnLike, TurnUnderstanding
from voicecare.understanding.vocabulary import Vocabulary, default_vocabulary


@dataclass(frozen=True)
class WarningSign:
    """A warning sign (``id``) and the words that named it."""

    id: str
    phrase: str


@dataclass(frozen=True)
class WarningSigns:
    """The signs and the wording of stopping for one: ``stopped`` is said first, ``offer`` asks whether to
    go through the screening, ``declined`` is said when the person does not want it."""

    phrase_lists: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    grammar: tuple[str, ...]
    """Whole-utterance phrases for a recogniser's grammar (the ``phrases`` of every sign)."""
    stopped: str
    offer: str
    declined: str
    vocabulary: Vocabulary

    def spot(self, text: str) -> WarningSign | None:
        """The first sign named anywhere in ``text`` (whatever the case and punctuation), or None."""
        words = self.vocabulary.words(text)
        for sign_id, phrases in self.phrase_lists:
            found = find_self_harm(words, phrases)
            if found is not None:
                return WarningSign(sign_id, " ".join(found))
        return None


def load_warning_signs(path: Path | None = None, vocabulary: Vocabulary | None = None) -> WarningSigns:
    """Read and validate ``warning_signs.toml`` (or ``path``); ConfigError names the file and key."""
    vocabulary = vocabulary or default_vocabulary()
    node = read_script(path or SCRIPTS_DIR / "warning_signs.toml")
    node.only(("stopped", "offer", "declined", "sign"))
    lists: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
    grammar: list[str] = []
    for sign in node.tables("sign"):
        sign.only(("id", "phrases"), ("words",))
        phrases = [tuple(vocabulary.words(p)) for p in sign.texts("phrases")]
        grammar += [" ".join(p) for p in phrases]
        single = sign.texts("words", ())
        for word in single:
            if len(vocabulary.words(word)) != 1:
                raise sign.fail("words", f"holds {word!r}, which is not one word", "move it to phrases")
        phrases += [tuple(vocabulary.words(w)) for w in single]
        lists.append((sign.text("id"), tuple(phrases)))
    return WarningSigns(
        tuple(lists),
        tuple(dict.fromkeys(grammar)),
        node.text("stopped"),
        node.text("offer"),
        node.text("declined"),
        vocabulary,
    )


@dataclass(frozen=True)
class SignAwareUnderstanding:
    """The exercise's understanding: ``turns`` with the warning-sign phrases added to every grammar, and a
    reply that names a sign returned as ``FreeText`` (so any ask hands it back to the player to act on)."""

    turns: TurnUnderstanding
    signs: WarningSigns

    def phrases(self, prompt: TurnLike) -> list[str]:
        """The turn's phrases, the commands and the warning-sign phrases."""
        return list(dict.fromkeys(self.turns.phrases(prompt) + list(self.signs.grammar)))

    def parse(self, text: str, prompt: TurnLike) -> Answer:
        """Self-harm first, then a warning sign (as ``FreeText``), then the turn's own understanding."""
        answer = self.turns.parse(text, prompt)
        if not isinstance(answer, SelfHarm) and self.signs.spot(text) is not None:
            return FreeText(text.strip())
        return answer
