"""Cross-checks of findings.toml once parsed: references, order, groups, numbers. Errors name file and key."""

from typing import TYPE_CHECKING

from voicecare.content.reader import Table

if TYPE_CHECKING:
    from voicecare.screening.findings import Finding, Screening

ASKED_FIRST = ("cancer_history", "age")
"""RED_FLAGS.md, rules for answers: cancer_history and age are asked before the emergency questions."""

CALL_NOW_INSTRUCTION = "call_now_if_you_do_have"
"""The instruction the rules add for a possible emergency finding that does not itself give emergency."""

REQUIRED_MESSAGES = ("closing", "silence", "because", "because_possible")


def check_screening(root: Table, screening: "Screening") -> None:
    """Raise ConfigError at the first inconsistency in ``screening``."""
    _check_order(root, screening)
    question_ids: set[str] = set()
    for finding in screening.findings.values():
        _check_finding(root, screening, finding, question_ids)
    _check_reuse(root, screening)
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


def _check_order(root: Table, screening: "Screening") -> None:
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
    ranks = [screening.findings[f].tier.rank for f in order[len(ASKED_FIRST) :]]
    if ranks != sorted(ranks):
        raise root.fail(
            "asking.order", "is not emergency, then urgent, then soon", "sort the findings by tier"
        )


def _check_finding(root: Table, screening: "Screening", finding: "Finding", question_ids: set[str]) -> None:
    where = f"finding.{finding.id}"
    if finding.if_possible.rank < finding.tier.rank:
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
    for question in finding.questions:
        if question.requires_age_at_least is not None and "age" not in screening.findings:
            raise root.fail(f"{where}.question.requires_age_at_least", "needs an 'age' finding", "add one")


def _check_groups(root: Table, finding: "Finding", where: str) -> None:
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


def _check_reuse(root: Table, screening: "Screening") -> None:
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
            always_asked = owner.gate is None and not owner.groups and owner.questions[0].id == target.id
            if position[owner.id] >= position[finding.id] or not always_asked:
                raise root.fail(
                    key,
                    f"'{question.reuse}' is not asked every time before '{question.id}'",
                    "reuse only the first question of an earlier finding without gate or groups",
                )


def _check_instructions(root: Table, screening: "Screening", where: str, ids: tuple[str, ...]) -> None:
    for instruction in ids:
        if instruction not in screening.instructions:
            raise root.fail(
                f"{where}.instructions",
                f"names '{instruction}', which is not an instruction",
                "add it under [instruction.<id>]",
            )
