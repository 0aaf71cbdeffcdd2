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
from voicecare.understanding.answers import Choice, FreeText
from voicecare.understanding.names import NameBook

CHOICES = ("screen", "relax", "breathe", "reframe", "diary", "trend", "report", "forget", "rename", "goodbye")
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
RenameRunner = Callable[[Conversation, str | None], None]
"""Changes the person's name: to the name given at the menu ("call me Sam"), or one it asks for ("change my
name"), each read back first."""


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
    run_rename: RenameRunner | None = None
    names: NameBook | None = None
    """The names heard at the menu after "call me" or "my name is" (a change of name)."""
    _new_name: str | None = field(default=None, init=False)
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
        """Run the screening or an exercise (or change the name); the disposition of any screening run,
        which is kept."""
        if choice == "rename":
            if self.run_rename is not None:
                self.run_rename(self.conversation, self._new_name)
            return None
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
        options = self.talk.options + tuple(option for option, _ in self.more.values())
        if self.run_rename is None:
            options = tuple(option for option in options if option.id != "rename")
        names = self.names if self.run_rename is not None else None
        prompt = Prompt(
            "menu",
            text,
            kind=AnswerKind.CHOICE,
            help=self.talk.lines["menu_help"],
            options=options,
            names=names,
            reprompt_on_silence=not self.one_activity,
        )
        answer = self.conversation.ask(prompt)
        self._new_name = answer.text if isinstance(answer, FreeText) else None
        if self._new_name is not None:
            return "rename"
        return answer.id if isinstance(answer, Choice) else None
