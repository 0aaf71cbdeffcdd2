"""Self-care advice chosen from the outcome and the personal context (content from advice.toml)."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, Table, check_question_length, read_table
from voicecare.screening.answers import Answer, Answers, Reply, Truth, any_of, reply_truth
from voicecare.screening.findings import FINDING_KINDS, Finding, Screening, Tier, load_screening
from voicecare.screening.rules import finding_truths, gate_reply
from voicecare.understanding.answer_kind import AnswerKind

ADVICE_FILE = CONTENT_DIR / "advice.toml"
ADVICE_OUTCOMES = (Tier.SOON.value, Tier.SELF_CARE.value)
"""docs/clinical.md: personal context and self-care advice only after ``soon`` or ``self_care``."""

CONTEXT_IDS = (
    "pregnant",
    "kidney_heart_or_blood_pressure",
    "bleeding_or_nsaid_risk",
    "fragile_bones",
    "age",
)
"""The personal context docs/clinical.md names; advice.toml must hold each (it may add more: cancer)."""


@dataclass(frozen=True)
class ContextQuestion:
    """How a personal-context question is asked (yes means the condition is present)."""

    id: str
    kind: AnswerKind
    text: str
    help: str
    reask: str


@dataclass(frozen=True)
class Context:
    """One piece of personal context: reused from screening when it answered ``from_screening`` (only
    the questions of ``from_group`` when set), else asked with ``question``; never asked without one."""

    id: str
    kind: AnswerKind
    question: ContextQuestion | None
    from_screening: str | None = None
    from_group: str | None = None
    stable: bool = False
    """Part of the stable history: on a return visit the remembered answer is used with its date."""


@dataclass(frozen=True)
class Advice:
    """One piece of advice, said when its conditions hold (see advice.toml's header)."""

    id: str
    topic: str
    text: str
    source: str
    when_any: tuple[str, ...] = ()
    when_age_at_least: int | None = None
    outcomes: tuple[Tier, ...] = (Tier.SOON, Tier.SELF_CARE)

    def applies(self, context: Answers) -> bool:
        """True when unconditional, or when any condition is not ruled out by a clear no or a lower age."""
        if not self.when_any and self.when_age_at_least is None:
            return True
        if any(context.get(key) is not Reply.NO for key in self.when_any):
            return True
        if self.when_age_at_least is None:
            return False
        age = context.get("age")
        return not isinstance(age, int) or age >= self.when_age_at_least


@dataclass(frozen=True)
class AdviceContent:
    """Everything advice.toml holds."""

    context: tuple[Context, ...]
    choose_first: frozenset[str]
    advice: tuple[Advice, ...]


def load_advice(path: Path | None = None, screening: Screening | None = None) -> AdviceContent:
    """Read and validate advice.toml (the package's own when ``path`` is None)."""
    if path is None and screening is None:
        return _default_advice()
    return _parse(path or ADVICE_FILE, screening or load_screening())


@cache
def _default_advice() -> AdviceContent:
    return _parse(ADVICE_FILE, load_screening())


def select_advice(
    outcome: Tier, context: Answers, content: AdviceContent | None = None
) -> tuple[Advice, ...]:
    """The advice to give, in file order: none at all after ``emergency`` or ``urgent``.

    ``context`` holds personal-context answers keyed by context id; a missing, unsure or not-understood
    answer takes the safer advice (for example no anti-inflammatory painkillers).
    """
    content = content or load_advice()
    chosen: list[Advice] = []
    topics_done: set[str] = set()
    for advice in content.advice:
        if outcome not in advice.outcomes or advice.topic in topics_done or not advice.applies(context):
            continue
        chosen.append(advice)
        if advice.topic in content.choose_first:
            topics_done.add(advice.topic)
    return tuple(chosen)


def context_from_screening(
    answers: Answers, content: AdviceContent | None = None, screening: Screening | None = None
) -> dict[str, Answer]:
    """The personal context already known from screening ``answers`` (so it is not asked twice)."""
    content = content or load_advice()
    screening = screening or load_screening()
    truths = finding_truths(answers, screening)
    known: dict[str, Answer] = {}
    for context in content.context:
        source = context.from_screening
        if source is None:
            continue
        if context.from_group is not None:
            group_reply = _group_reply(screening.findings[source], context.from_group, answers)
            if group_reply is not None:
                known[context.id] = group_reply
        elif source in screening.gates:
            gate = gate_reply(source, answers, screening)
            if gate is not None:
                known[context.id] = gate
        elif source in answers:
            known[context.id] = answers[source]
        elif source in screening.findings and _finding_asked(source, answers, screening):
            known[context.id] = _truth_reply(truths[source])
    return known


def context_to_ask(known: Answers, content: AdviceContent | None = None) -> tuple[ContextQuestion, ...]:
    """The context questions still to ask, in file order, given what is ``known`` already.

    A context with no question of its own (taken only from screening) is never asked: when screening did
    not answer it, it stays unknown, which takes the safer advice.
    """
    content = content or load_advice()
    return tuple(c.question for c in content.context if c.id not in known and c.question is not None)


def _finding_asked(finding_id: str, answers: Answers, screening: Screening) -> bool:
    return any(q.id in answers for q in screening.findings[finding_id].questions)


def _group_reply(finding: Finding, group: str, answers: Answers) -> Reply | None:
    """The answers to one group of ``finding``: yes when any is yes, no when every one asked is no,
    otherwise unsure; None when none of its questions was answered."""
    keys = [q.reuse or q.id for q in finding.questions if q.group == group]
    asked = [key for key in keys if key in answers]
    if not asked:
        return None
    return _truth_reply(any_of([reply_truth(answers[key], key) for key in asked]))


def _truth_reply(truth: Truth) -> Reply:
    if truth is Truth.NO:
        return Reply.NO
    return Reply.UNSURE if truth is Truth.UNSURE else Reply.YES


def _parse(path: Path, screening: Screening) -> AdviceContent:
    root = read_table(path)
    root.only(["context", "topic", "advice"])
    context = tuple(_context(table, screening) for table in root.tables("context"))
    ids = [c.id for c in context]
    _no_repeats(root, "context", ids)
    for required in CONTEXT_IDS:
        if required not in ids:
            raise root.fail("context", f"has no entry for '{required}'", "add a [[context]] with that id")
    topics: dict[str, str] = {}
    for table in root.tables("topic"):
        table.only(["id", "choose"])
        topics[table.text("id")] = table.choice("choose", ["first", "all"])
    _no_repeats(root, "topic", list(topics))
    advice = tuple(_advice(table, set(ids), topics) for table in root.tables("advice"))
    _no_repeats(root, "advice", [a.id for a in advice])
    choose_first = frozenset(topic for topic, choose in topics.items() if choose == "first")
    return AdviceContent(context, choose_first, advice)


def _no_repeats(root: Table, key: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise root.fail(key, f"repeats the id '{item}'", "give every entry its own id")
        seen.add(item)


def _context(table: Table, screening: Screening) -> Context:
    table.only(["id", "kind"], ["text", "help", "reask", "from_screening", "from_group", "stable"])
    context_id = table.text("id")
    kind = AnswerKind(table.choice("kind", [k.value for k in FINDING_KINDS]))
    source = table.optional_text("from_screening")
    known = set(screening.findings) | set(screening.gates)
    known.update(q.id for f in screening.findings.values() for q in f.questions)
    if source is not None and source not in known:
        raise table.fail(
            "from_screening",
            f"'{source}' is not a screening question, gate or finding",
            "name an id from findings.toml",
        )
    group = table.optional_text("from_group")
    if group is not None:
        finding = screening.findings.get(source) if source is not None else None
        if finding is None:
            raise table.fail("from_group", "needs from_screening to name a finding", "name a finding id")
        if group not in {g.name for g in finding.groups}:
            raise table.fail(
                "from_group",
                f"'{group}' is not a group of the finding '{finding.id}'",
                "name a [[finding.group]] of that finding in findings.toml",
            )
    question = None
    if any(table.has(key) for key in ("text", "help", "reask")):
        question = ContextQuestion(
            id=context_id,
            kind=kind,
            text=check_question_length(table, "text"),
            help=table.text("help"),
            reask=check_question_length(table, "reask"),
        )
    elif source is None:
        raise table.fail("text", "is missing", "give text, help and reask, or take it from_screening")
    stable = table.flag("stable")
    if stable and (question is None or source is not None or kind is not AnswerKind.YES_NO):
        raise table.fail(
            "stable",
            "is only for a yes/no context asked here (not taken from the screening)",
            "mark the screening's own question stable in findings.toml instead",
        )
    return Context(context_id, kind, question, from_screening=source, from_group=group, stable=stable)


def _advice(table: Table, context_ids: set[str], topics: dict[str, str]) -> Advice:
    table.only(["id", "topic", "text", "source"], ["when_any", "when_age_at_least", "outcomes"])
    topic = table.text("topic")
    if topic not in topics:
        raise table.fail("topic", f"'{topic}' is not a topic", "add a [[topic]] with that id")
    when_any = table.texts("when_any", ())
    for key in when_any:
        if key not in context_ids:
            raise table.fail("when_any", f"names '{key}', which is not a context id", "use [[context]] ids")
    outcomes = table.texts("outcomes", ADVICE_OUTCOMES)
    for outcome in outcomes:
        if outcome not in ADVICE_OUTCOMES:
            raise table.fail("outcomes", f"includes '{outcome}'", "advice is only for soon and self_care")
    return Advice(
        id=table.text("id"),
        topic=topic,
        text=table.text("text"),
        source=table.text("source"),
        when_any=when_any,
        when_age_at_least=table.optional_integer("when_age_at_least"),
        outcomes=tuple(Tier(o) for o in outcomes),
    )
