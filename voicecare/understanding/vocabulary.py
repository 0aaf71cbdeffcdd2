"""Loads the phrase data (phrases.toml, commands.toml, safety.toml) into a validated ``Vocabulary``.

A phrase is a tuple of lower-case words. Every file error names the file and key and says how to fix it.
"""

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from voicecare.errors import ConfigError
from voicecare.understanding.answers import CommandName, Qualifier

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
"""Where the package's content files live."""

Phrase = tuple[str, ...]
"""A phrase as its words, lower case: ("not", "really")."""

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?()\[\]/\-\u2026\u2013\u2014]+")

BREAK = "|"
"""The token that stands for clause punctuation in typed text (see ``Vocabulary.words``)."""


@dataclass(frozen=True)
class NumberWords:
    """The words whole numbers are built from, and the age range a recogniser is given (years)."""

    units: Mapping[str, int]
    tens: Mapping[str, int]
    hundred: str
    one_before_hundred: frozenset[str]
    joiner: str
    age_min: int
    age_max: int


@dataclass(frozen=True)
class DurationWords:
    """Units (weeks per unit), amounts, hedges and whole phrases for saying how long, in weeks."""

    units: Mapping[str, float]
    amounts: Mapping[Phrase, float]
    qualifiers: Mapping[Phrase, Qualifier]
    half: Phrase
    fixed: Mapping[Phrase, float]
    vague: tuple[Phrase, ...]
    grammar_amounts: Mapping[str, tuple[int, ...]]
    """Unit (plural, e.g. "weeks") -> the amounts given to a recogniser."""
    grammar_about: Mapping[str, tuple[int, ...]]
    """Unit (plural) -> the amounts given to a recogniser with "about" before them."""
    grammar_phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class CommandPhrases:
    """One command's phrasings; ``is_global`` means it is heard at every turn."""

    name: CommandName
    is_global: bool
    phrases: tuple[Phrase, ...]
    spoken: tuple[Phrase, ...]
    """The phrasings a recogniser is given (a subset of ``phrases``)."""


@dataclass(frozen=True)
class Vocabulary:
    """Everything understanding knows about how people answer, loaded from the content files."""

    yes: tuple[Phrase, ...]
    no: tuple[Phrase, ...]
    unsure: tuple[Phrase, ...]
    spoken_yes: tuple[Phrase, ...]
    """The yeses a recogniser is given (a subset of ``yes``); likewise ``spoken_no`` and ``spoken_unsure``."""
    spoken_no: tuple[Phrase, ...]
    spoken_unsure: tuple[Phrase, ...]
    fillers: tuple[Phrase, ...]
    negators: frozenset[str]
    spellings: Mapping[str, str]
    done: tuple[Phrase, ...]
    numbers: NumberWords
    durations: DurationWords
    commands: Mapping[CommandName, CommandPhrases]
    self_harm: tuple[Phrase, ...]
    spoken_self_harm: tuple[Phrase, ...] = ()
    """The few self-harm phrases added to every question's grammar, so a recogniser can hear them."""

    def words(self, text: str, keep_breaks: bool = False) -> list[str]:
        """Lower-case words of typed or recognised ``text``, punctuation dropped and typed spellings repaired.

        A hyphen inside a word splits it ("fifty-two" -> fifty two), and so does a change between digits and
        letters ("6wks" -> 6 weeks, with the spelling repaired); an apostrophe inside a word stays ("don't");
        a minus sign before a number is the word "minus" ("-1" -> minus 1).
        With ``keep_breaks``, punctuation between clauses ("yes, no", "yes... no") becomes the ``BREAK``
        token, which no phrase spans.
        """
        text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
        text = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", text)
        text = re.sub(r"(?<![a-z0-9])-(?=[0-9])", " minus ", text)
        text = re.sub(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])", " ", text)
        text = _CLAUSE_PUNCTUATION.sub(f" {BREAK} " if keep_breaks else " ", text)
        text = re.sub(rf"[^a-z0-9'{re.escape(BREAK)}]+", " ", text)
        out: list[str] = []
        for raw in text.split():
            word = raw.strip("'")
            if word:
                out.append(self.spellings.get(word, word))
        return out


def load_vocabulary(content_dir: Path = CONTENT_DIR, self_harm: Sequence[str] | None = None) -> Vocabulary:
    """Read and validate the phrase files in ``content_dir``.

    ``self_harm`` replaces the trigger phrases of safety.toml (for tests, or before that file exists);
    when it is None, safety.toml must exist and hold them.
    """
    phrases_file = content_dir / "phrases.toml"
    doc = _read(phrases_file)
    answers = _table(doc, "answers", phrases_file)
    typed = _table(doc, "typed", phrases_file)
    grammar = _table(doc, "grammar", phrases_file)
    triggers, spoken_self_harm = _self_harm(content_dir / "safety.toml", self_harm)
    vocabulary = Vocabulary(
        yes=_phrases(answers, "yes", phrases_file, "answers."),
        no=_phrases(answers, "no", phrases_file, "answers."),
        unsure=_phrases(answers, "unsure", phrases_file, "answers."),
        spoken_yes=_subset(grammar, "yes", answers, phrases_file, "grammar."),
        spoken_no=_subset(grammar, "no", answers, phrases_file, "grammar."),
        spoken_unsure=_subset(grammar, "unsure", answers, phrases_file, "grammar."),
        fillers=_phrases(typed, "fillers", phrases_file, "typed."),
        negators=frozenset(w for p in _phrases(typed, "negators", phrases_file, "typed.") for w in p),
        spellings=_spellings(typed, phrases_file),
        done=_phrases(_table(doc, "free", phrases_file), "done", phrases_file, "free."),
        numbers=_numbers(_table(doc, "numbers", phrases_file), phrases_file),
        durations=_durations(_table(doc, "durations", phrases_file), phrases_file),
        commands=_commands(content_dir / "commands.toml"),
        self_harm=triggers,
        spoken_self_harm=spoken_self_harm,
    )
    _check_no_overlap(vocabulary, phrases_file)
    return vocabulary


@cache
def default_vocabulary() -> Vocabulary:
    """The package's vocabulary, loaded once per process."""
    return load_vocabulary()


def phrase_of(text: str, where: str, path: Path | str) -> Phrase:
    """Split one content entry into words, rejecting anything but lower-case words and inner apostrophes."""
    words = tuple(text.split())
    if not words or not all(_WORD.fullmatch(w) for w in words):
        raise ConfigError(
            f"{path}: {where} has the phrase {text!r}",
            "write lower-case words separated by spaces, with no punctuation but an inner apostrophe",
        )
    return words


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(f"{path} is missing", "reinstall voicecare or restore the file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error})", "fix the syntax at that line") from None


def _table(doc: Mapping[str, Any], key: str, path: Path, prefix: str = "") -> dict[str, Any]:
    value = doc.get(key)
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{prefix}{key}] is missing or not a table", f"add [{prefix}{key}]")
    return value


def _phrases(table: Mapping[str, Any], key: str, path: Path, prefix: str) -> tuple[Phrase, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {prefix}{key} is not a list of phrases", f'set {key} = ["..."]')
    phrases = tuple(phrase_of(v, prefix + key, path) for v in value)
    if len(set(phrases)) != len(phrases):
        raise ConfigError(f"{path}: {prefix}{key} lists a phrase twice", "remove the repeated phrase")
    return phrases


def _subset(
    table: Mapping[str, Any], key: str, full: Mapping[str, Any], path: Path, prefix: str, full_key: str = ""
) -> tuple[Phrase, ...]:
    """``table[key]`` as phrases, each of which must also be in ``full[full_key or key]``."""
    phrases = _phrases(table, key, path, prefix)
    source = full_key or key
    allowed = set(_phrases(full, source, path, ""))
    for phrase in phrases:
        if phrase not in allowed:
            raise ConfigError(f"{path}: {prefix}{key} has {' '.join(phrase)!r}, which {source} lacks",
                              f"add it to {source} as well, or remove it here")
    return phrases


def _spellings(typed: Mapping[str, Any], path: Path) -> dict[str, str]:
    table = _table(typed, "spellings", path, "typed.")
    for key, value in table.items():
        if not isinstance(value, str) or not _WORD.fullmatch(value) or not _WORD.fullmatch(key):
            raise ConfigError(f"{path}: typed.spellings.{key} is not one word", 'write typo = "word"')
    return dict(table)


def _int(table: Mapping[str, Any], key: str, path: Path, where: str) -> int:
    value = table.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"{path}: {where}{key} is missing or not a whole number", f"set {key} to a number")
    return value


def _number(table: Mapping[str, Any], key: str, path: Path, where: str) -> float:
    value = table.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{path}: {where}{key} is not a positive number", f"set {key} to a number of weeks")
    return float(value)


def _numbers(table: Mapping[str, Any], path: Path) -> NumberWords:
    units = {
        k: _int(_table(table, "units", path, "numbers."), k, path, "numbers.units.")
        for k in _table(table, "units", path, "numbers.")
    }
    tens = {
        k: _int(_table(table, "tens", path, "numbers."), k, path, "numbers.tens.")
        for k in _table(table, "tens", path, "numbers.")
    }
    age = _table(table, "age", path, "numbers.")
    hundred, joiner = table.get("hundred"), table.get("joiner")
    before = table.get("one_before_hundred")
    if not isinstance(hundred, str) or not isinstance(joiner, str) or not isinstance(before, list):
        raise ConfigError(
            f"{path}: [numbers] needs hundred, joiner and one_before_hundred",
            'set hundred = "hundred", joiner = "and", one_before_hundred = ["a", "one"]',
        )
    for word in (*units, *tens, hundred, joiner, *before):
        phrase_of(str(word), "numbers", path)
    if set(units.values()) != set(range(20)) or set(tens.values()) != set(range(20, 100, 10)):
        raise ConfigError(
            f"{path}: [numbers.units] must give 0 to 19 and [numbers.tens] 20 to 90",
            "give each number at least one word",
        )
    age_min, age_max = _int(age, "min", path, "numbers.age."), _int(age, "max", path, "numbers.age.")
    if not age_min < age_max <= 999:
        raise ConfigError(f"{path}: numbers.age.min must be below max (at most 999)", "fix the range")
    return NumberWords(units, tens, hundred, frozenset(str(b) for b in before), joiner, age_min, age_max)


def _durations(table: Mapping[str, Any], path: Path) -> DurationWords:
    where = "durations."
    units_table = _table(table, "units", path, where)
    units = {k: _number(units_table, k, path, where + "units.") for k in units_table}
    amounts_table = _table(table, "amounts", path, where)
    amounts = {
        phrase_of(k, where + "amounts", path): _number(amounts_table, k, path, where + "amounts.")
        for k in amounts_table
    }
    qualifiers: dict[Phrase, Qualifier] = {}
    for key, value in _table(table, "qualifiers", path, where).items():
        try:
            qualifiers[phrase_of(key, where + "qualifiers", path)] = Qualifier(value)
        except ValueError:
            raise ConfigError(
                f"{path}: durations.qualifiers.{key} is {value!r}", "use about, less_than or more_than"
            ) from None
    fixed_table = _table(table, "fixed", path, where)
    fixed = {
        phrase_of(k, where + "fixed", path): _number(fixed_table, k, path, where + "fixed.")
        for k in fixed_table
    }
    half = table.get("half")
    if not isinstance(half, str):
        raise ConfigError(f"{path}: durations.half is missing", 'set half = "and a half"')
    grammar = _table(table, "grammar", path, where)
    grammar_amounts: dict[str, tuple[int, ...]] = {}
    grammar_about: dict[str, tuple[int, ...]] = {}
    for key, value in grammar.items():
        if key == "phrases":
            continue
        unit = key.removeprefix("about_")
        if unit not in units or not isinstance(value, list) or not all(isinstance(v, int) for v in value):
            raise ConfigError(
                f"{path}: durations.grammar.{key} is not a unit with a list of amounts",
                "use days, weeks, months or years (or about_ before one) = [1, 2, ...]",
            )
        (grammar_about if key.startswith("about_") else grammar_amounts)[unit] = tuple(value)
    return DurationWords(
        units=units,
        amounts=amounts,
        qualifiers=qualifiers,
        half=phrase_of(half, where + "half", path),
        fixed=fixed,
        vague=_phrases(_table(table, "vague", path, where), "phrases", path, where + "vague."),
        grammar_amounts=grammar_amounts,
        grammar_about=grammar_about,
        grammar_phrases=_phrases(grammar, "phrases", path, where + "grammar."),
    )


def _commands(path: Path) -> dict[CommandName, CommandPhrases]:
    doc = _read(path)
    commands: dict[CommandName, CommandPhrases] = {}
    for name in CommandName:
        table = _table(doc, name.value, path)
        is_global = table.get("global")
        if not isinstance(is_global, bool):
            raise ConfigError(f"{path}: {name.value}.global is missing", "set global = true or false")
        phrases = _phrases(table, "phrases", path, f"{name.value}.")
        spoken = _subset(table, "spoken", table, path, f"{name.value}.", "phrases")
        commands[name] = CommandPhrases(name, is_global, phrases, spoken)
    unknown = set(doc) - {n.value for n in CommandName}
    if unknown:
        raise ConfigError(
            f"{path}: unknown command {sorted(unknown)[0]!r}",
            f"use one of {', '.join(n.value for n in CommandName)}",
        )
    return commands


def _self_harm(path: Path, override: Sequence[str] | None) -> tuple[tuple[Phrase, ...], tuple[Phrase, ...]]:
    """The trigger phrases and the spoken ones (each holding a trigger); an override has no spoken ones."""
    if override is not None:
        return tuple(phrase_of(p, "self-harm phrases", path) for p in override), ()
    doc = _read(path)
    table = _table(doc, "self_harm", path)
    triggers = _phrases(table, "triggers", path, "self_harm.")
    spoken = _phrases(table, "spoken", path, "self_harm.")
    for phrase in spoken:
        if not any(phrase[i : i + len(t)] == t for t in triggers for i in range(len(phrase))):
            raise ConfigError(
                f"{path}: self_harm.spoken has {' '.join(phrase)!r}, which holds no trigger phrase",
                "add its words to triggers as well, or remove it from spoken",
            )
    return triggers, spoken


def _check_no_overlap(vocabulary: Vocabulary, path: Path) -> None:
    owner: dict[Phrase, str] = {}
    groups: list[tuple[str, tuple[Phrase, ...]]] = [
        ("answers.yes", vocabulary.yes),
        ("answers.no", vocabulary.no),
        ("answers.unsure", vocabulary.unsure),
        ("free.done", vocabulary.done),
        *((f"commands {c.name.value}", c.phrases) for c in vocabulary.commands.values()),
    ]
    for group, phrases in groups:
        for phrase in phrases:
            if phrase in owner:
                raise ConfigError(
                    f"{path}: {' '.join(phrase)!r} is in both {owner[phrase]} and {group}",
                    "keep each phrase in one list only",
                )
            owner[phrase] = group
