"""Return visits (docs/clinical.md, 'Return visits'): the wording of ``return_visit.toml``, checked against
findings.toml and advice.toml, and the route, decided by ``plan_visit`` as a pure function of a person's
dated history and today.

The plan says which route the visit takes, which extra questions come first (R0 "Am I speaking with
{name}?", R1 "Since we last spoke, have you had ...?", the fall question) and which remembered answers,
with their dates, stand in for questions (``VisitPlan.prefilled``). The dialogue asks R0, R1 and the fall
question and feeds the answers chosen into ``rules.next_question`` and ``rules.evaluate``: the rules
themselves do not change, so more warning signs still never lower the outcome.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, Table, check_placeholders, check_question_length, read_table
from voicecare.records.history import PersonHistory, Remembered
from voicecare.screening.advice import AdviceContent, load_advice
from voicecare.screening.answers import Answer, Reply
from voicecare.screening.findings import Screening, Tier, load_screening

RETURN_VISIT_FILE = CONTENT_DIR / "return_visit.toml"

RETURN_WITHIN_DAYS = 84
"""A return visit only while fewer than 12 weeks have passed since the last screening; from day 84 the
first-visit route (and the STarT Back offer) start again (NICE NG59: risk stratification at each new
presentation)."""
STABLE_FOR_DAYS = 28
"""The stable history is asked in full once any remembered stable answer is 28 days old or more: no
remembered no is older than the 4-week threshold."""
RETURN_OUTCOMES = (Tier.SOON.value, Tier.SELF_CARE.value)
"""Only after these outcomes; after ``urgent`` or ``emergency`` the first-visit route asks everything."""

WHO, SINCE, FALL = "return.who", "return.since", "return.fall"
"""The ids of R0, R1 and the fall question (prompt and event ids; never rule keys)."""


class Route(Enum):
    """The route of a visit."""

    FIRST_VISIT = "first_visit"
    RETURN_VISIT = "return_visit"


@dataclass(frozen=True)
class Prefilled:
    """A remembered answer used in place of asking: the rule or context key, the answer as the rules take
    it, and the day it was given (or, for a number counted on, the day it was counted from)."""

    key: str
    answer: Answer
    on: date


@dataclass(frozen=True)
class VisitPlan:
    """How a visit goes: ``route`` and ``why``; for a return visit, the person's ``name``, the day of their
    ``last_visit``, and the remembered answers it may use.

    ``stable``: the stable history (clear yes or no, a yes still lasting), used after a clear no to R1
    unless ``stable_due``; ``numbers``: age (unless a threshold may have been passed since) and the weeks
    of pain counted on to today; ``covered``: the remembered answers of the questions the fall question
    covers, used after a clear no to it; ``remembered_yes``: stable yeses that a re-ask answered no does
    not drop without a check (on the first-visit route too, when the history is the person's own)."""

    route: Route
    why: str
    name: str | None = None
    last_visit: date | None = None
    stable: Mapping[str, Prefilled] = field(default_factory=dict)
    numbers: Mapping[str, Prefilled] = field(default_factory=dict)
    covered: Mapping[str, Prefilled] = field(default_factory=dict)
    remembered_yes: Mapping[str, Prefilled] = field(default_factory=dict)
    stable_due: bool = False

    @property
    def returning(self) -> bool:
        return self.route is Route.RETURN_VISIT

    @property
    def extra_questions(self) -> tuple[str, ...]:
        """The questions asked before the screening's own, in order: R0, R1 (not when the stable history
        is due anyway) and the fall question; none on the first-visit route."""
        if not self.returning:
            return ()
        return (WHO, FALL) if self.stable_due else (WHO, SINCE, FALL)

    @property
    def offer_startback(self) -> bool:
        """STarT Back is offered on the first-visit route only (again from 12 weeks)."""
        return not self.returning

    def prefilled(self, since_clear_no: bool, fall_clear_no: bool) -> dict[str, Prefilled]:
        """The remembered answers that stand in for questions, after R0 was a clear yes: the numbers
        always; the stable history only after a clear no to R1 and when not due; the fall question's
        questions only after a clear no to it. Nothing on the first-visit route."""
        if not self.returning:
            return {}
        chosen = dict(self.numbers)
        if since_clear_no and not self.stable_due:
            chosen.update(self.stable)
        if fall_clear_no:
            chosen.update(self.covered)
        return chosen


def first_visit(why: str, remembered_yes: Mapping[str, Prefilled] | None = None) -> VisitPlan:
    return VisitPlan(Route.FIRST_VISIT, why, remembered_yes=remembered_yes or {})


def plan_visit(
    history: PersonHistory | None,
    today: date,
    screening: Screening | None = None,
    advice: AdviceContent | None = None,
    content: "ReturnVisitContent | None" = None,
) -> VisitPlan:
    """The route of a visit by the person whose ``history`` (None: no person, or nothing kept) is given,
    on ``today``. Pure: the same history and day give the same plan."""
    screening = screening or load_screening()
    advice = advice or load_advice()
    content = content or load_return_visit()
    if history is None:
        return first_visit("nothing is remembered (no person named, or records not kept)")
    if history.ignored_because is not None:
        return first_visit("the stored history was ignored")
    keys = stable_keys(screening, advice)
    lasting = {q.id: q.yes_lasts_days for f in screening.findings.values() for q in f.questions if q.stable}
    answers = history.answers
    usable: dict[str, Prefilled] = {}
    unclear = []
    for key in keys:
        remembered = answers.get(key)
        if remembered is None:
            continue
        reply = _yes_no(remembered)
        if reply is None:
            unclear.append(key)
            continue
        days = lasting.get(key)
        if reply is Reply.YES and days is not None and (today - remembered.on).days >= days:
            continue
        usable[key] = Prefilled(key, reply, remembered.on)
    remembered_yes = {key: p for key, p in usable.items() if p.answer is Reply.YES}
    last = history.last_screening
    if last is None:
        return first_visit("no earlier screening", remembered_yes)
    since = (today - last.on).days
    if not last.completed:
        return first_visit("the last screening was not completed", remembered_yes)
    if since >= RETURN_WITHIN_DAYS:
        return first_visit(f"{since} days since the last screening (12 weeks or more)", remembered_yes)
    if last.disposition not in RETURN_OUTCOMES:
        return first_visit(f"the last outcome was {last.disposition}", remembered_yes)
    if unclear:
        return first_visit(
            f"a remembered stable answer was not a clear yes or no ({', '.join(unclear)})", remembered_yes
        )
    due = any((today - p.on).days >= STABLE_FOR_DAYS for p in usable.values())
    covered = {}
    for key in content.fall_covers:
        remembered = answers.get(key)
        reply = _yes_no(remembered) if remembered is not None else None
        if remembered is not None and reply is not None:
            covered[key] = Prefilled(key, reply, remembered.on)
    return VisitPlan(
        Route.RETURN_VISIT,
        f"{since} days since a {last.disposition} outcome"
        + ("; the stable history is due again" if due else ""),
        name=history.person.name,
        last_visit=last.on,
        stable=usable,
        numbers=_numbers(answers, today, screening, advice),
        covered=covered,
        remembered_yes=remembered_yes,
        stable_due=due,
    )


def stable_keys(screening: Screening, advice: AdviceContent) -> tuple[str, ...]:
    """The stable history's keys: stable question ids of findings.toml, then stable context ids of
    advice.toml."""
    questions = [q.id for f in screening.ordered_findings() for q in f.questions if q.stable]
    return (*questions, *(c.id for c in advice.context if c.stable))


def age_limits(screening: Screening, advice: AdviceContent) -> tuple[int, ...]:
    """Every age a rule or an advice turns on (16, 20, 50, 56 for the pregnancy gate, 65), from the data."""
    limits: set[int] = set()
    for threshold in screening.thresholds.values():
        if threshold.finding == "age":
            limits.update(n for n in (threshold.at_least, threshold.below) if n is not None)
    for finding in screening.findings.values():
        limits.update(g.age_at_least for g in finding.groups if g.age_at_least is not None)
    limits.update(g.no_from_age for g in screening.gates.values() if g.no_from_age is not None)
    limits.update(a.when_age_at_least for a in advice.advice if a.when_age_at_least is not None)
    return tuple(sorted(limits))


def may_have_passed(age: int, on: date, today: date, limits: tuple[int, ...]) -> bool:
    """Whether someone who was ``age`` on ``on`` may have reached one of ``limits`` by ``today``: any
    day later, a birthday may have come (the oldest they can be is ``age`` plus the years begun since)."""
    oldest = age + math.ceil((today - on).days / 365)
    return any(age < limit <= oldest for limit in limits)


def weeks_since(weeks: int, on: date, today: date) -> int:
    """Weeks of pain today, counted on from ``weeks`` said on ``on``, rounded up to whole weeks as a
    spoken duration is: a new bout since is over-counted, the safe direction."""
    return math.ceil(weeks + (today - on).days / 7 - 1e-9)


def _numbers(
    answers: Mapping[str, Remembered], today: date, screening: Screening, advice: AdviceContent
) -> dict[str, Prefilled]:
    numbers: dict[str, Prefilled] = {}
    age = answers.get("age")
    limits = age_limits(screening, advice)
    if age is not None and age.number is not None and not may_have_passed(age.number, age.on, today, limits):
        numbers["age"] = Prefilled("age", age.number, age.on)
    weeks = answers.get("pain_weeks")
    if weeks is not None and weeks.number is not None:
        numbers["pain_weeks"] = Prefilled("pain_weeks", weeks_since(weeks.number, weeks.on, today), weeks.on)
    return numbers


def _yes_no(remembered: Remembered) -> Reply | None:
    return {"yes": Reply.YES, "no": Reply.NO}.get(remembered.answer)


# ---------------------------------------------------------------- the wording of return_visit.toml


@dataclass(frozen=True)
class ReturnQuestion:
    """R0, R1 or the fall question (R0's wording holds ``{name}``)."""

    id: str
    text: str
    help: str
    reask: str


TALK_KEYS = {
    "intro": (),
    "readout": ("date", "remembered"),
    "pain_counted": ("number",),
    "change_check": ("date", "remembered"),
    "change_help": (),
    "because_remembered": ("date", "remembered"),
    "counted_from": ("date",),
}


@dataclass(frozen=True)
class ReturnVisitContent:
    """Everything return_visit.toml holds (see its header)."""

    who: ReturnQuestion
    since: ReturnQuestion
    fall: ReturnQuestion
    fall_covers: tuple[str, ...]
    talk: Mapping[str, str]
    said_yes: Mapping[str, str]
    """How a remembered yes is said, by key ("have had cancer, or tests for cancer")."""
    said_no: Mapping[str, str]
    """How a remembered no is said, for the keys whose no the readout says."""
    said_age: str
    """How a remembered age is said ("are {number}")."""


def load_return_visit(
    path: Path | None = None, screening: Screening | None = None, advice: AdviceContent | None = None
) -> ReturnVisitContent:
    """Read and validate return_visit.toml (the package's own when ``path`` is None)."""
    if path is None and screening is None and advice is None:
        return _default_return_visit()
    return _parse(path or RETURN_VISIT_FILE, screening or load_screening(), advice or load_advice())


@cache
def _default_return_visit() -> ReturnVisitContent:
    return _parse(RETURN_VISIT_FILE, load_screening(), load_advice())


def _parse(path: Path, screening: Screening, advice: AdviceContent) -> ReturnVisitContent:
    root = read_table(path)
    root.only(["who", "since", "fall", "talk", "remembered"])
    fall_table = root.table("fall")
    fall = _question(fall_table, FALL, ["covers"])
    covers = fall_table.texts("covers")
    for key in covers:
        try:
            screening.question(key)
        except KeyError:
            raise fall_table.fail(
                "covers", f"names '{key}', which is not a question", "use question ids"
            ) from None
    talk_table = root.table("talk")
    talk_table.only(list(TALK_KEYS))
    talk = {key: check_placeholders(talk_table, key, allowed) for key, allowed in TALK_KEYS.items()}
    remembered = root.named_tables("remembered")
    stable = stable_keys(screening, advice)
    said_yes: dict[str, str] = {}
    said_no: dict[str, str] = {}
    for key, table in remembered.items():
        if key == "age":
            continue
        if key not in stable:
            raise table.fail(
                "yes", f"is for '{key}', which is not stable history", "remove it, or mark it stable"
            )
        table.only(["yes"], ["no"])
        said_yes[key] = table.text("yes")
        if table.has("no"):
            said_no[key] = table.text("no")
    missing = [key for key in stable if key not in said_yes]
    if missing:
        raise root.fail(
            "remembered", f"has no entry for {', '.join(missing)}", "add [remembered.<key>] with yes"
        )
    if "age" not in remembered:
        raise root.fail("remembered.age", "is missing", 'add it with number = "are {number}"')
    age_table = remembered["age"]
    age_table.only(["number"])
    return ReturnVisitContent(
        who=_question(root.table("who"), WHO, [], name=True),
        since=_question(root.table("since"), SINCE, []),
        fall=fall,
        fall_covers=covers,
        talk=talk,
        said_yes=said_yes,
        said_no=said_no,
        said_age=check_placeholders(age_table, "number", ("number",)),
    )


def _question(table: Table, question_id: str, extra: list[str], name: bool = False) -> ReturnQuestion:
    table.only(["text", "help", "reask", *extra])
    allowed = ("name",) if name else ()
    for key in ("text", "reask"):
        check_question_length(table, key)
    return ReturnQuestion(
        question_id,
        check_placeholders(table, "text", allowed),
        check_placeholders(table, "help", allowed),
        check_placeholders(table, "reask", allowed),
    )
