"""The optional Keele STarT Back questionnaire, offered after a ``soon`` or ``self_care`` outcome.

Items 1 to 8 are agree/disagree turns (yes and no are understood too), item 9 a choice of five. An answer
still not understood after the re-asks, or "not sure", is counted the way that asks for more care (as
agree, or as "very much"), and the person is told so. Agreeing with items 6 to 8 asks the self-harm
question directly (once). Silence ends the questionnaire unscored.
"""

from dataclasses import dataclass, field

from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.prompt import Option as PromptOption
from voicecare.dialogue.prompt import Prompt
from voicecare.screening.startback import Item, StartBackScore, StartBackTool, load_startback, score
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice, Silence, Yes


@dataclass(frozen=True)
class StartBackResult:
    """The answers by item number (option ids), their score, and whether any answer was a guess."""

    answers: dict[int, str]
    score: StartBackScore
    counted_unclear: tuple[int, ...]
    """Items whose answer was not clear and was counted as scoring 1."""


@dataclass
class StartBackDialogue:
    """Offers the questionnaire through ``conversation``, asks it, and says the result in plain words."""

    conversation: Conversation
    tool: StartBackTool = field(default_factory=load_startback)
    _self_harm_asked: bool = field(default=False, init=False)

    def offer(self) -> StartBackResult | None:
        """Ask whether the person wants the nine questions; None when they decline or do not answer."""
        spoken = self.tool.spoken
        prompt = Prompt("startback.offer", spoken.offer, help=spoken.offer_help)
        if not isinstance(self.conversation.ask(prompt), Yes):
            self.conversation.say(spoken.declined)
            return None
        return self.run()

    def run(self) -> StartBackResult | None:
        """Ask the nine items and say the result; None when the person falls silent."""
        self.conversation.say(self.tool.spoken_intro)
        answers: dict[int, str] = {}
        unclear: list[int] = []
        for item in self.tool.items:
            answer = self.conversation.ask(self._prompt(item))
            if isinstance(answer, Silence):
                return None
            if isinstance(answer, Choice):
                answers[item.number] = answer.id
            else:
                answers[item.number] = _most_care(item)
                unclear.append(item.number)
            if answers[item.number] in item.self_harm_check_on:
                self._check_self_harm()
        result = StartBackResult(answers, score(answers, self.tool), tuple(unclear))
        self._say_result(result)
        return result

    def _prompt(self, item: Item) -> Prompt:
        options = tuple(PromptOption(o.id, o.phrases) for o in item.options)
        agree = item.spoken_prompt is None
        question = self.tool.agree_prompt if agree else item.spoken_prompt
        reask = self.tool.spoken.agree_reask if agree else self.tool.spoken.choice_reask
        return Prompt(
            f"startback.{item.number}",
            f"{item.text}. {question}",
            kind=AnswerKind.CHOICE,
            help=reask,
            reask=f"{item.text}. {reask}",
            options=options,
        )

    def _check_self_harm(self) -> None:
        if self._self_harm_asked or self.conversation.on_self_harm is None:
            return
        self._self_harm_asked = True
        self.conversation.on_self_harm(self.conversation)

    def _say_result(self, result: StartBackResult) -> None:
        if result.counted_unclear:
            self.conversation.say(self.tool.spoken.unclear_counted)
        self.conversation.say(result.score.result)
        if result.score.advice is not None:
            self.conversation.say(result.score.advice)
        self.conversation.say(self.tool.result_intro)


def _most_care(item: Item) -> str:
    """The option that scores 1 (the first such): how an unclear answer is counted."""
    return next(option.id for option in item.options if option.score == 1)
