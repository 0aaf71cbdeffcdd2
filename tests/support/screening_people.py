"""Test people for whole-dialogue screening tests: who answers what, and how to run a screening with them.

A ``Person`` answers each question by its id (``fever.temperature``), then its finding (``fever``), then
says no; read-backs (``<id>.readback``) are confirmed with yes unless told otherwise. A list answers the
same question differently each time it is asked (re-asks and the question asked again after a read-back).
The replies a person gave can be replayed through the real text channel or, spoken, on a tape.
"""

import io
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from voicecare.dialogue.channels.text import TextChannel
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.events import AskEvent, Event, HeardEvent, OutcomeEvent, SayEvent, asked_kind
from voicecare.dialogue.safety_check import self_harm_check
from voicecare.dialogue.screening import ScreeningResult
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.recognition.ports import Heard
from voicecare.records import NoRecorder
from voicecare.screening.regions import region
from voicecare.speech.ports import SpeechSettings
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.turn_understanding import TurnUnderstanding

SILENT = ""
"""A reply that is no reply at all: the person says nothing."""

Reply = str | Sequence[str]
MAX_REPLIES = 300


@dataclass
class Person:
    """Who answers the screening: ``replies`` by question id or finding id; anything else is ``default``."""

    replies: Mapping[str, Reply] = field(default_factory=dict)
    default: str = "no"
    _asked: Counter[str] = field(default_factory=Counter)

    def reply(self, ask: AskEvent) -> str:
        """What this person says to ``ask`` (the n-th time its id is asked gives the n-th listed reply)."""
        count = self._asked[ask.id]
        self._asked[ask.id] += 1
        finding_key = f"{ask.finding}.readback" if ask.readback else ask.finding
        for key in (ask.id, finding_key):
            if key is not None and key in self.replies:
                chosen = self.replies[key]
                if isinstance(chosen, str):
                    return chosen
                return chosen[min(count, len(chosen) - 1)]
        if ask.readback:
            return "yes"
        if ask.kind in (AnswerKind.NUMBER, AnswerKind.DURATION):
            return {"age": "forty two", "pain_weeks": "two weeks"}.get(ask.finding or "", "two")
        return self.default


@dataclass
class PersonChannel:
    """A channel whose replies come from ``person``, answering the last question put to it."""

    person: Person
    events: RecordingSink
    replies_given: list[str] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return False

    def say(self, text: str, speech: SpeechSettings, question: object = None) -> None:
        return None

    def hear(
        self,
        phrases: Sequence[str],
        timeout_s: float,
        finishing: Collection[str] | None = None,
        revisable: Mapping[str, object] | None = None,
    ) -> Heard:
        if len(self.replies_given) > MAX_REPLIES:
            raise RuntimeError(f"the dialogue asked more than {MAX_REPLIES} times: it loops")
        ask = next(e for e in reversed(self.events.events) if isinstance(e, AskEvent))
        reply = self.person.reply(ask)
        self.replies_given.append(reply)
        if reply == SILENT:
            return Heard("", 0.0, timed_out=True)
        return Heard(reply, 1.0)

    def settle(self) -> None:
        return None

    def checked(self) -> None:
        return None


PLACEHOLDERS = {"emergency_number": "911", "urgent_line": "your doctor's out-of-hours line"}


def run_session(conversation: Conversation) -> ScreeningResult:
    """The whole screening session (questions, outcome, advice) through ``conversation``, region us."""
    conversation.on_self_harm = self_harm_check(region("us"))
    placeholders = {
        "emergency_number": region("us").emergency_number,
        "urgent_line": region("us").urgent_line,
    }
    return ScreeningSession(conversation, placeholders, NoRecorder()).run()


@dataclass
class Screened:
    """One screening: every event, the result, and the replies the person gave in order."""

    events: list[Event]
    result: ScreeningResult
    replies: list[str]

    @property
    def asks(self) -> list[AskEvent]:
        return [e for e in self.events if isinstance(e, AskEvent)]

    @property
    def ask_ids(self) -> list[str]:
        return [e.id for e in self.asks]

    @property
    def outcome(self) -> OutcomeEvent:
        (outcome,) = [e for e in self.events if isinstance(e, OutcomeEvent)]
        return outcome

    @property
    def heard(self) -> list[HeardEvent]:
        return [e for e in self.events if isinstance(e, HeardEvent)]

    def said(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, AskEvent | SayEvent)]


def screen(person: Person) -> Screened:
    """Run the screening with ``person`` answering."""
    sink = RecordingSink()
    channel = PersonChannel(person, sink)
    conversation = Conversation(channel, sink, TurnUnderstanding())
    result = run_session(conversation)
    return Screened(sink.events, result, channel.replies_given)


def screen_typed(replies: Sequence[str]) -> Screened:
    """Run the screening through the real text channel, ``replies`` typed one a line, then end of input.

    A silent reply cannot be typed: the replies must hold none.
    """
    assert SILENT not in replies
    sink = RecordingSink()
    channel = TextChannel(io.StringIO("".join(r + "\n" for r in replies)), io.StringIO())
    result = run_session(Conversation(channel, sink, TurnUnderstanding()))
    return Screened(sink.events, result, list(replies))


def transcript(events: Sequence[Event]) -> list[tuple[str, ...]]:
    """The questions (id, finding, kind, read-back) and the outcome, in order: what every mode shares."""
    shared: list[tuple[str, ...]] = []
    for event in events:
        if isinstance(event, AskEvent):
            shared.append(("ask", event.id, str(event.finding), asked_kind(event.kind), str(event.readback)))
        elif isinstance(event, OutcomeEvent):
            shared.append(("outcome", event.disposition.value, *event.reasons, "|", *event.possible))
    return shared
