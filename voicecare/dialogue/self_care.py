"""After a ``soon`` or ``self_care`` outcome: the personal-context questions, then the tailored advice."""

from dataclasses import dataclass, field

from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.screening import rule_reply
from voicecare.dialogue.screening_talk import ScreeningTalk, load_screening_talk
from voicecare.screening.advice import (
    AdviceContent,
    context_from_screening,
    context_to_ask,
    load_advice,
    select_advice,
)
from voicecare.screening.answers import Answer as RuleAnswer
from voicecare.screening.answers import Answers
from voicecare.screening.findings import Screening, Tier
from voicecare.understanding.answers import Answer, Number

ADVICE_TIERS = (Tier.SOON, Tier.SELF_CARE)


@dataclass
class SelfCareAdvice:
    """Asks what tailors the advice (pregnancy, kidneys, ...) that screening did not, then gives it."""

    conversation: Conversation
    screening: Screening
    content: AdviceContent = field(default_factory=load_advice)
    talk: ScreeningTalk = field(default_factory=load_screening_talk)

    def run(self, disposition: Tier, answers: Answers) -> dict[str, RuleAnswer]:
        """Ask the context questions and say the advice; nothing at all after emergency or urgent.

        Returns the context answers (a not-sure or unheard answer takes the safer advice).
        """
        if disposition not in ADVICE_TIERS:
            return {}
        context = dict(context_from_screening(answers, self.content, self.screening))
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
            context[question.id] = _context_answer(self.conversation.ask(prompt))
        self.conversation.say(self.talk.advice_intro)
        for advice in select_advice(disposition, context, self.content):
            self.conversation.say(advice.text)
        return context


def _context_answer(answer: Answer) -> RuleAnswer:
    return answer.value if isinstance(answer, Number) else rule_reply(answer)
