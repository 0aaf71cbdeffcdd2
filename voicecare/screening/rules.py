"""The triage rules of docs/clinical.md as pure functions of the answers (content from findings.toml).

``evaluate`` gives the outcome; ``emergency_reached`` tells the dialogue to stop screening; ``should_ask``
and ``next_question`` tell it which question comes next.
"""

from dataclasses import dataclass

from voicecare.screening.answers import (
    Answer,
    Answers,
    Reply,
    Truth,
    all_of,
    any_of,
    at_least_truth,
    number_value,
    reply_truth,
)
from voicecare.screening.findings import (
    CALL_NOW_INSTRUCTION,
    Finding,
    Group,
    Question,
    Screening,
    Tier,
    load_screening,
)
from voicecare.understanding.answer_kind import AnswerKind

POSSIBLE_COMBINATION_TIER = Tier.URGENT
"""A combination that would give emergency, resting on an unsure answer, gives urgent plus "if you do have
X, call the number now": the same handling docs/clinical.md gives a possible emergency finding."""


@dataclass(frozen=True)
class Reason:
    """One rule that fired.

    ``rule`` is a finding, threshold or combination id (``kind`` says which); ``findings`` the finding ids
    behind it; ``questions`` the question ids answered yes; ``certain`` is False when it rests on a "not
    sure", a not-understood answer or an unanswered number.
    """

    rule: str
    kind: str
    tier: Tier
    certain: bool
    findings: tuple[str, ...]
    questions: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Instruction:
    """An extra instruction: ``id`` of [instruction.<id>] in findings.toml, its ``text`` template, and for
    ``call_now_if_you_do_have`` the finding ids whose summaries fill ``{symptoms}``."""

    id: str
    text: str
    symptoms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The result of screening: the most urgent tier any rule reached, and why."""

    disposition: Tier
    reasons: tuple[Reason, ...]
    possible: tuple[str, ...]
    instructions: tuple[Instruction, ...]

    @property
    def deciding_reasons(self) -> tuple[Reason, ...]:
        """The reasons at the disposition's tier (what the person is told "because ...")."""
        return tuple(r for r in self.reasons if r.tier is self.disposition)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Ids of every rule that fired, most urgent first."""
        return tuple(r.rule for r in self.reasons)


def evaluate(answers: Answers, screening: Screening | None = None) -> Outcome:
    """The outcome for ``answers`` (see ``voicecare.screening.answers.Answers`` for the keys)."""
    screening = screening or load_screening()
    _check_keys(answers, screening)
    reasons: list[Reason] = []
    possible: list[str] = []
    call_now: list[str] = []
    instruction_ids: list[str] = []
    truths = finding_truths(answers, screening)
    for finding in screening.ordered_findings():
        truth = truths[finding.id]
        if finding.kind is AnswerKind.NUMBER:
            if isinstance(number_value(answers, finding.id), Reply):
                possible.append(finding.id)
            continue
        if truth is Truth.NO or finding.tier is None or finding.if_possible is None:
            continue
        instruction_ids.extend(finding.instructions)
        if truth is Truth.UNSURE:
            possible.append(finding.id)
            if finding.tier is Tier.EMERGENCY and finding.if_possible is not Tier.EMERGENCY:
                call_now.append(finding.id)
        tier = finding.tier if truth.holds else finding.if_possible
        reasons.append(
            Reason(
                finding.id,
                "finding",
                tier,
                truth is Truth.YES,
                (finding.id,),
                _yes_questions(finding, answers),
                finding.source,
            )
        )
    for threshold in screening.thresholds.values():
        truth = truths[threshold.id]
        if truth.holds:
            certain = truth is Truth.YES
            instruction_ids.extend(
                threshold.instructions if certain else threshold.instructions_if_unanswered
            )
            reasons.append(
                Reason(
                    threshold.id,
                    "threshold",
                    threshold.tier,
                    certain,
                    (threshold.finding,),
                    (),
                    threshold.source,
                )
            )
    for combination in screening.combinations:
        parts = combination.all + combination.any
        truth = all_of(
            [truths[ref] for ref in combination.all]
            + ([any_of([truths[ref] for ref in combination.any])] if combination.any else [])
        )
        if truth is Truth.NO:
            continue
        involved = tuple(_finding_of(ref, screening) for ref in parts if truths[ref] is not Truth.NO)
        tier = combination.tier
        if truth is Truth.UNSURE and tier is Tier.EMERGENCY:
            tier = POSSIBLE_COMBINATION_TIER
            call_now.extend(_finding_of(ref, screening) for ref in parts if truths[ref] is Truth.UNSURE)
        elif truth.holds:
            instruction_ids.extend(combination.instructions)
        reasons.append(
            Reason(combination.id, "combination", tier, truth is Truth.YES, involved, (), combination.source)
        )
    reasons.sort(key=lambda r: (r.tier.rank, not r.certain))
    disposition = reasons[0].tier if reasons else Tier.SELF_CARE
    instructions = [Instruction(i, screening.instructions[i]) for i in dict.fromkeys(instruction_ids)]
    if call_now:
        instructions.insert(
            0,
            Instruction(
                CALL_NOW_INSTRUCTION,
                screening.instructions[CALL_NOW_INSTRUCTION],
                tuple(dict.fromkeys(call_now)),
            ),
        )
    return Outcome(disposition, tuple(reasons), tuple(possible), tuple(instructions))


def emergency_reached(answers: Answers, screening: Screening | None = None) -> bool:
    """True once the answers already give ``emergency``: screening stops and the outcome is given at once.

    This is a confirmed emergency finding or combination, and also the possible cauda equina signs that
    docs/clinical.md makes an emergency on their own: no later answer can make the outcome more urgent.
    """
    return evaluate(answers, screening).disposition is Tier.EMERGENCY


def finding_truths(answers: Answers, screening: Screening) -> dict[str, Truth]:
    """The truth of every finding and threshold id for ``answers`` (number findings are NO here)."""
    truths = {f.id: _finding_truth(f, answers, screening) for f in screening.findings.values()}
    for threshold in screening.thresholds.values():
        value = number_value(answers, threshold.finding)
        truths[threshold.id] = at_least_truth(value, threshold.at_least, threshold.below)
    return truths


def _finding_truth(finding: Finding, answers: Answers, screening: Screening) -> Truth:
    """A clear no to the gate (or an age from which the gate counts as no) rules a gated finding out;
    while the gate is unasked, only the finding's own questions count (a reused answer, such as a fever,
    means something only once the gate is asked). A finding with ``unsure_counts_as_yes`` turns a doubt
    into a certain yes."""
    truth = _answered_truth(finding, answers, screening)
    if finding.unsure_counts_as_yes and truth is Truth.UNSURE:
        return Truth.YES
    return truth


def _answered_truth(finding: Finding, answers: Answers, screening: Screening) -> Truth:
    if finding.kind is AnswerKind.NUMBER:
        return Truth.NO
    if finding.id in answers:
        return reply_truth(answers[finding.id], finding.id)
    gate = gate_reply(finding.gate, answers, screening) if finding.gate is not None else Reply.YES
    if gate is Reply.NO:
        return Truth.NO
    if not finding.groups:
        return any_of(
            [_question_truth(q, answers) for q in finding.questions if gate is not None or q.reuse is None]
        )
    return all_of([_group_truth(finding, group, answers) for group in finding.groups])


def _group_truth(finding: Finding, group: Group, answers: Answers) -> Truth:
    members = [_question_truth(q, answers) for q in finding.questions if q.group == group.name]
    if group.age_at_least is not None:
        members.append(at_least_truth(number_value(answers, "age"), group.age_at_least))
    return any_of(members)


def _question_truth(question: Question, answers: Answers) -> Truth:
    key = question.reuse or question.id
    return reply_truth(answers.get(key), key)


def gate_reply(gate_id: str, answers: Answers, screening: Screening | None = None) -> Answer | None:
    """The answer a gate stands at: the answer given; else a clear no when the age is known and at least
    the gate's ``no_from_age`` (the pregnancy gate from 56); else None (not asked, not ruled out)."""
    screening = screening or load_screening()
    if gate_id in answers:
        return answers[gate_id]
    limit = screening.gates[gate_id].no_from_age
    age = number_value(answers, "age") if limit is not None else None
    if limit is not None and isinstance(age, int) and age >= limit:
        return Reply.NO
    return None


def _yes_questions(finding: Finding, answers: Answers) -> tuple[str, ...]:
    return tuple(q.id for q in finding.questions if answers.get(q.reuse or q.id) is Reply.YES)


def _finding_of(ref: str, screening: Screening) -> str:
    threshold = screening.thresholds.get(ref)
    return threshold.finding if threshold else ref


def _check_keys(answers: Answers, screening: Screening) -> None:
    known = set(screening.findings) | set(screening.gates)
    known.update(q.id for f in screening.findings.values() for q in f.questions)
    for key in answers:
        if key not in known:
            raise ValueError(f"'{key}' is not a question, gate or finding id in findings.toml")


def should_ask(question_id: str, answers: Answers, screening: Screening | None = None) -> bool:
    """Whether the dialogue should still ask ``question_id`` (a question or gate id) given ``answers``.

    No when: already answered; a reuse of another answer; its finding's gate stands at a clear no (an
    answer, or an age from the gate's ``no_from_age``); a finding of ``ask_only_if`` is a clear no; its
    finding is already yes; or, for a finding made of groups, its own group is already yes (by age or
    otherwise) or another group is already settled as no. A gate is asked until answered, unless the age
    rules it out.
    """
    screening = screening or load_screening()
    if question_id in answers:
        return False
    if question_id in screening.gates:
        return gate_reply(question_id, answers, screening) is None
    question = screening.question(question_id)
    finding = screening.findings[question.finding]
    if question.reuse is not None:
        return False
    if finding.gate is not None and gate_reply(finding.gate, answers, screening) is Reply.NO:
        return False
    if any(
        _finding_truth(screening.findings[ref], answers, screening) is Truth.NO for ref in finding.ask_only_if
    ):
        return False
    if finding.kind is AnswerKind.YES_NO and _finding_truth(finding, answers, screening) is Truth.YES:
        return False
    age = number_value(answers, "age") if "age" in screening.findings else None
    own = next((group for group in finding.groups if group.name == question.group), None)
    if own is not None and _group_truth(finding, own, answers) is Truth.YES:
        return False
    return not any(
        group.name != question.group
        and _group_settled_no(finding, group.name, group.age_at_least, answers, age)
        for group in finding.groups
    )


def _group_settled_no(
    finding: Finding, name: str, age_at_least: int | None, answers: Answers, age: int | Reply | None
) -> bool:
    if age_at_least is not None and not (isinstance(age, int) and age < age_at_least):
        return False
    return all(
        answers.get(question.reuse or question.id) is Reply.NO
        for question in finding.questions
        if question.group == name
    )


def next_question(answers: Answers, screening: Screening | None = None) -> str | None:
    """The next question or gate id to ask, or None when screening is over (emergency reached or done)."""
    screening = screening or load_screening()
    if emergency_reached(answers, screening):
        return None
    for question_id in screening.asking_order():
        if should_ask(question_id, answers, screening):
            if question_id in screening.gates and not _gate_needed(question_id, answers, screening):
                continue
            return question_id
    return None


def _gate_needed(gate_id: str, answers: Answers, screening: Screening) -> bool:
    """A gate is asked only while some finding behind it still has a question worth asking."""
    probe = {**answers, gate_id: Reply.YES}
    return any(
        should_ask(q.id, probe, screening)
        for f in screening.findings.values()
        if f.gate == gate_id
        for q in f.questions
    )
