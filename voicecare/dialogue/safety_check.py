"""The self-harm check (docs/clinical.md): asked directly wherever words of self-harm are heard or typed."""

from dataclasses import dataclass

from voicecare.dialogue.conversation import Conversation, SafetyStop, StopRequested
from voicecare.dialogue.prompt import Prompt
from voicecare.screening.regions import Region
from voicecare.screening.safety import SafetyContent, load_safety
from voicecare.understanding.answers import Answer, No, Unclear


@dataclass(frozen=True)
class SelfHarmCheck:
    """Asks the direct question. A clear no carries on where the person was; a yes, or anything not
    understood (silence, and "stop" too), gives the crisis message, said twice, and raises SafetyStop."""

    region: Region
    content: SafetyContent

    def __call__(self, conversation: Conversation) -> None:
        prompt = Prompt(
            "self_harm_check", self.content.question, help=self.content.help, reask=self.content.reask
        )
        handler, conversation.on_self_harm = conversation.on_self_harm, None
        answer: Answer
        try:
            answer = conversation.ask(prompt)
        except StopRequested:
            answer = Unclear()
        finally:
            conversation.on_self_harm = handler
        if isinstance(answer, No):
            return
        message = self.region.fill(self.content.message)
        for _ in range(self.content.repeat):
            conversation.say(message)
        raise SafetyStop


def self_harm_check(region: Region) -> SelfHarmCheck:
    """The check with the packaged wording for ``region``."""
    return SelfHarmCheck(region, load_safety())
