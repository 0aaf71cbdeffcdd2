#!/usr/bin/env python3
"""Print the tables of docs/clinical.md that come from findings.toml, as Markdown.

Run from the project root: ``.venv/bin/python scripts/clinical_tables.py``. Paste the output over the
tables of the sections "Findings", "Thresholds" and "Combinations" when findings.toml changes.
"""

from voicecare.screening.findings import Finding, Kind, Screening, Tier, load_screening


def finding_rows(screening: Screening, tier: Tier) -> list[str]:
    """One table row per finding of ``tier``, in asking order."""
    rows = [
        "| finding | a yes gives | not sure gives | questions | source |",
        "|---|---|---|---|---|",
    ]
    for finding in screening.ordered_findings():
        if finding.tier is tier and finding.kind is Kind.YES_NO:
            rows.append(
                f"| `{finding.id}` | `{finding.tier.value}` | `{finding.if_possible.value}` "
                f"| {_questions(finding)} | {finding.source} |"
            )
    return rows


def _questions(finding: Finding) -> str:
    asked = [q for q in finding.questions if q.reuse is None]
    parts = [
        q.text + (f" *(counts from age {q.requires_age_at_least})*" if q.requires_age_at_least else "")
        for q in asked
    ]
    parts += [f"({q.text} - the answer given to `{q.reuse}`)" for q in finding.questions if q.reuse]
    text = "<br>".join(parts)
    if finding.groups:
        text += "<br>*Yes only when every group has a yes: " + ", ".join(
            g.name + (f" (or age {g.age_at_least} or over)" if g.age_at_least else "") for g in finding.groups
        )
        text += ".*"
    if finding.gate:
        text += f"<br>*Asked only when the answer to `{finding.gate}` is not a clear no.*"
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
    for tier in (Tier.EMERGENCY, Tier.URGENT, Tier.SOON):
        print(f"{tier.value} findings\n")
        print("\n".join(finding_rows(screening, tier)), end="\n\n")
    print("thresholds\n")
    print("\n".join(threshold_rows(screening)), end="\n\n")
    print("combinations\n")
    print("\n".join(combination_rows(screening)))


if __name__ == "__main__":
    main()
