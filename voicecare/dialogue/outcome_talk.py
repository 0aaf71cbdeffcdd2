"""Saying the outcome: how soon to get care, why, what would change it, and the closing safety line.

Every sentence comes from ``content/findings.toml``; this module only chooses and fills them.
"""

from collections.abc import Callable, Mapping

from voicecare.dialogue.screening_talk import ScreeningTalk
from voicecare.screening.answers import Answers, Reply, Truth
from voicecare.screening.findings import Screening, Tier
from voicecare.screening.rules import Outcome, Reason, finding_truths


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
    notes: Callable[[Reason], list[str]] | None = None,
) -> list[str]:
    """The sentences that tell the person their outcome, in the order they are said. ``notes`` gives the
    sentences said after a reason's own (a return visit's "You told me on 3 March that ...")."""
    lines = [fill(screening.dispositions[outcome.disposition], placeholders)]
    for reason in _said_reasons(outcome.deciding_reasons, screening):
        lines.append(_because_one(reason, answers, screening, talk))
        lines += notes(reason) if notes is not None else []
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


def _said_reasons(reasons: tuple[Reason, ...], screening: Screening) -> list[Reason]:
    """The deciding reasons worth a sentence: a number's threshold that a deciding combination names is
    said within the combination's sentence ("you are 55 years old and your pain has lasted 6 weeks")."""
    combined = {
        ref
        for reason in reasons
        if reason.kind == "combination"
        for combination in screening.combinations
        if combination.id == reason.rule
        for ref in (*combination.all, *combination.any)
    }
    return [r for r in reasons if not (r.kind == "threshold" and r.rule in combined)]


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
        refs = (*combination.all, *combination.any)
        found = " and ".join(
            part for ref in refs if (part := _combination_part(ref, answers, screening, talk))
        )
        return fill(talk.because_combination, {"found": found, "why": combination.why})
    summary = " and ".join(screening.findings[f].summary for f in reason.findings)
    if reason.certain:
        return fill(messages["because"], {"summary": summary})
    if _said_not_sure(reason, answers, screening):
        return fill(messages["because_possible"], {"summary": summary})
    return fill(talk.because_unheard, {"summary": summary})


def _said_not_sure(reason: Reason, answers: Answers, screening: Screening) -> bool:
    """True when the doubt behind ``reason`` is the person's own "not sure", not an answer unheard."""
    questions = [q.reuse or q.id for f in reason.findings for q in screening.findings[f].questions]
    return any(answers.get(key) is Reply.UNSURE for key in (*questions, *reason.findings))


def _combination_part(ref: str, answers: Answers, screening: Screening, talk: ScreeningTalk) -> str:
    """One member of a combination in words: a number as heard (or not known), a yes said or not sure;
    "" for a member that did not count (an ``any`` finding answered no)."""
    threshold = screening.thresholds.get(ref)
    if threshold is not None:
        value = answers.get(threshold.finding)
        if isinstance(value, int):
            return fill(threshold.because, {"number": str(value)}) if threshold.met_by(value) else ""
        return fill(talk.part_unknown_number, {"summary": screening.findings[threshold.finding].summary})
    truth = finding_truths(answers, screening).get(ref)
    finding = screening.findings[ref]
    summary = {"summary": finding.summary}
    if truth is Truth.YES and finding.unsure_counts_as_yes and not _said_yes(ref, answers, screening):
        return fill(talk.part_unsure, summary)
    if truth is Truth.YES:
        return fill(talk.part_yes, summary)
    if truth is Truth.UNSURE:
        return fill(talk.part_unsure, summary)
    return ""


def _said_yes(finding_id: str, answers: Answers, screening: Screening) -> bool:
    """True when the person said yes to ``finding_id`` (or one of its questions), not only "not sure"."""
    keys = [finding_id, *(q.reuse or q.id for q in screening.findings[finding_id].questions)]
    return any(answers.get(key) is Reply.YES for key in keys)


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
