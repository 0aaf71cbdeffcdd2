"""The screening content of findings.toml as typed, validated data (see the file's header for its layout)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from voicecare.content.reader import (
    CONTENT_DIR,
    Table,
    check_placeholders,
    check_question_length,
    read_table,
)
from voicecare.understanding.answer_kind import AnswerKind

FINDINGS_FILE = CONTENT_DIR / "findings.toml"
TEXT_PLACEHOLDERS = ("emergency_number", "urgent_line", "symptoms")

ASKED_FIRST = ("cancer_history", "age")
"""docs/clinical.md, 'Rules for answers': cancer_history and age are asked before the emergency questions."""

CALL_NOW_INSTRUCTION = "call_now_if_you_do_have"
"""The instruction the rules add for a possible emergency finding that does not itself give emergency."""

REQUIRED_MESSAGES = ("closing", "silence", "because", "because_possible")


class Tier(Enum):
    """A disposition, most urgent first; ``rank`` 0 is the most urgent."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """0 for emergency up to 3 for self-care."""
        return list(Tier).index(self)

    def at_least(self, other: "Tier") -> bool:
        """True when this tier is as urgent as ``other`` or more."""
        return self.rank <= other.rank


FINDING_TIERS = (Tier.EMERGENCY.value, Tier.URGENT.value, Tier.SOON.value)

NO_TIER = "none"
"""The ``tier`` of a finding with no tier of its own, used only in combinations."""


ITEM_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?(?: [a-z]+(?:'[a-z]+)?)*")
"""An item of a question: lower-case words separated by single spaces."""

FINDING_KINDS = (AnswerKind.YES_NO, AnswerKind.NUMBER)
"""How a finding (or a context question of advice.toml) may be answered."""


@dataclass(frozen=True)
class Question:
    """One spoken question. For yes/no questions, yes means the warning sign is present.

    ``readback`` fills "You said yes to {readback}. Is that right?" (numbers: "{number}").
    ``reuse``: the id of an earlier question whose answer this one takes; it is never asked itself.
    ``stable``: part of the stable history (docs/clinical.md, 'Return visits'): on a return visit its
    remembered answer is used, with its date, instead of asking; ``yes_lasts_days``: a remembered yes
    counts only that many days from its date (a spinal procedure: 3 months).
    ``items``: what a person may say back to name one of a yes/no question's items ("the tingling",
    "numb", "pads"); naming one counts as yes (docs/clinical.md, 'Question route, version 2').
    """

    id: str
    finding: str
    text: str
    help: str
    reask: str
    readback: str
    group: str | None = None
    reuse: str | None = None
    stable: bool = False
    yes_lasts_days: int | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gate:
    """A context question (such as "are you pregnant") asked once before the findings that name it.

    ``no_from_age``: from that age (years) the gate counts as a clear no and is not asked.
    """

    id: str
    text: str
    help: str
    reask: str
    no_from_age: int | None = None


@dataclass(frozen=True)
class Group:
    """Part of a combined finding: yes when any of its questions is yes, or age >= ``age_at_least`` years."""

    name: str
    age_at_least: int | None = None


@dataclass(frozen=True)
class Finding:
    """A warning sign, with the tier a yes gives and the tier a "not sure" gives (``if_possible``).

    A finding whose ``tier`` is None has no tier of its own: it counts only in combinations, is asked
    only when every finding of ``ask_only_if`` is yes or possible, and with ``unsure_counts_as_yes`` a
    "not sure" or not-understood answer counts as a certain yes.
    """

    id: str
    tier: Tier | None
    kind: AnswerKind
    if_possible: Tier | None
    summary: str
    source: str
    questions: tuple[Question, ...]
    groups: tuple[Group, ...] = ()
    gate: str | None = None
    instructions: tuple[str, ...] = ()
    self_harm_check: bool = False
    ask_only_if: tuple[str, ...] = ()
    unsure_counts_as_yes: bool = False


@dataclass(frozen=True)
class Threshold:
    """A number finding meeting a limit: ``at_least`` <= value < ``below`` (either may be absent)."""

    id: str
    finding: str
    tier: Tier
    because: str
    source: str
    at_least: int | None = None
    below: int | None = None
    instructions: tuple[str, ...] = ()
    instructions_if_unanswered: tuple[str, ...] = ()

    def met_by(self, value: int) -> bool:
        """True when ``value`` lies within the limits."""
        low_ok = self.at_least is None or value >= self.at_least
        high_ok = self.below is None or value < self.below
        return low_ok and high_ok


@dataclass(frozen=True)
class Combination:
    """A rule over findings and thresholds: every id of ``all`` and at least one of ``any`` (when given)."""

    id: str
    all: tuple[str, ...]
    any: tuple[str, ...]
    tier: Tier
    why: str
    source: str
    instructions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Screening:
    """Everything findings.toml holds, checked for consistency."""

    order: tuple[str, ...]
    findings: dict[str, Finding]
    gates: dict[str, Gate]
    thresholds: dict[str, Threshold]
    combinations: tuple[Combination, ...]
    instructions: dict[str, str]
    dispositions: dict[Tier, str]
    messages: dict[str, str]

    def ordered_findings(self) -> Iterator[Finding]:
        """Findings in the order they are asked."""
        return (self.findings[finding_id] for finding_id in self.order)

    def question(self, question_id: str) -> Question:
        """The question with ``question_id``; KeyError when there is none."""
        return self._questions()[question_id]

    def _questions(self) -> dict[str, Question]:
        return {q.id: q for finding in self.findings.values() for q in finding.questions}

    def asking_order(self) -> tuple[str, ...]:
        """Ids to ask in order: gates just before the first finding that uses them, then its questions.

        Questions that reuse another answer are left out. Whether each one is still worth asking, given
        the answers so far, is ``rules.should_ask``.
        """
        ids: list[str] = []
        for finding in self.ordered_findings():
            if finding.gate is not None and finding.gate not in ids:
                ids.append(finding.gate)
            ids.extend(q.id for q in finding.questions if q.reuse is None)
        return tuple(ids)


def load_screening(path: Path | None = None) -> Screening:
    """Read and validate findings.toml (the package's own file when ``path`` is None)."""
    if path is None:
        return _default_screening()
    return _parse(path)


@cache
def _default_screening() -> Screening:
    return _parse(FINDINGS_FILE)


def _parse(path: Path) -> Screening:
    root = read_table(path)
    root.only(
        ["asking", "disposition", "message", "instruction", "gate", "finding", "threshold", "combination"]
    )
    asking = root.table("asking")
    asking.only(["order"])
    dispositions = _dispositions(root)
    messages = {
        name: check_placeholders(root.table("message"), name, (*TEXT_PLACEHOLDERS, "summary"))
        for name in root.table("message").data
    }
    instructions = {}
    for name, table in root.named_tables("instruction").items():
        table.only(["text"])
        instructions[name] = check_placeholders(table, "text", TEXT_PLACEHOLDERS)
    gates = {}
    for table in root.tables("gate", required=False):
        gate = _gate(table)
        if gate.id in gates:
            raise table.fail("id", f"repeats gate '{gate.id}'", "give every gate its own id")
        gates[gate.id] = gate
    findings: dict[str, Finding] = {}
    for table in root.tables("finding"):
        finding = _finding(table)
        if finding.id in findings:
            raise table.fail("id", f"repeats finding '{finding.id}'", "give every finding its own id")
        findings[finding.id] = finding
    thresholds: dict[str, Threshold] = {}
    for table in root.tables("threshold"):
        threshold = _threshold(table)
        if threshold.id in thresholds or threshold.id in findings:
            raise table.fail("id", f"repeats id '{threshold.id}'", "give every threshold its own id")
        thresholds[threshold.id] = threshold
    combinations = tuple(_combination(table) for table in root.tables("combination"))
    screening = Screening(
        order=asking.texts("order"),
        findings=findings,
        gates=gates,
        thresholds=thresholds,
        combinations=combinations,
        instructions=instructions,
        dispositions=dispositions,
        messages=messages,
    )
    _check_screening(root, screening)
    return screening


def _dispositions(root: Table) -> dict[Tier, str]:
    table = root.table("disposition")
    table.only([tier.value for tier in Tier])
    result = {}
    for tier in Tier:
        sub = table.table(tier.value)
        sub.only(["text"])
        result[tier] = check_placeholders(sub, "text", TEXT_PLACEHOLDERS)
    return result


def _gate(table: Table) -> Gate:
    table.only(["id", "text", "help", "reask"], ["no_from_age"])
    return Gate(
        id=table.text("id"),
        text=check_question_length(table, "text"),
        help=table.text("help"),
        reask=check_question_length(table, "reask"),
        no_from_age=table.optional_integer("no_from_age"),
    )


def _finding(table: Table) -> Finding:
    tier_name = table.choice("tier", (*FINDING_TIERS, NO_TIER))
    if tier_name == NO_TIER:
        table.only(
            ["id", "tier", "kind", "summary", "source", "question", "ask_only_if"],
            ["unsure_counts_as_yes"],
        )
    else:
        table.only(
            ["id", "tier", "kind", "if_possible", "summary", "source", "question"],
            ["group", "gate", "instructions", "self_harm_check"],
        )
    finding_id = table.text("id")
    questions = tuple(_question(sub, finding_id) for sub in table.tables("question"))
    groups = tuple(_group(sub) for sub in table.tables("group", required=False))
    return Finding(
        id=finding_id,
        tier=None if tier_name == NO_TIER else Tier(tier_name),
        kind=AnswerKind(table.choice("kind", [kind.value for kind in FINDING_KINDS])),
        if_possible=None if tier_name == NO_TIER else Tier(table.choice("if_possible", FINDING_TIERS)),
        summary=table.text("summary"),
        source=table.text("source"),
        questions=questions,
        groups=groups,
        gate=table.optional_text("gate"),
        instructions=table.texts("instructions", ()),
        self_harm_check=table.flag("self_harm_check"),
        ask_only_if=table.texts("ask_only_if", ()),
        unsure_counts_as_yes=table.flag("unsure_counts_as_yes"),
    )


def _question(table: Table, finding_id: str) -> Question:
    table.only(
        ["id", "text", "help", "reask", "readback"], ["group", "reuse", "stable", "yes_lasts_days", "items"]
    )
    stable = table.flag("stable")
    yes_lasts_days = table.optional_integer("yes_lasts_days")
    if yes_lasts_days is not None and (not stable or yes_lasts_days < 1):
        raise table.fail(
            "yes_lasts_days", "is only for a stable question, and at least 1", "set stable = true, or drop it"
        )
    return Question(
        id=table.text("id"),
        finding=finding_id,
        text=check_question_length(table, "text"),
        help=table.text("help"),
        reask=check_question_length(table, "reask"),
        readback=check_placeholders(table, "readback", ("number",)),
        group=table.optional_text("group"),
        reuse=table.optional_text("reuse"),
        stable=stable,
        yes_lasts_days=yes_lasts_days,
        items=_items(table),
    )


def _items(table: Table) -> tuple[str, ...]:
    """``items`` as lower-case words (an inner apostrophe allowed), each once."""
    items = tuple(" ".join(item.lower().split()) for item in table.texts("items", ()))
    for index, item in enumerate(items):
        if not ITEM_WORDS.fullmatch(item):
            raise table.fail(f"items[{index}]", "must be lower-case words", 'write e.g. "the tingling"')
    if len(set(items)) != len(items):
        raise table.fail("items", "lists an item twice", "remove the repeated item")
    return items


def _group(table: Table) -> Group:
    table.only(["name"], ["age_at_least"])
    return Group(name=table.text("name"), age_at_least=table.optional_integer("age_at_least"))


def _threshold(table: Table) -> Threshold:
    table.only(
        ["id", "finding", "tier", "because", "source"],
        ["at_least", "below", "instructions", "instructions_if_unanswered"],
    )
    threshold = Threshold(
        id=table.text("id"),
        finding=table.text("finding"),
        tier=Tier(table.choice("tier", FINDING_TIERS)),
        because=check_placeholders(table, "because", ("number",)),
        source=table.text("source"),
        at_least=table.optional_integer("at_least"),
        below=table.optional_integer("below"),
        instructions=table.texts("instructions", ()),
        instructions_if_unanswered=table.texts("instructions_if_unanswered", ()),
    )
    if threshold.at_least is None and threshold.below is None:
        raise table.fail("at_least", "and 'below' are both missing", "give at least one limit")
    return threshold


def _combination(table: Table) -> Combination:
    table.only(["id", "all", "tier", "why", "source"], ["any", "instructions"])
    return Combination(
        id=table.text("id"),
        all=table.texts("all"),
        any=table.texts("any", ()),
        tier=Tier(table.choice("tier", FINDING_TIERS)),
        why=table.text("why"),
        source=table.text("source"),
        instructions=table.texts("instructions", ()),
    )


# Cross-checks once parsed: references, order, groups, numbers. Errors name file and key.


def _check_screening(root: Table, screening: Screening) -> None:
    """Raise ConfigError at the first inconsistency in ``screening``."""
    _check_order(root, screening)
    question_ids: set[str] = set()
    for finding in screening.findings.values():
        _check_finding(root, screening, finding, question_ids)
    _check_reuse(root, screening)
    _check_no_tier_findings(root, screening)
    _check_stable(root, screening)
    for gate in screening.gates.values():
        if gate.no_from_age is not None and "age" not in screening.findings:
            raise root.fail(f"gate.{gate.id}.no_from_age", "needs an 'age' finding", "add one")
    for threshold in screening.thresholds.values():
        where = f"threshold.{threshold.id}"
        target = screening.findings.get(threshold.finding)
        if target is None or target.kind.value != "number":
            raise root.fail(
                f"{where}.finding",
                f"'{threshold.finding}' is not a number finding",
                "name a finding of kind number",
            )
        _check_instructions(
            root, screening, where, threshold.instructions + threshold.instructions_if_unanswered
        )
    seen: set[str] = set()
    for combination in screening.combinations:
        where = f"combination.{combination.id}"
        if combination.id in seen or combination.id in screening.findings:
            raise root.fail(f"{where}.id", "is used twice", "give every combination its own id")
        seen.add(combination.id)
        for ref in combination.all + combination.any:
            if ref not in screening.findings and ref not in screening.thresholds:
                raise root.fail(
                    f"{where}",
                    f"names '{ref}', which is neither a finding nor a threshold",
                    "use finding or threshold ids",
                )
        _check_instructions(root, screening, where, combination.instructions)
    for name in REQUIRED_MESSAGES:
        if name not in screening.messages:
            raise root.fail(f"message.{name}", "is missing", "add it")
    if CALL_NOW_INSTRUCTION not in screening.instructions:
        raise root.fail(f"instruction.{CALL_NOW_INSTRUCTION}", "is missing", "add it with {symptoms}")


def _check_order(root: Table, screening: Screening) -> None:
    order = screening.order
    for finding_id in order:
        if finding_id not in screening.findings:
            raise root.fail(
                "asking.order", f"names '{finding_id}', which is not a finding", "use finding ids"
            )
    if len(set(order)) != len(order):
        raise root.fail("asking.order", "lists a finding twice", "list each finding once")
    missing = sorted(set(screening.findings) - set(order))
    if missing:
        raise root.fail("asking.order", f"leaves out {', '.join(missing)}", "list every finding")
    if order[: len(ASKED_FIRST)] != ASKED_FIRST:
        raise root.fail("asking.order", f"must start with {', '.join(ASKED_FIRST)}", "put them first")
    tiers = [screening.findings[f].tier for f in order[len(ASKED_FIRST) :]]
    ranks = [tier.rank for tier in tiers if tier is not None]
    if ranks != sorted(ranks):
        raise root.fail(
            "asking.order", "is not emergency, then urgent, then soon", "sort the findings by tier"
        )
    position = {finding_id: index for index, finding_id in enumerate(order)}
    for finding in screening.findings.values():
        for ref in finding.ask_only_if:
            if ref in position and position[ref] >= position[finding.id]:
                raise root.fail(
                    "asking.order",
                    f"puts '{finding.id}' before '{ref}', which its ask_only_if needs",
                    f"move '{finding.id}' after '{ref}'",
                )


def _check_finding(root: Table, screening: Screening, finding: Finding, question_ids: set[str]) -> None:
    where = f"finding.{finding.id}"
    tier, if_possible = finding.tier, finding.if_possible
    if tier is not None and if_possible is not None and if_possible.rank < tier.rank:
        raise root.fail(
            f"{where}.if_possible",
            "is more urgent than the finding's tier",
            "use the finding's tier or a less urgent one",
        )
    for question in finding.questions:
        if question.id in question_ids or question.id in screening.gates:
            raise root.fail(
                f"{where}.question.id", f"repeats '{question.id}'", "give every question its own id"
            )
        question_ids.add(question.id)
        number_readback = "{number}" in question.readback
        if number_readback != (finding.kind.value == "number"):
            raise root.fail(
                f"{where}.question.readback",
                "uses {number} wrongly",
                "use {number} in number findings only, and always there",
            )
        if question.items and (finding.kind.value != "yes_no" or question.reuse is not None):
            raise root.fail(
                f"{where}.question.items",
                f"are given for '{question.id}', which is not a yes/no question asked in its own right",
                "list items only on yes/no questions that are asked (no reuse)",
            )
    if finding.kind.value == "number":
        if len(finding.questions) != 1 or finding.questions[0].id != finding.id:
            raise root.fail(
                f"{where}.question",
                "must be one question with the finding's id",
                "give a number finding exactly one question with id = the finding id",
            )
        if finding.groups or finding.gate:
            raise root.fail(f"{where}", "is a number finding with groups or a gate", "remove them")
    elif any(q.id == finding.id for q in finding.questions):
        raise root.fail(f"{where}.question.id", "equals the finding id", f"use '{finding.id}.<name>'")
    if finding.gate is not None and finding.gate not in screening.gates:
        raise root.fail(f"{where}.gate", f"'{finding.gate}' is not a gate", "add a [[gate]] with that id")
    _check_groups(root, finding, where)
    _check_instructions(root, screening, where, finding.instructions)
    if any(group.age_at_least is not None for group in finding.groups) and "age" not in screening.findings:
        raise root.fail(f"{where}.group.age_at_least", "needs an 'age' finding", "add one")


def _check_groups(root: Table, finding: Finding, where: str) -> None:
    names = [group.name for group in finding.groups]
    if len(set(names)) != len(names):
        raise root.fail(f"{where}.group", "repeats a group name", "give every group its own name")
    for question in finding.questions:
        if names and question.group not in names:
            raise root.fail(
                f"{where}.question.group",
                f"of '{question.id}' is not one of {', '.join(names)}",
                "name one of the finding's groups",
            )
        if not names and question.group is not None:
            raise root.fail(
                f"{where}.question.group",
                f"of '{question.id}' but the finding has no groups",
                "add [[finding.group]] entries or remove the group",
            )
    for group in finding.groups:
        if not any(q.group == group.name for q in finding.questions):
            raise root.fail(
                f"{where}.group", f"'{group.name}' has no questions", "add questions or remove it"
            )


def _check_reuse(root: Table, screening: Screening) -> None:
    position = {finding_id: index for index, finding_id in enumerate(screening.order)}
    for finding in screening.findings.values():
        for question in finding.questions:
            if question.reuse is None:
                continue
            key = f"finding.{finding.id}.question.reuse"
            try:
                target = screening.question(question.reuse)
            except KeyError:
                raise root.fail(
                    key, f"'{question.reuse}' is not a question", "name an earlier question"
                ) from None
            owner = screening.findings[target.finding]
            always_asked = (
                owner.gate is None
                and not owner.groups
                and not owner.ask_only_if
                and owner.questions[0].id == target.id
            )
            if position[owner.id] >= position[finding.id] or not always_asked:
                raise root.fail(
                    key,
                    f"'{question.reuse}' is not asked every time before '{question.id}'",
                    "reuse only the first question of an earlier finding without gate or groups",
                )


def _check_no_tier_findings(root: Table, screening: Screening) -> None:
    """A finding with no tier of its own is a yes/no finding asked only after the findings it needs, and
    some combination uses it (ask_only_if and unsure_counts_as_yes are known keys of such findings only)."""
    used = {ref for c in screening.combinations for ref in (*c.all, *c.any)}
    for finding in screening.findings.values():
        where = f"finding.{finding.id}"
        if finding.tier is not None:
            continue
        if finding.kind is not AnswerKind.YES_NO:
            raise root.fail(f"{where}.kind", "must be yes_no for a finding of tier none", "use yes_no")
        if not finding.ask_only_if:
            raise root.fail(
                f"{where}.ask_only_if",
                "is missing: a finding of tier none is asked only after other findings",
                "name the findings that must be yes or possible",
            )
        for ref in finding.ask_only_if:
            target = screening.findings.get(ref)
            if target is None or target.kind is not AnswerKind.YES_NO or ref == finding.id:
                raise root.fail(
                    f"{where}.ask_only_if",
                    f"names '{ref}', which is not another yes/no finding",
                    "name yes/no finding ids",
                )
        if finding.id not in used:
            raise root.fail(
                f"{where}.tier",
                "is none, but no combination names the finding",
                "name it in a [[combination]], or give it a tier",
            )


def _check_stable(root: Table, screening: Screening) -> None:
    """A stable question is a yes/no question asked in its own right, behind no gate: a pregnancy, a symptom
    or a number is never stable (docs/clinical.md, 'Return visits'), and a reused answer has no memory of
    its own."""
    for finding in screening.findings.values():
        for question in finding.questions:
            if not question.stable:
                continue
            where = f"finding.{finding.id}.question.stable"
            asked_alone = question.reuse is None and finding.gate is None
            if finding.kind is not AnswerKind.YES_NO or not asked_alone or finding.tier is Tier.EMERGENCY:
                raise root.fail(
                    where,
                    f"marks '{question.id}', which is an emergency symptom or not a yes/no question asked in"
                    " its own right",
                    "mark only yes/no questions of history (no reuse, no gate, not emergency) as stable",
                )


def _check_instructions(root: Table, screening: Screening, where: str, ids: tuple[str, ...]) -> None:
    for instruction in ids:
        if instruction not in screening.instructions:
            raise root.fail(
                f"{where}.instructions",
                f"names '{instruction}', which is not an instruction",
                "add it under [instruction.<id>]",
            )
