"""The spoken red-flag screening: which question next, read-backs, and when to stop.

The order, the questions and the rules are data (``content/findings.toml``) and pure functions
(``voicecare.screening.rules``); this module only talks. It never resolves doubt towards no: a
question still unanswered after the re-asks, or met with silence, counts as possible.

Its questions take spoken replies provisionally (``Prompt.revisable``): the next question begins as
soon as a reply is heard, and a reply that does not stand (``AnswerRevised``) is taken again in full,
its question's answer forgotten, before anything else.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from voicecare.dialogue.conversation import AnswerRevised, Conversation, SafetyStop, StopRequested
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.return_visit import keep_remembered_yes, readout_lines
from voicecare.dialogue.screening_talk import ScreeningTalk, load_screening_talk
from voicecare.records import NoRecorder, SessionRecorder
from voicecare.screening.answers import Answer as RuleAnswer
from voicecare.screening.answers import Reply
from voicecare.screening.findings import Finding, Question, Screening, Tier, load_screening
from voicecare.screening.return_visit import (
    Prefilled,
    ReturnQuestion,
    ReturnVisitContent,
    VisitPlan,
    first_visit,
    load_return_visit,
)
from voicecare.screening.rules import Outcome, evaluate, next_question
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Answer, Duration, No, Number, Qualifier, Unsure, Yes

READBACK_TIERS = (Tier.EMERGENCY, Tier.URGENT)
"""A yes to a finding of these tiers is read back; so is a yes to a finding with no tier of its own, which
counts only in combinations that can give emergency (``_reads_back``)."""
NUMBER_TRIES = 3
"""How often a number is asked before it counts as unanswered (each time read back)."""
READBACK_TRIES = 2
"""How often a number's read-back is asked for a clear yes or no before the number counts as unanswered."""


@dataclass
class ScreeningResult:
    """How the screening went: the rules' outcome, the answers it rests on, and why it ended."""

    outcome: Outcome
    answers: dict[str, RuleAnswer]
    ended_by: str
    """``completed``, ``emergency`` (stopped at the first emergency), ``silence``, ``stop`` or ``safety``."""
    plan: VisitPlan = field(default_factory=lambda: first_visit("not planned"))
    """The route the visit took: a return visit whose R0 was not a clear yes is a first visit here."""
    remembered: dict[str, Prefilled] = field(default_factory=dict)
    """The remembered answers that stood in for questions (screening keys and advice context ids alike)."""


@dataclass
class ScreeningDialogue:
    """Asks the screening questions through ``conversation`` and returns the outcome."""

    conversation: Conversation
    placeholders: Mapping[str, str]
    """Values for ``{emergency_number}`` and ``{urgent_line}``."""
    screening: Screening = field(default_factory=load_screening)
    talk: ScreeningTalk = field(default_factory=load_screening_talk)
    recorder: SessionRecorder = field(default_factory=NoRecorder)
    greeted: bool = False
    """True when the person has been greeted already (the hands-free session): no hello again."""
    plan: VisitPlan = field(default_factory=lambda: first_visit("nothing is remembered"))
    """The route (``screening.return_visit.plan_visit``): a return visit asks R0, R1 and the fall
    question first and uses the remembered answers it allows."""
    returning: ReturnVisitContent = field(default_factory=load_return_visit)
    _went_silent: bool = field(default=False, init=False)

    def run(self) -> ScreeningResult:
        """The whole screening, from the opening to the outcome (not yet spoken)."""
        if not self.greeted:
            self.conversation.say(self.talk.greeting)
        answers: dict[str, RuleAnswer] = {}
        remembered: dict[str, Prefilled] = {}
        sections_said: set[str] = set()
        ended_by = "completed"
        try:
            plan = self._who()
            for line in self.talk.opening:
                self.conversation.say(self._fill(line))
            if plan.returning:
                remembered = self._since(plan)
                answers.update({k: p.answer for k, p in remembered.items() if self._is_rule_key(k)})
                sections_said.add("about_you")
            while True:
                try:
                    question_id = next_question(answers, self.screening)
                    if question_id is None:
                        self.conversation.settle()
                        break
                    self._announce_section(question_id, sections_said)
                    answer = self._checked_against_memory(question_id, self._ask(question_id, answers), plan)
                    answers[question_id] = answer
                    self.recorder.answer(question_id, self._finding_id(question_id), _label(answer))
                    self._check_self_harm(question_id, answer)
                except AnswerRevised as revised:
                    answers.pop(revised.prompt_id, None)
                    continue
                if self._went_silent:
                    ended_by = "silence"
                    break
            if ended_by == "completed" and evaluate(answers, self.screening).disposition is Tier.EMERGENCY:
                ended_by = "emergency"
        except StopRequested:
            ended_by = "stop"
            self.conversation.say(self.talk.stopped)
        except SafetyStop:
            ended_by = "safety"
        return ScreeningResult(evaluate(answers, self.screening), answers, ended_by, self.plan, remembered)

    def _who(self) -> VisitPlan:
        """R0 on a return visit: only a clear yes goes on, and voicecare says what it remembers. Anything
        else is the first-visit route with nothing remembered used, and the session is kept with no
        person (it may be someone else's). Sets and returns ``plan``."""
        if not self.plan.returning:
            return self.plan
        name = {"name": self.plan.name or ""}
        who = self.returning.who
        answer = self.conversation.ask(
            Prompt(who.id, fill(who.text, name), help=fill(who.help, name), reask=fill(who.reask, name))
        )
        if not isinstance(answer, Yes):
            self.recorder.forget_person()
            self.plan = first_visit("the person did not say clearly that they are the one remembered")
            return self.plan
        for line in readout_lines(self.plan, self.returning):
            self.conversation.say(line)
        return self.plan

    def _since(self, plan: VisitPlan) -> dict[str, Prefilled]:
        """R1 (unless the stable history is due anyway) and the fall question; the remembered answers
        that then stand in for questions."""
        self.conversation.say(self.returning.talk["intro"])
        since_no = plan.stable_due or self._asked_no(self.returning.since)
        fall_no = self._asked_no(self.returning.fall)
        return plan.prefilled(since_clear_no=since_no, fall_clear_no=fall_no)

    def _asked_no(self, question: ReturnQuestion) -> bool:
        """Asks R1 or the fall question; True only for a clear no."""
        answer = self.conversation.ask(
            Prompt(question.id, question.text, help=question.help, reask=question.reask)
        )
        return isinstance(answer, No)

    def _checked_against_memory(self, question_id: str, answer: RuleAnswer, plan: VisitPlan) -> RuleAnswer:
        """A stable question remembered as yes and now answered anything but yes: only a clear no that
        the person confirms drops the yes; a doubt keeps it."""
        remembered = plan.remembered_yes.get(question_id)
        if remembered is None or answer is Reply.YES:
            return answer
        if answer is Reply.NO:
            finding = self._finding_id(question_id)
            if not keep_remembered_yes(self.conversation, self.returning, remembered, finding):
                return Reply.NO
        return Reply.YES

    def _is_rule_key(self, key: str) -> bool:
        if key in self.screening.gates or key in self.screening.findings:
            return True
        try:
            self.screening.question(key)
        except KeyError:
            return False
        return True

    def _ask(self, question_id: str, answers: Mapping[str, RuleAnswer]) -> RuleAnswer:
        if question_id in self.screening.gates:
            gate = self.screening.gates[question_id]
            prompt = Prompt(
                gate.id, gate.text, finding=gate.id, help=gate.help, reask=gate.reask, revisable=True
            )
            return self._yes_no(prompt, readback=None)
        question = self.screening.question(question_id)
        finding = self.screening.findings[question.finding]
        if finding.kind is AnswerKind.NUMBER:
            return self._number(question, finding)
        prompt = Prompt(
            question.id,
            question.text,
            finding=finding.id,
            help=question.help,
            reask=question.reask,
            items=question.items,
            revisable=True,
        )
        readback = question.readback if _reads_back(finding) else None
        return self._yes_no(prompt, readback)

    def _check_self_harm(self, question_id: str, answer: RuleAnswer) -> None:
        """After a yes that feeds the self-harm check (struggling to cope), once the yes is counted and
        final: the check is never cut short by a provisional yes being revised."""
        if answer is not Reply.YES or question_id in self.screening.gates:
            return
        finding = self.screening.findings[self.screening.question(question_id).finding]
        if finding.self_harm_check and self.conversation.on_self_harm is not None:
            self.conversation.settle()
            self.conversation.on_self_harm(self.conversation)

    def _yes_no(self, prompt: Prompt, readback: str | None) -> Reply:
        answer = self._reply(self.conversation.ask(prompt))
        if answer is not Reply.YES or readback is None:
            return answer
        check = Prompt(
            f"{prompt.id}.readback",
            self.talk.readback.replace("{readback}", readback),
            finding=prompt.finding,
            help=self.talk.readback_help,
            readback=True,
        )
        if not isinstance(self.conversation.ask(check), No):
            return Reply.YES
        return self._reply(self.conversation.ask(prompt))

    def _number(self, question: Question, finding: Finding) -> RuleAnswer:
        prompt = Prompt(
            question.id,
            question.text,
            kind=AnswerKind.DURATION if finding.id == "pain_weeks" else AnswerKind.NUMBER,
            finding=finding.id,
            help=question.help,
            reask=question.reask,
            revisable=True,
        )
        for _ in range(NUMBER_TRIES):
            answer = self.conversation.ask(prompt)
            value = _whole_number(answer)
            if value is None:
                return self._reply(answer)
            heard = question.readback.replace("{number}", str(value))
            check = Prompt(
                f"{question.id}.readback",
                self.talk.readback_number.replace("{readback}", heard),
                finding=finding.id,
                help=self.talk.readback_help,
                readback=True,
            )
            confirmed = self._confirmed(check)
            if confirmed is Reply.YES:
                return value
            if confirmed is not Reply.NO:
                return Reply.UNANSWERED
        return Reply.UNANSWERED

    def _confirmed(self, check: Prompt) -> Reply:
        """A clear yes or no to a number's read-back, asked at most ``READBACK_TRIES`` times; anything else
        (silence, not sure, not understood) is unanswered, so a misheard number is never taken."""
        for _ in range(READBACK_TRIES):
            reply = self._reply(self.conversation.ask(check))
            if reply in (Reply.YES, Reply.NO):
                return reply
        return Reply.UNANSWERED

    def _reply(self, answer: Answer) -> Reply:
        """``rule_reply``, noting silence (which ends the screening)."""
        if answer.label == "silence":
            self._went_silent = True
        return rule_reply(answer)

    def _announce_section(self, question_id: str, said: set[str]) -> None:
        finding_id = self._finding_id(question_id)
        finding = self.screening.findings.get(finding_id)
        if finding is not None and finding.tier is None:
            return
        if finding_id in ("cancer_history", "age"):
            section = "about_you"
        else:
            section = finding.tier.value if finding is not None and finding.tier is not None else "urgent"
        if section not in said:
            self.conversation.say(self.talk.sections[section])
            said.add(section)

    def _finding_id(self, question_id: str) -> str:
        if question_id in self.screening.gates:
            return question_id
        return self.screening.question(question_id).finding

    def _fill(self, text: str) -> str:
        return fill(text, self.placeholders)


def _reads_back(finding: Finding) -> bool:
    """Whether a yes to ``finding`` is read back: emergency and urgent findings, and findings with no tier
    of their own (their yes can complete an emergency combination)."""
    return finding.tier is None or finding.tier in READBACK_TIERS


def rule_reply(answer: Answer) -> Reply:
    """A yes/no answer for the rules: anything but a clear yes, no or not sure is unanswered."""
    if isinstance(answer, Yes):
        return Reply.YES
    if isinstance(answer, No):
        return Reply.NO
    if isinstance(answer, Unsure):
        return Reply.UNSURE
    return Reply.UNANSWERED


def _whole_number(answer: Answer) -> int | None:
    """Years or weeks as a whole number; a duration is rounded up unless it was "less than"."""
    if isinstance(answer, Number):
        return answer.value
    if isinstance(answer, Duration):
        if answer.qualifier is Qualifier.LESS_THAN:
            return math.floor(answer.weeks)
        return math.ceil(answer.weeks - 1e-9)
    return None


def _label(answer: RuleAnswer) -> str:
    return str(answer) if isinstance(answer, int) else answer.value
