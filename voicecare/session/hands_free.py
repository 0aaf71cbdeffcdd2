"""The hands-free session (``voicecare`` with no command, and the demo): the menu loop of
``dialogue.session_flow`` with the screening, the exercises and the pain diary of a ``Session``.

After the greeting a check-in due today is offered, once. An exercise that ends on a warning sign offers
the screening, and one played to the end offers a diary entry; after the self-harm check's crisis message
nothing resumes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from voicecare.dialogue.conversation import Conversation, SafetyStop
from voicecare.dialogue.naming import ask_name, load_naming_talk
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Option
from voicecare.dialogue.session_flow import HandsFreeSession, SessionTalk, load_session_talk
from voicecare.errors import ConfigError
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName
from voicecare.narration.player import PlayEnd
from voicecare.screening.findings import Tier
from voicecare.session.builder import Session
from voicecare.session.diary_activities import DiaryActivities
from voicecare.understanding.names import NameBook

EXERCISE_NAMES: dict[str, ExerciseName] = {
    "relax": "relaxation",
    "breathe": "breathing",
    "reframe": "reframing",
}


@dataclass
class HandsFree:
    """Runs the hands-free session on ``session`` (built with ``exercises=True``)."""

    session: Session
    relax_groups: int = 16
    diary: bool = True
    """Offer the pain diary and check-ins (not in the demo, which keeps nothing)."""
    opening: str | None = None
    """Said first instead of the greeting (see ``HandsFreeSession``)."""
    one_activity: bool = False
    talk: SessionTalk | None = None
    more: Mapping[str, tuple[Option, Callable[[], None]]] = field(default_factory=dict)
    _screened: bool = False

    def run(self) -> str | None:
        """The whole session; the event stream ends with ``end`` whatever happens. How it ended (see
        ``HandsFreeSession.ended_by``)."""
        flow = HandsFreeSession(
            self.session.conversation,
            self._screening,
            self._exercise,
            talk=self.talk or load_session_talk(),
            opening=self.opening,
            one_activity=self.one_activity,
            more=self.more,
            run_activity=self._diary,
            on_start=self._checkin if self.diary else None,
            run_rename=self._rename,
            names=NameBook.for_rename(self.session.stored_names()),
        )
        try:
            flow.run()
        finally:
            self.session.end()
        return flow.ended_by

    def _checkin(self, conversation: Conversation) -> Tier | None:
        disposition = DiaryActivities(self.session).checkin()
        if disposition is not None:
            self._screened = True
            return self._said(disposition)
        return None

    def _diary(self, conversation: Conversation, choice: str) -> Tier | None:
        """Log my pain, how has my pain been, read my report, forget everything about me."""
        activities = DiaryActivities(self.session)
        disposition: Tier | None = None
        if choice == "diary":
            disposition = activities.entry()[1]
        elif choice == "trend":
            disposition = activities.trend()
        elif choice == "report":
            activities.read_report()
        elif choice == "forget":
            activities.forget()
        if disposition is not None:
            self._screened = True
            return self._said(disposition)
        return None

    def _screening(self, conversation: Conversation) -> Tier:
        self._screened = True
        return self._said(self.session.screen(greeted=True).outcome.disposition)

    def _rename(self, conversation: Conversation, given: str | None) -> None:
        """"Call me Sam" or "change my name": the new name read back, then kept (``Session.rename_person``);
        a name someone else has is refused, and the old one kept."""
        talk = load_naming_talk()
        if self.session.stored_names():
            self.session.identify()
            if self.session.person is None:
                return
        name = ask_name(conversation, self.session.name_book(), talk, given)
        if name is None:
            return
        try:
            self.session.rename_person(name)
        except ConfigError:
            conversation.say(talk.line("taken", name))
            return
        conversation.say(talk.line("renamed", name))

    def _said(self, disposition: Tier) -> Tier:
        """An emergency's message is said once more before the session ends."""
        if disposition is Tier.EMERGENCY:
            line = self.session.content.screening.dispositions[disposition]
            self.session.conversation.say(fill(line, self.session.placeholders))
        return disposition

    def _exercise(self, conversation: Conversation, choice: str) -> Tier | None:
        """Play the exercise ``choice``; the disposition of the screening it led to, if a warning sign did."""
        options = ExerciseOptions(groups=self.relax_groups, standalone=not self._screened)
        end = self.session.play(EXERCISE_NAMES[choice], options)
        if end is PlayEnd.SAFETY_STOP:
            raise SafetyStop
        if end is PlayEnd.COMPLETED and self.diary and self.session.saving:
            after = DiaryActivities(self.session).offer_entry_after_exercise()
            if after is not None:
                self._screened = True
                return self._said(after)
            return None
        if end is not PlayEnd.WARNING_SIGN:
            return None
        self._screened = True
        result = self.session.offer_screening(greeted=True)
        return None if result is None else self._said(result.outcome.disposition)
