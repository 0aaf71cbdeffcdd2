"""After a ``soon`` or ``self_care`` outcome: the personal-context questions, then the tailored advice."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.return_visit import keep_remembered_yes
from voicecare.dialogue.screening import rule_reply
from voicecare.dialogue.screening_talk import ScreeningTalk, load_screening_talk
from voicecare.records import NoRecorder, SessionRecorder
from voicecare.screening.advice import (
    AdviceContent,
    context_from_screening,
    context_to_ask,
    load_advice,
    select_advice,
)
from voicecare.screening.answers import Answer as RuleAnswer
from voicecare.screening.answers import Answers, Reply
from voicecare.screening.findings import Screening, Tier
from voicecare.screening.return_visit import Prefilled, ReturnVisitContent, load_return_visit
from voicecare.understanding.answers import Answer, Number

ADVICE_TIERS = (Tier.SOON, Tier.SELF_CARE)


@dataclass
class SelfCareAdvice:
    """Asks what tailors the advice (pregnancy, kidneys, ...) that screening did not, then gives it."""

    conversation: Conversation
    screening: Screening
    content: AdviceContent = field(default_factory=load_advice)
    talk: ScreeningTalk = field(default_factory=load_screening_talk)
    recorder: SessionRecorder = field(default_factory=NoRecorder)
    """Keeps each context answer asked, remembered in the person's history as stable history."""
    returning: ReturnVisitContent = field(default_factory=load_return_visit)

    def run(
        self,
        disposition: Tier,
        answers: Answers,
        remembered: Mapping[str, Prefilled] | None = None,
        remembered_yes: Mapping[str, Prefilled] | None = None,
    ) -> dict[str, RuleAnswer]:
        """Ask the context questions and say the advice; nothing at all after emergency or urgent.

        ``remembered``: answers a return visit uses in place of asking (context ids among them are not
        asked); ``remembered_yes``: a context remembered as yes and now answered no is dropped only when
        the person confirms it. Returns the context answers (a not-sure or unheard answer takes the
        safer advice).
        """
        if disposition not in ADVICE_TIERS:
            return {}
        known_ids = {c.id for c in self.content.context}
        context = {k: p.answer for k, p in (remembered or {}).items() if k in known_ids}
        context.update(context_from_screening(answers, self.content, self.screening))
        questions = context_to_ask(context, self.content)
        if questions:
            self.conversation.say(self.talk.context_intro)
        for question in questions:
            prompt = Prompt(
                question.id,
                question.text,
                kind=question.kind,
                finding=question.id,
                help=question.help,
                reask=question.reask,
            )
            answer = _context_answer(self.conversation.ask(prompt))
            kept = (remembered_yes or {}).get(question.id)
            if kept is not None and answer is not Reply.YES and self._keeps(kept, answer):
                answer = Reply.YES
            context[question.id] = answer
            label = str(answer) if isinstance(answer, int) else answer.value
            self.recorder.answer(question.id, question.id, label)
        self.conversation.say(self.talk.advice_intro)
        for advice in select_advice(disposition, context, self.content):
            self.conversation.say(advice.text)
        return context

    def _keeps(self, remembered: Prefilled, answer: RuleAnswer) -> bool:
        """A context remembered as yes, answered anything but yes now: a doubt keeps the yes, and a no
        drops it only when the person confirms."""
        if answer is not Reply.NO:
            return True
        return keep_remembered_yes(self.conversation, self.returning, remembered, remembered.key)


def _context_answer(answer: Answer) -> RuleAnswer:
    return answer.value if isinstance(answer, Number) else rule_reply(answer)
