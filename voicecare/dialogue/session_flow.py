"""The hands-free session: a greeting, a spoken menu, the screening and the exercises, until goodbye.

Exercises are offered after a ``soon`` or ``self_care`` outcome only; after ``urgent`` they are
refused, and an ``emergency`` outcome ends the session once its message has been said twice. A screening
started from an exercise (a warning sign was mentioned) counts like one chosen from the menu.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.dialogue.conversation import Conversation, SafetyStop, StopRequested
from voicecare.dialogue.prompt import Option, Prompt
from voicecare.screening.findings import Tier
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice

CHOICES = ("screen", "relax", "breathe", "reframe", "goodbye")
EXERCISES = ("relax", "breathe", "reframe")
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


@dataclass
class HandsFreeSession:
    """The menu loop that ties the screening and the exercises together."""

    conversation: Conversation
    run_screening: ScreeningRunner
    run_exercise: ExerciseRunner
    talk: SessionTalk = field(default_factory=load_session_talk)
    disposition: Tier | None = None
    """The outcome of the last screening in this session, if any."""
    opening: str | None = None
    """Said first instead of the greeting; "" for nothing (a device woken by its wake phrase has said
    "Yes?" already)."""
    one_activity: bool = False
    """A device at home: the menu is asked once (the first silence ends it) and the session ends after one
    activity, without saying goodbye; voicecare goes back to waiting."""
    more: Mapping[str, tuple[Option, Callable[[], None]]] = field(default_factory=dict)
    """More menu choices (a device's settings by voice): each id with its option and what it does."""
    ended_by: str | None = None
    """How the session ended: a choice id, ``silence``, ``stop`` or ``emergency``."""

    def run(self) -> None:
        """Greet, then loop on the menu until goodbye, silence, stop, an emergency or the safety check."""
        say = self.conversation.say
        opening = self.opening if self.opening is not None else self.talk.lines["greeting"]
        if opening:
            say(opening)
        text = self.talk.lines["menu"]
        try:
            while True:
                choice = self._choose(text)
                self.ended_by = choice or "silence"
                if choice is None or choice == "goodbye":
                    break
                if choice in self.more:
                    self.more[choice][1]()
                    return
                screened = self._carry_out(choice)
                if screened is Tier.EMERGENCY:
                    self.ended_by = "emergency"
                    return
                if self.one_activity:
                    return
                text = self.talk.lines["menu_again"]
                if screened in (Tier.SOON, Tier.SELF_CARE):
                    text = self.talk.lines["offer_exercises"]
        except (StopRequested, SafetyStop):
            self.ended_by = "stop"
            return
        if self.one_activity and self.ended_by == "silence":
            return
        say(self.talk.lines["goodbye"])

    def _carry_out(self, choice: str) -> Tier | None:
        """Run the screening or an exercise; the disposition of any screening run, which is kept."""
        if choice == "screen":
            screened: Tier | None = self.run_screening(self.conversation)
        elif self.disposition in (Tier.EMERGENCY, Tier.URGENT):
            self.conversation.say(self.talk.lines["exercises_not_now"])
            return None
        else:
            screened = self.run_exercise(self.conversation, choice)
        if screened is not None:
            self.disposition = screened
        return screened

    def _choose(self, text: str) -> str | None:
        options = self.talk.options + tuple(option for option, _ in self.more.values())
        prompt = Prompt(
            "menu",
            text,
            kind=AnswerKind.CHOICE,
            help=self.talk.lines["menu_help"],
            options=options,
            reprompt_on_silence=not self.one_activity,
        )
        answer = self.conversation.ask(prompt)
        return answer.id if isinstance(answer, Choice) else None
