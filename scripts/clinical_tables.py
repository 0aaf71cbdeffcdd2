#!/usr/bin/env python3
"""Print the tables of docs/clinical.md that come from findings.toml, as Markdown.

Run from the project root: ``.venv/bin/python scripts/clinical_tables.py``. Paste the output over the
tables of the sections "Findings", "Thresholds" and "Combinations" when findings.toml changes.
"""

from voicecare.screening.findings import Finding, Screening, Tier, load_screening
from voicecare.understanding.answer_kind import AnswerKind


def finding_rows(screening: Screening, tier: Tier | None) -> list[str]:
    """One table row per yes/no finding of ``tier`` (None: no tier of its own), in asking order."""
    rows = [
        "| finding | a yes gives | not sure gives | questions | source |",
        "|---|---|---|---|---|",
    ]
    for finding in screening.ordered_findings():
        if finding.tier is tier and finding.kind is AnswerKind.YES_NO:
            gives = f"`{finding.tier.value}`" if finding.tier else "nothing alone (combinations only)"
            if finding.if_possible is not None:
                unsure = f"`{finding.if_possible.value}`"
            elif finding.unsure_counts_as_yes:
                unsure = "the same as yes"
            else:
                unsure = "a possible combination"
            rows.append(
                f"| `{finding.id}` | {gives} | {unsure} "
                f"| {_questions(screening, finding)} | {finding.source} |"
            )
    return rows


def _questions(screening: Screening, finding: Finding) -> str:
    parts = [q.text for q in finding.questions if q.reuse is None]
    parts += [f"(the answer given to `{q.reuse}`)" for q in finding.questions if q.reuse]
    text = "<br>".join(parts)
    if finding.groups:
        text += "<br>*Yes only when every group has a yes: " + ", ".join(
            g.name + (f" (or age {g.age_at_least} or over)" if g.age_at_least else "") for g in finding.groups
        )
        text += ".*"
    if finding.gate:
        gate = screening.gates[finding.gate]
        limit = f", and not from age {gate.no_from_age}" if gate.no_from_age else ""
        text += f"<br>*Asked only when the answer to `{finding.gate}` is not a clear no{limit}.*"
    if finding.ask_only_if:
        needed = " and ".join(f"`{ref}`" for ref in finding.ask_only_if)
        verb = "is" if len(finding.ask_only_if) == 1 else "are"
        text += f"<br>*Asked only when {needed} {verb} yes or possible.*"
    return text


def threshold_rows(screening: Screening) -> list[str]:
    """One row per threshold of a number finding."""
    rows = ["| threshold | number | limit | gives | source |", "|---|---|---|---|---|"]
    for threshold in screening.thresholds.values():
        limits = []
        if threshold.at_least is not None:
            limits.append(f"{threshold.at_least} or more")
        if threshold.below is not None:
            limits.append(f"under {threshold.below}")
        rows.append(
            f"| `{threshold.id}` | `{threshold.finding}` | {' and '.join(limits)} "
            f"| `{threshold.tier.value}` | {threshold.source} |"
        )
    return rows


def combination_rows(screening: Screening) -> list[str]:
    """One row per combination rule."""
    rows = ["| rule | when | gives | why | source |", "|---|---|---|---|---|"]
    for combination in screening.combinations:
        when = " and ".join(f"`{ref}`" for ref in combination.all)
        if combination.any:
            when += " and one of " + ", ".join(f"`{ref}`" for ref in combination.any)
        rows.append(
            f"| `{combination.id}` | {when} | `{combination.tier.value}` | {combination.why} "
            f"| {combination.source} |"
        )
    return rows


def main() -> None:
    screening = load_screening()
    for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.SOON, None):
        print(f"{tier.value if tier else 'no-tier'} findings\n")
        print("\n".join(finding_rows(screening, tier)), end="\n\n")
    print("thresholds\n")
    print("\n".join(threshold_rows(screening)), end="\n\n")
    print("combinations\n")
    print("\n".join(combination_rows(screening)))


if __name__ == "__main__":
    main()
