"""A whole screening as the person meets it: questions, the outcome said aloud, then self-care advice.

Every way of ending (completed, an emergency found, silence, stop, the safety check, end of input)
gives an outcome event; the session record is finished, or marked incomplete if interrupted.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from voicecare.dialogue.conversation import Conversation, SafetyStop, StopRequested
from voicecare.dialogue.events import OutcomeEvent
from voicecare.dialogue.outcome_talk import fill, outcome_lines, reason_findings
from voicecare.dialogue.return_visit import reason_notes
from voicecare.dialogue.screening import ScreeningDialogue, ScreeningResult
from voicecare.dialogue.screening_talk import load_screening_talk
from voicecare.dialogue.self_care import ADVICE_TIERS, SelfCareAdvice
from voicecare.dialogue.startback_dialogue import StartBackDialogue, StartBackResult
from voicecare.diary.report import STARTBACK_FINDING, STARTBACK_UNCLEAR
from voicecare.records import SessionRecorder
from voicecare.screening.advice import AdviceContent, load_advice
from voicecare.screening.findings import Screening, load_screening
from voicecare.screening.return_visit import ReturnVisitContent, VisitPlan, first_visit, load_return_visit
from voicecare.screening.rules import Reason
from voicecare.screening.startback import StartBackTool, load_startback

QUIET_ENDINGS = ("silence", "stop", "safety")
"""Endings after which no more questions are asked (no context questions, no offers)."""


@dataclass
class ScreeningSession:
    """Runs the screening, says the outcome and, where it fits, the self-care advice."""

    conversation: Conversation
    placeholders: Mapping[str, str]
    recorder: SessionRecorder
    screening: Screening | None = None
    advice: AdviceContent | None = None
    """The self-care advice content; None for the packaged advice.toml."""
    startback: StartBackTool | None = None
    """The STarT Back items offered after the advice; None for the packaged startback.toml."""
    greeted: bool = False
    """True inside the hands-free session, which has greeted the person already."""
    plan: VisitPlan = field(default_factory=lambda: first_visit("nothing is remembered"))
    """The visit's route (``screening.return_visit.plan_visit``)."""
    returning: ReturnVisitContent | None = None
    """The wording of return visits; None for the packaged return_visit.toml."""
    startback_result: StartBackResult | None = field(default=None, init=False)
    """The questionnaire's answers and score, when the person took it."""

    def run(self) -> ScreeningResult:
        """The screening from the opening to the last piece of advice; returns its result."""
        screening = self.screening or load_screening()
        returning = self.returning or load_return_visit()
        try:
            result = ScreeningDialogue(
                self.conversation,
                self.placeholders,
                screening,
                recorder=self.recorder,
                greeted=self.greeted,
                plan=self.plan,
                returning=returning,
            ).run()
        except BaseException:
            self.recorder.abandon()
            raise
        outcome = result.outcome
        reasons, possible = reason_findings(outcome), list(outcome.possible)
        self.conversation.events.emit(OutcomeEvent(outcome.disposition, reasons, possible))
        self.recorder.finish(outcome.disposition, reasons, possible)
        if result.ended_by == "silence":
            self.conversation.say(fill(screening.messages["silence"], self.placeholders))
        if result.ended_by == "safety":
            return result
        try:
            def notes(reason: Reason) -> list[str]:
                return reason_notes(reason, result.remembered, returning)

            for line in outcome_lines(
                outcome, result.answers, screening, load_screening_talk(), self.placeholders, notes
            ):
                self.conversation.say(line)
            if result.ended_by not in QUIET_ENDINGS:
                advice = self.advice or load_advice()
                SelfCareAdvice(
                    self.conversation, screening, advice, recorder=self.recorder, returning=returning
                ).run(outcome.disposition, result.answers, result.remembered, result.plan.remembered_yes)
                offer = result.plan.offer_startback
                if offer and outcome.disposition in ADVICE_TIERS and not self.conversation.channel.ended:
                    tool = self.startback or load_startback()
                    self.startback_result = StartBackDialogue(self.conversation, tool).offer()
                    self._record_startback()
        except (StopRequested, SafetyStop):
            pass
        return result

    def _record_startback(self) -> None:
        """Keep the questionnaire's answers with the screening (``startback.N``: the option id; an answer
        counted the way that asks for more care is marked by its finding), for the report."""
        result = self.startback_result
        if result is None:
            return
        for number, option in sorted(result.answers.items()):
            finding = STARTBACK_UNCLEAR if number in result.counted_unclear else STARTBACK_FINDING
            self.recorder.answer(f"startback.{number}", finding, option)
