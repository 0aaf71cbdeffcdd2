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
from voicecare.dialogue.screening_talk import ScreeningTalk, load_screening_talk
from voicecare.records import NoRecorder, SessionRecorder
from voicecare.screening.answers import Answer as RuleAnswer
from voicecare.screening.answers import Reply
from voicecare.screening.findings import Finding, Question, Screening, Tier, load_screening
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
    _went_silent: bool = field(default=False, init=False)

    def run(self) -> ScreeningResult:
        """The whole screening, from the opening to the outcome (not yet spoken)."""
        opening = self.talk.opening if self.greeted else (self.talk.greeting, *self.talk.opening)
        for line in opening:
            self.conversation.say(self._fill(line))
        answers: dict[str, RuleAnswer] = {}
        sections_said: set[str] = set()
        ended_by = "completed"
        try:
            while True:
                try:
                    question_id = next_question(answers, self.screening)
                    if question_id is None:
                        self.conversation.settle()
                        break
                    self._announce_section(question_id, sections_said)
                    answer = self._ask(question_id, answers)
                    answers[question_id] = answer
                    self.recorder.answer(question_id, self._finding_id(question_id), _label(answer))
                    self._check_self_harm(question_id, answer)
                except AnswerRevised as revised:
                    answers.pop(revised.prompt_id, None)
                    continue
                if answer is Reply.UNANSWERED and self._went_silent:
                    ended_by = "silence"
                    break
            if ended_by == "completed" and evaluate(answers, self.screening).disposition is Tier.EMERGENCY:
                ended_by = "emergency"
        except StopRequested:
            ended_by = "stop"
            self.conversation.say(self.talk.stopped)
        except SafetyStop:
            ended_by = "safety"
        return ScreeningResult(evaluate(answers, self.screening), answers, ended_by)

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
