"""The hands-free session (``voicecare`` with no command, and the demo): the menu loop of
``dialogue.session_flow`` with the screening and the exercises of a ``Session``.

An exercise that ends on a warning sign offers the screening; after the self-harm check's crisis message
nothing resumes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from voicecare.dialogue.conversation import Conversation, SafetyStop
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Option
from voicecare.dialogue.session_flow import HandsFreeSession, SessionTalk, load_session_talk
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName
from voicecare.narration.player import PlayEnd
from voicecare.screening.findings import Tier
from voicecare.session.builder import Session

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
        )
        try:
            flow.run()
        finally:
            self.session.end()
        return flow.ended_by

    def _screening(self, conversation: Conversation) -> Tier:
        self._screened = True
        return self._said(self.session.screen(greeted=True).outcome.disposition)

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
        if end is not PlayEnd.WARNING_SIGN:
            return None
        self._screened = True
        result = self.session.offer_screening(greeted=True)
        return None if result is None else self._said(result.outcome.disposition)
