"""Keele STarT Back Screening Tool: the items (startback.toml, under Keele's terms) and their scoring."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, Table, read_table

STARTBACK_FILE = CONTENT_DIR / "startback.toml"
ITEM_COUNT = 9


class Risk(Enum):
    """STarT Back risk of a poor outcome."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class Option:
    """One answer to an item: ``id`` as passed to ``score``, ``label`` as printed, ``score`` 0 or 1,
    ``phrases`` what a person may say to give it (the label in lower case when the file names none)."""

    id: str
    label: str
    score: int
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One item in Keele's numbering, its verbatim ``text``, and the options that answer it.

    ``self_harm_check_on`` lists option ids that start the direct self-harm question (items 6 to 8).
    ``spoken_prompt`` is what is asked after the statement (None: the tool's agree/disagree prompt).
    """

    number: int
    text: str
    options: tuple[Option, ...]
    psychosocial: bool
    self_harm_check_on: tuple[str, ...] = ()
    spoken_prompt: str | None = None

    def option(self, option_id: str) -> Option:
        """The option with ``option_id``; ValueError when the item has none."""
        for option in self.options:
            if option.id == option_id:
                return option
        valid = ", ".join(o.id for o in self.options)
        raise ValueError(f"item {self.number} has no answer '{option_id}'; use one of: {valid}")


@dataclass(frozen=True)
class SpokenWording:
    """voicecare's own lines around the tool: the offer, its help, re-asks, and the notes it may add."""

    offer: str
    offer_help: str
    agree_reask: str
    choice_reask: str
    unclear_counted: str
    declined: str


@dataclass(frozen=True)
class StartBackTool:
    """Everything startback.toml holds."""

    notice: str
    verification: str
    instruction: str
    spoken_intro: str
    agree_prompt: str
    result_intro: str
    items: tuple[Item, ...]
    total_medium_at_least: int
    subscale_high_at_least: int
    results: dict[Risk, str]
    high_advice: str
    spoken: SpokenWording


@dataclass(frozen=True)
class StartBackScore:
    """A scored questionnaire: ``total`` 0-9, ``psychosocial`` subscale 0-5, the risk and what to say."""

    total: int
    psychosocial: int
    risk: Risk
    result: str
    advice: str | None


def load_startback(path: Path | None = None) -> StartBackTool:
    """Read and validate startback.toml (the package's own when ``path`` is None)."""
    return _default_tool() if path is None else _parse(path)


@cache
def _default_tool() -> StartBackTool:
    return _parse(STARTBACK_FILE)


def score(answers: Mapping[int, str], tool: StartBackTool | None = None) -> StartBackScore:
    """Score ``answers`` (item number -> option id, all 9 items) per Keele's rules (docs/clinical.md)."""
    tool = tool or load_startback()
    total = 0
    psychosocial = 0
    for item in tool.items:
        if item.number not in answers:
            raise ValueError(f"item {item.number} has no answer; score needs all {ITEM_COUNT} items")
        points = item.option(answers[item.number]).score
        total += points
        psychosocial += points if item.psychosocial else 0
    unknown = set(answers) - {item.number for item in tool.items}
    if unknown:
        raise ValueError(f"there is no item {min(unknown)}; items are 1 to {ITEM_COUNT}")
    if psychosocial >= tool.subscale_high_at_least:
        risk = Risk.HIGH
    elif total >= tool.total_medium_at_least:
        risk = Risk.MEDIUM
    else:
        risk = Risk.LOW
    advice = tool.high_advice if risk is Risk.HIGH else None
    return StartBackScore(total, psychosocial, risk, tool.results[risk], advice)


def _parse(path: Path) -> StartBackTool:
    root = read_table(path)
    text_keys = ["notice", "verification", "instruction", "spoken_intro", "agree_prompt", "result_intro"]
    root.only([*text_keys, "scoring", "result", "option_set", "item", "spoken"])
    scoring = root.table("scoring")
    scoring.only(["psychosocial_items", "total_medium_at_least", "subscale_high_at_least"])
    psychosocial_items = _numbers(scoring, "psychosocial_items")
    option_sets = {}
    for table in root.tables("option_set"):
        table.only(["id", "options"])
        options = []
        for sub in table.tables("options"):
            sub.only(["id", "label", "score"], ["phrases"])
            points = sub.integer("score")
            if points not in (0, 1):
                raise sub.fail("score", "must be 0 or 1", "STarT Back scores each item 0 or 1")
            label = sub.text("label")
            phrases = sub.texts("phrases", [label.lower()])
            options.append(Option(sub.text("id"), label, points, phrases))
        option_sets[table.text("id")] = tuple(options)
    items = tuple(_item(table, option_sets, psychosocial_items) for table in root.tables("item"))
    if [item.number for item in items] != list(range(1, ITEM_COUNT + 1)):
        raise root.fail("item", f"must be items 1 to {ITEM_COUNT} in Keele's order", "number them 1 to 9")
    result = root.table("result")
    result.only([risk.value for risk in Risk] + ["high_advice"])
    return StartBackTool(
        notice=root.text("notice"),
        verification=root.text("verification"),
        instruction=root.text("instruction"),
        spoken_intro=root.text("spoken_intro"),
        agree_prompt=root.text("agree_prompt"),
        result_intro=root.text("result_intro"),
        items=items,
        total_medium_at_least=scoring.integer("total_medium_at_least"),
        subscale_high_at_least=scoring.integer("subscale_high_at_least"),
        results={risk: result.text(risk.value) for risk in Risk},
        high_advice=result.text("high_advice"),
        spoken=_spoken(root.table("spoken")),
    )


def _spoken(table: Table) -> SpokenWording:
    keys = ["offer", "offer_help", "agree_reask", "choice_reask", "unclear_counted", "declined"]
    table.only(keys)
    return SpokenWording(*(table.text(key) for key in keys))


def _numbers(table: Table, key: str) -> frozenset[int]:
    value = table.data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, int) and 1 <= v <= ITEM_COUNT for v in value):
        raise table.fail(key, f"must be a list of item numbers 1 to {ITEM_COUNT}", "write [5, 6, 7, 8, 9]")
    return frozenset(value)


def _item(table: Table, option_sets: dict[str, tuple[Option, ...]], psychosocial: frozenset[int]) -> Item:
    table.only(["number", "text", "options"], ["self_harm_check_on", "spoken_prompt"])
    set_id = table.text("options")
    if set_id not in option_sets:
        raise table.fail("options", f"'{set_id}' is not an option set", "name an [[option_set]] id")
    options = option_sets[set_id]
    triggers = table.texts("self_harm_check_on", ())
    for trigger in triggers:
        if trigger not in {o.id for o in options}:
            raise table.fail("self_harm_check_on", f"names '{trigger}', not an option", "use option ids")
    number = table.integer("number")
    return Item(
        number=number,
        text=table.text("text"),
        options=options,
        psychosocial=number in psychosocial,
        self_harm_check_on=triggers,
        spoken_prompt=table.optional_text("spoken_prompt"),
    )
