"""The hands-free session: a greeting, a spoken menu, the screening and the exercises, until goodbye.

Exercises are offered after a ``soon`` or ``self_care`` outcome only; after ``urgent`` they are
refused, and an ``emergency`` outcome ends the session once its message has been said twice. A screening
started from an exercise (a warning sign was mentioned) counts like one chosen from the menu.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.dialogue.conversation import Conversation, SafetyStop, StopRequested
from voicecare.dialogue.prompt import Option, Prompt
from voicecare.screening.findings import Tier
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice

CHOICES = ("screen", "relax", "breathe", "reframe", "diary", "trend", "report", "forget", "goodbye")
EXERCISES = ("relax", "breathe", "reframe")
DIARY = ("diary", "trend", "report", "forget")
"""The pain diary's choices: log my pain, how has my pain been, read my report, forget everything about me."""
_TEXTS = ("greeting", "menu", "menu_again", "menu_help", "offer_exercises", "exercises_not_now", "goodbye")


@dataclass(frozen=True)
class SessionTalk:
    """The session's sentences (keys of ``_TEXTS``) and the phrases of each menu choice."""

    lines: dict[str, str]
    options: tuple[Option, ...]


def load_session_talk() -> SessionTalk:
    """Read and validate ``content/session.toml``."""
    path = CONTENT_DIR / "session.toml"
    root = read_table(path)
    root.only((*_TEXTS, "choices"))
    choices = root.table("choices")
    choices.only(CHOICES)
    options = tuple(Option(choice, choices.texts(choice)) for choice in CHOICES)
    return SessionTalk({key: root.text(key) for key in _TEXTS}, options)


ScreeningRunner = Callable[[Conversation], Tier]
"""Runs a screening through the conversation; returns the disposition (emergency, urgent, soon, self_care)."""
ExerciseRunner = Callable[[Conversation, str], Tier | None]
"""Runs the exercise ``relax``, ``breathe`` or ``reframe`` through the conversation; returns the disposition
of the screening it led to (a warning sign was mentioned and the person took the screening), else None."""
ActivityRunner = Callable[[Conversation, str], Tier | None]
"""Runs a diary choice (``DIARY``); returns the disposition of any screening it led to, else None."""
StartRunner = Callable[[Conversation], Tier | None]
"""Runs once after the greeting (the offer of a check-in due); the disposition of any screening run."""


@dataclass
class HandsFreeSession:
    """The menu loop that ties the screening and the exercises together."""

    conversation: Conversation
    run_screening: ScreeningRunner
    run_exercise: ExerciseRunner
    talk: SessionTalk = field(default_factory=load_session_talk)
    run_activity: ActivityRunner | None = None
    on_start: StartRunner | None = None
    disposition: Tier | None = None
    """The outcome of the last screening in this session, if any."""

    def run(self) -> None:
        """Greet, then loop on the menu until goodbye, silence, stop, an emergency or the safety check."""
        say = self.conversation.say
        say(self.talk.lines["greeting"])
        text = self.talk.lines["menu"]
        try:
            if self.on_start is not None:
                started = self.on_start(self.conversation)
                if started is not None:
                    self.disposition = started
                if started is Tier.EMERGENCY:
                    return
                if started in (Tier.SOON, Tier.SELF_CARE):
                    text = self.talk.lines["offer_exercises"]
            while True:
                choice = self._choose(text)
                if choice is None or choice == "goodbye":
                    break
                screened = self._carry_out(choice)
                if screened is Tier.EMERGENCY:
                    return
                text = self.talk.lines["menu_again"]
                if screened in (Tier.SOON, Tier.SELF_CARE):
                    text = self.talk.lines["offer_exercises"]
        except (StopRequested, SafetyStop):
            return
        say(self.talk.lines["goodbye"])

    def _carry_out(self, choice: str) -> Tier | None:
        """Run the screening or an exercise; the disposition of any screening run, which is kept."""
        if choice == "screen":
            screened: Tier | None = self.run_screening(self.conversation)
        elif choice in DIARY:
            screened = None if self.run_activity is None else self.run_activity(self.conversation, choice)
        elif self.disposition in (Tier.EMERGENCY, Tier.URGENT):
            self.conversation.say(self.talk.lines["exercises_not_now"])
            return None
        else:
            screened = self.run_exercise(self.conversation, choice)
        if screened is not None:
            self.disposition = screened
        return screened

    def _choose(self, text: str) -> str | None:
        prompt = Prompt(
            "menu", text, kind=AnswerKind.CHOICE, help=self.talk.lines["menu_help"], options=self.talk.options
        )
        answer = self.conversation.ask(prompt)
        return answer.id if isinstance(answer, Choice) else None
