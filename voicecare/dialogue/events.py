"""What happens in a session, as typed events; ``--json`` prints them one a line."""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from voicecare.exercises.timeline import TimedCue
from voicecare.screening.findings import Tier
from voicecare.understanding.answer_kind import AnswerKind


@dataclass(frozen=True)
class AskEvent:
    """A question put to the person. ``finding`` is the finding or context id it feeds, if any."""

    id: str
    finding: str | None
    kind: AnswerKind
    text: str
    readback: bool = False
    type: Literal["ask"] = "ask"


@dataclass(frozen=True)
class SayEvent:
    """Anything voicecare says that is not a question."""

    text: str
    type: Literal["say"] = "say"


@dataclass(frozen=True)
class HeardEvent:
    """What voicecare understood from a reply: ``answer`` is the answer kind (yes, no, unsure, ...).
    ``revised``: this reply replaces the one heard last for ``id``, which was taken provisionally and
    did not stand (what followed it, cut short, is put again)."""

    id: str
    text: str
    answer: str
    revised: bool = False
    type: Literal["heard"] = "heard"


@dataclass(frozen=True)
class OutcomeEvent:
    """The screening's disposition, the findings that caused it and those left possible."""

    disposition: Tier
    reasons: list[str] = field(default_factory=list)
    possible: list[str] = field(default_factory=list)
    type: Literal["outcome"] = "outcome"


@dataclass(frozen=True)
class CueEvent:
    """An exercise cue at the moment of its cue word; ``t`` is session time in seconds."""

    cue: str
    group: str
    t: float
    type: Literal["cue"] = "cue"


@dataclass(frozen=True)
class WakeEvent:
    """The wake phrase was heard (``voicecare home``); ``t`` is session time in seconds."""

    t: float
    phrase: str
    type: Literal["wake"] = "wake"


@dataclass(frozen=True)
class EndEvent:
    """The session is over; always the last event."""

    type: Literal["end"] = "end"


Event = AskEvent | SayEvent | HeardEvent | OutcomeEvent | CueEvent | WakeEvent | EndEvent


def cue_events(cues: Iterable[TimedCue], offset_s: float = 0.0) -> list[CueEvent]:
    """The cue events of an exercise's timed cues; ``offset_s`` is the session time the exercise started."""
    return [CueEvent(cue=c.cue.cue, group=c.cue.group, t=round(offset_s + c.t, 3)) for c in cues]


def asked_kind(kind: AnswerKind) -> str:
    """An ask event's ``kind`` as JSON gives it: a duration question asks for a number of weeks, so it is
    a ``number`` question there."""
    return AnswerKind.NUMBER.value if kind is AnswerKind.DURATION else kind.value


def to_json(event: Event) -> str:
    """One line of JSON with ``type`` first; kinds and dispositions as their names."""
    data = asdict(event)
    ordered = {"type": data.pop("type"), **data}
    if isinstance(event, AskEvent):
        ordered["kind"] = asked_kind(event.kind)
    if isinstance(event, OutcomeEvent):
        ordered["disposition"] = event.disposition.value
    if isinstance(event, AskEvent) and not event.readback:
        ordered.pop("readback")
    if isinstance(event, HeardEvent) and not event.revised:
        ordered.pop("revised")
    return json.dumps(ordered, ensure_ascii=False)
