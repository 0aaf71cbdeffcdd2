"""Saying the outcome: how soon to get care, why, what would change it, and the closing safety line.

Every sentence comes from ``content/findings.toml``; this module only chooses and fills them.
"""

from collections.abc import Mapping

from voicecare.dialogue.screening_talk import ScreeningTalk
from voicecare.screening.answers import Answers
from voicecare.screening.findings import Screening, Tier
from voicecare.screening.rules import Outcome, Reason


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{key}`` of ``values`` put in."""
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def outcome_lines(
    outcome: Outcome,
    answers: Answers,
    screening: Screening,
    talk: ScreeningTalk,
    placeholders: Mapping[str, str],
) -> list[str]:
    """The sentences that tell the person their outcome, in the order they are said."""
    lines = [fill(screening.dispositions[outcome.disposition], placeholders)]
    lines += [_because_one(reason, answers, screening, talk) for reason in outcome.deciding_reasons]
    for instruction in outcome.instructions:
        symptoms = " or ".join(screening.findings[f].summary for f in instruction.symptoms)
        lines.append(fill(instruction.text, {**placeholders, "symptoms": symptoms}))
    if outcome.disposition is Tier.SELF_CARE:
        lines.append(screening.messages["self_care_changes"])
    lines.append(screening.messages["closing"])
    return _unique(lines)


def reason_findings(outcome: Outcome) -> list[str]:
    """The finding ids behind the deciding reasons (certain ones), for the JSON outcome event."""
    found: list[str] = []
    for reason in outcome.deciding_reasons:
        if reason.certain:
            found += [f for f in reason.findings if f not in found]
    return found


def _because_one(reason: Reason, answers: Answers, screening: Screening, talk: ScreeningTalk) -> str:
    messages = screening.messages
    if reason.kind == "threshold":
        threshold = screening.thresholds[reason.rule]
        value = answers.get(threshold.finding)
        if not isinstance(value, int):
            summary = screening.findings[threshold.finding].summary
            return fill(talk.because_unknown_number, {"summary": summary})
        because = fill(threshold.because, {"number": str(value)})
        return f"This is because {because}."
    if reason.kind == "combination":
        combination = next(c for c in screening.combinations if c.id == reason.rule)
        summaries = " and ".join(screening.findings[f].summary for f in reason.findings)
        return (
            fill(messages["because"], {"summary": summaries}) + f" Together these suggest {combination.why}."
        )
    template = messages["because"] if reason.certain else messages["because_possible"]
    return fill(template, {"summary": " and ".join(screening.findings[f].summary for f in reason.findings)})


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
