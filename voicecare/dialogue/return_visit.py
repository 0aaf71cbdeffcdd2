"""What a return visit says about what voicecare remembers: the readout after R0, the check before a
remembered yes is dropped, and the notes after a reason that rests on a remembered answer. Every
sentence comes from ``content/return_visit.toml``; the route itself is ``screening.return_visit``."""

from collections.abc import Mapping
from datetime import date

from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Prompt
from voicecare.diary.days import MONTHS
from voicecare.screening.answers import Reply
from voicecare.screening.return_visit import Prefilled, ReturnVisitContent, VisitPlan
from voicecare.screening.rules import Reason
from voicecare.understanding.answers import Yes


def spoken_date(day: date) -> str:
    """``day`` as said: "3 March" (the same whatever the machine's locale)."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def joined(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def readout_lines(plan: VisitPlan, content: ReturnVisitContent) -> list[str]:
    """What voicecare says it remembers, one sentence per day, latest first: the age, and every stable
    answer whose wording says it (every yes; a no only where return_visit.toml words one); then the weeks
    of pain counted on to today."""
    by_day: dict[date, list[str]] = {}
    age = plan.numbers.get("age")
    if age is not None:
        by_day.setdefault(age.on, []).append(fill(content.said_age, {"number": str(age.answer)}))
    for key, remembered in plan.stable.items():
        said = content.said_yes if remembered.answer is Reply.YES else content.said_no
        if key in said:
            by_day.setdefault(remembered.on, []).append(said[key])
    lines = [
        fill(content.talk["readout"], {"date": spoken_date(day), "remembered": joined(by_day[day])})
        for day in sorted(by_day, reverse=True)
    ]
    weeks = plan.numbers.get("pain_weeks")
    if weeks is not None:
        lines.append(fill(content.talk["pain_counted"], {"number": str(weeks.answer)}))
    return lines


def keep_remembered_yes(
    conversation: Conversation, content: ReturnVisitContent, remembered: Prefilled, finding: str
) -> bool:
    """A stable question remembered as yes was answered no: asks whether it really no longer applies.
    Only a clear yes drops the remembered yes (True: it is kept)."""
    said = {"date": spoken_date(remembered.on), "remembered": content.said_yes[remembered.key]}
    prompt = Prompt(
        f"{remembered.key}.change",
        fill(content.talk["change_check"], said),
        finding=finding,
        help=content.talk["change_help"],
        readback=True,
    )
    return not isinstance(conversation.ask(prompt), Yes)


def reason_notes(
    reason: Reason, remembered: Mapping[str, Prefilled], content: ReturnVisitContent
) -> list[str]:
    """The sentences said after ``reason`` when it rests on remembered answers: "You told me on 3 March
    that you ..." for each remembered yes behind it, "I counted this from what you told me on ..." for a
    number counted on from a remembered one."""
    notes = []
    for key in reason.questions:
        used = remembered.get(key)
        if used is not None and key in content.said_yes:
            said = {"date": spoken_date(used.on), "remembered": content.said_yes[key]}
            notes.append(fill(content.talk["because_remembered"], said))
    if reason.kind != "finding":
        for key in dict.fromkeys(reason.findings):
            used = remembered.get(key)
            if used is not None:
                notes.append(fill(content.talk["counted_from"], {"date": spoken_date(used.on)}))
    return notes
